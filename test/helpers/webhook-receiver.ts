import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { countWaiter } from './wait-for.ts';

/**
 * A local HTTP server on 127.0.0.1 (random port) that records every request as a webhook would
 * receive it. `respond` decides each answer (by the request's 0-based number), e.g. 500 then 200 to
 * exercise retries; by default every request gets 200 "ok", as Slack answers.
 */
export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The parsed JSON body, or the raw text when it is not JSON. */
  body: unknown;
}

export interface WebhookReceiver {
  /** The full URL to post to (path included). */
  url: string;
  requests: ReceivedRequest[];
  /** Resolves with the first `n` requests once that many arrived. */
  waitFor(n: number, timeoutMs?: number): Promise<ReceivedRequest[]>;
  close(): Promise<void>;
}

export interface WebhookReceiverOptions {
  /** The path of `url`; a Slack-like secret path by default. */
  path?: string;
  respond?: (index: number, request: ReceivedRequest) => { status: number; body?: string };
}

export async function startWebhookReceiver(options: WebhookReceiverOptions = {}): Promise<WebhookReceiver> {
  const path = options.path ?? '/services/T0000/B0000/receiver-secret-path';
  const requests: ReceivedRequest[] = [];
  const waiter = countWaiter(requests, 'webhook requests');
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: unknown = raw;
      try {
        body = JSON.parse(raw);
      } catch {
        // Not JSON: keep the text, the test will say what it expected.
      }
      const request: ReceivedRequest = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body,
      };
      const index = requests.length;
      requests.push(request);
      const answer = options.respond?.(index, request) ?? { status: 200, body: 'ok' };
      res.writeHead(answer.status, { 'content-type': 'text/plain' }).end(answer.body ?? '');
      waiter.notify();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${path}`,
    requests,
    waitFor: waiter.waitFor,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
