import assert from 'node:assert/strict';
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import { describe, it } from 'node:test';
import { sampleFailedRun } from '../../../test/helpers/sample-runs.ts';
import { startWebhookReceiver } from '../../../test/helpers/webhook-receiver.ts';
import { AlertDeliveryError } from './errors.ts';
import { alertMessage } from './message.ts';
import { sendWebhook, WEBHOOK_BACKOFF_MS } from './webhook.ts';

const message = alertMessage({ event: 'failure', run: sampleFailedRun(), seeMore: 'vaultline runs show r1' });
const noWait = (slept: number[]) => async (ms: number) => {
  slept.push(ms);
};

/** A port nothing listens on: bound, then released. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return typeof address === 'object' && address ? address.port : 0;
}

describe('sendWebhook', () => {
  it('POSTs JSON whose text names job, run, step and node, with the structured fields', async () => {
    const receiver = await startWebhookReceiver();
    try {
      await sendWebhook('ops', receiver.url, message);
      const [request] = await receiver.waitFor(1);
      assert.equal(request?.method, 'POST');
      assert.equal(request?.headers['content-type'], 'application/json');
      const body = request?.body as Record<string, unknown>;
      const text = String(body.text);
      for (const expected of [
        'nightly',
        'r20260301T060000-fail',
        'Step 2',
        'build --select tag:marts',
        'model.shop.fct_orders',
      ])
        assert.ok(text.includes(expected), `${expected} in ${text}`);
      assert.equal(body.job, 'nightly');
      assert.equal(body.node, 'model.shop.fct_orders');
      assert.equal(body.event, 'failure');
      assert.equal(body.text, message.text, 'nothing to escape in this one');
    } finally {
      await receiver.close();
    }
  });

  it('retries after a 500 and succeeds on the 200', async () => {
    const receiver = await startWebhookReceiver({
      respond: (index) => (index === 0 ? { status: 500, body: 'oops' } : { status: 200, body: 'ok' }),
    });
    try {
      const slept: number[] = [];
      await sendWebhook('ops', receiver.url, message, { sleep: noWait(slept) });
      assert.equal(receiver.requests.length, 2);
      assert.deepEqual(slept, [WEBHOOK_BACKOFF_MS[0]]);
    } finally {
      await receiver.close();
    }
  });

  it('gives up after 3 attempts of 5xx, naming the alert and the answer but not the URL', async () => {
    const receiver = await startWebhookReceiver({
      respond: () => ({ status: 503, body: 'down for maintenance' }),
    });
    try {
      const error = await sendWebhook('ops', receiver.url, message, { sleep: noWait([]) }).then(
        () => assert.fail('should have thrown'),
        (e: unknown) => e,
      );
      assert.ok(error instanceof AlertDeliveryError);
      assert.equal(receiver.requests.length, 3);
      assert.match(
        error.message,
        /^the webhook of alert ops answered HTTP 503: down for maintenance \(after 3 attempts\)/,
      );
      assert.ok(!error.message.includes('receiver-secret-path'), error.message);
    } finally {
      await receiver.close();
    }
  });

  it('does not retry a 4xx (other than 429), and hints that the URL may be revoked', async () => {
    const receiver = await startWebhookReceiver({ respond: () => ({ status: 404, body: 'no_service' }) });
    try {
      const error = await sendWebhook('ops', receiver.url, message, { sleep: noWait([]) }).catch(
        (e: Error) => e,
      );
      assert.equal(receiver.requests.length, 1);
      assert.match(
        String((error as Error).message),
        /answered HTTP 404: no_service; check that the webhook URL/,
      );
    } finally {
      await receiver.close();
    }
  });

  it('an unreachable URL fails with the reason, never the URL or its secret path', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/services/T1/B2/unreachable-secret-token`;
    const slept: number[] = [];
    const error = await sendWebhook('ops', url, message, { sleep: noWait(slept) }).catch((e: Error) => e);
    assert.ok(error instanceof AlertDeliveryError);
    assert.match(
      error.message,
      /^the webhook of alert ops could not be reached \(.*ECONNREFUSED.*\) \(after 3 attempts\)/,
    );
    assert.ok(!error.message.includes('unreachable-secret-token'));
    assert.ok(!error.message.includes(String(port)), 'not even the port');
    assert.equal(error.cause, undefined);
    assert.deepEqual(slept, [...WEBHOOK_BACKOFF_MS]);
  });

  it('an attempt that gets no answer in time is a timeout, retried like a network error', async () => {
    const silent = createHttpServer(() => {
      // never answers
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const address = silent.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    let requests = 0;
    silent.on('request', () => requests++);
    try {
      const error = await sendWebhook('ops', `http://127.0.0.1:${port}/hook`, message, {
        sleep: noWait([]),
        timeoutMs: 50,
      }).catch((e: Error) => e);
      assert.match(
        String((error as Error).message),
        /^the webhook of alert ops did not answer in time \(after 3 attempts\)/,
      );
      assert.equal(requests, 3);
    } finally {
      silent.closeAllConnections();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it('escapes &, < and > in text as Slack asks, and leaves the structured fields as they are', async () => {
    const receiver = await startWebhookReceiver();
    try {
      const run = sampleFailedRun({ error: { message: 'expected <int> & got <text>', node: 'model.a' } });
      const withBrackets = alertMessage({ event: 'failure', run, seeMore: 'x' });
      await sendWebhook('ops', receiver.url, withBrackets);
      const [request] = await receiver.waitFor(1);
      const body = request?.body as { text: string; error: string };
      assert.ok(body.text.includes('expected &lt;int&gt; &amp; got &lt;text&gt;'), body.text);
      assert.equal(body.error, 'expected <int> & got <text>');
    } finally {
      await receiver.close();
    }
  });
});
