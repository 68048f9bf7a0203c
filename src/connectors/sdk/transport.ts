import { TransportError } from './errors.ts';

/**
 * The one layer that record and replay swap: everything above it (retries, rate limits, parsing,
 * landing) runs the same code whether the bytes come from the network or from a cassette.
 */
export interface TransportRequest {
  method: 'GET';
  /** Absolute URL, with any secret still in it (none of the built-in sources puts one there). */
  url: string;
  headers: Record<string, string>;
  timeoutMs: number;
  /** Which source asked: cassettes live in `<dir>/<source>/`. */
  source: string;
  /** Method, path relative to the base URL and canonical query: what a cassette is matched on. */
  identity: string;
}

export interface TransportResponse {
  status: number;
  /** Lower-case header names. */
  headers: Record<string, string>;
  /** The body exactly as received (after HTTP content decoding). */
  body: Buffer;
}

export interface Transport {
  /** `live` and `record` talk to the network; `replay` never does (and is not paced by rate limits). */
  readonly kind: 'live' | 'record' | 'replay';
  send(request: TransportRequest): Promise<TransportResponse>;
}

/** Node's fetch, with the timeout as an AbortSignal so a stalled body read is cut off too. */
export function liveTransport(fetchImpl: typeof fetch = fetch): Transport {
  return {
    kind: 'live',
    async send(request) {
      try {
        const response = await fetchImpl(request.url, {
          method: request.method,
          headers: request.headers,
          redirect: 'follow',
          signal: AbortSignal.timeout(request.timeoutMs),
        });
        const body = Buffer.from(await response.arrayBuffer());
        const headers: Record<string, string> = {};
        response.headers.forEach((value, name) => {
          headers[name.toLowerCase()] = value;
        });
        if (headers['content-encoding']) {
          // fetch decoded the body: the encoding and the encoded length no longer describe what we keep.
          delete headers['content-encoding'];
          delete headers['content-length'];
        }
        return { status: response.status, headers, body };
      } catch (error) {
        throw toTransportError(error, request.timeoutMs);
      }
    },
  };
}

function toTransportError(error: unknown, timeoutMs: number): TransportError {
  const name = (error as { name?: string } | undefined)?.name;
  if (name === 'TimeoutError' || name === 'AbortError') {
    return new TransportError('timeout', `timed out after ${timeoutMs} ms`, { cause: error });
  }
  const cause = (error as { cause?: { code?: string; message?: string } } | undefined)?.cause;
  const detail = cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
  return new TransportError('network', `network error: ${detail}`, { cause: error });
}
