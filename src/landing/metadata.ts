import { createHash } from 'node:crypto';
import { redactor } from '../shared/redact.ts';

/**
 * The sidecar written beside every landed body (`<key>.meta.json`). It is what an auditor reads to
 * trace a warehouse row back to the request that produced it, so it carries everything except secrets.
 */
export interface LandingMetadata {
  format_version: 1;
  key: string;
  source: string;
  resource: string;
  request: {
    method: string;
    url: string;
    params: Record<string, string>;
  };
  response: {
    status: number;
    headers: Record<string, string>;
  } | null;
  load_ts: string;
  load_date: string;
  /** SHA-256 (hex) and size of the uncompressed body: the exact bytes the API returned. */
  sha256: string;
  bytes: number;
  compressed_bytes: number;
  record_count: number | null;
  valid_json: boolean;
  /** Why the body is not valid JSON (or another reason it should not be parsed), when it is not. */
  parse_error?: string;
  connector: { name: string; version: string };
  run_id: string;
  /**
   * How the body was obtained: `live` from the API, `replay` from a recorded cassette (the URL is the
   * one that was recorded), `file` landed by hand with `vaultline land`. An auditor must be able to
   * tell a replayed payload from a live one.
   */
  transport?: LandingTransport;
}

export type LandingTransport = 'live' | 'replay' | 'file';

/** What a caller supplies; the store fills in key, hashes, sizes and validity. */
export interface LandingMetadataInput {
  source: string;
  resource: string;
  request: { method: string; url: string; params?: Record<string, string> };
  response?: { status: number; headers?: Record<string, string> } | null;
  loadTs: Date;
  recordCount?: number | null;
  connector: { name: string; version: string };
  runId: string;
  transport?: LandingTransport;
}

/** Response headers worth keeping for an audit; everything else (cookies, auth) is left out. */
const KEPT_HEADERS = new Set([
  'content-type',
  'content-length',
  'date',
  'etag',
  'last-modified',
  'link',
  'x-ratelimit-remaining',
  'x-ratelimit-reset',
  'retry-after',
  'x-request-id',
  'cache-control',
]);

export function selectHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (KEPT_HEADERS.has(lower)) out[lower] = value;
  }
  return out;
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export function checkJson(
  body: Uint8Array,
): { valid: true; value: unknown } | { valid: false; error: string } {
  try {
    return { valid: true, value: JSON.parse(Buffer.from(body).toString('utf8')) };
  } catch (error) {
    return { valid: false, error: error instanceof Error ? error.message : String(error) };
  }
}

/** Pure: builds the sidecar for a body. Request URL, params and headers pass through the redactor. */
export function buildMetadata(
  key: string,
  body: Uint8Array,
  compressedBytes: number,
  input: LandingMetadataInput,
): LandingMetadata {
  const json = checkJson(body);
  const params: Record<string, string> = {};
  for (const [name, value] of Object.entries(input.request.params ?? {})) params[name] = value;
  const meta: LandingMetadata = {
    format_version: 1,
    key,
    source: input.source,
    resource: input.resource,
    request: {
      method: input.request.method.toUpperCase(),
      url: redactor.url(input.request.url),
      params: redactor.object(params),
    },
    response: input.response
      ? {
          status: input.response.status,
          headers: redactor.headers(selectHeaders(input.response.headers ?? {})),
        }
      : null,
    load_ts: input.loadTs.toISOString(),
    load_date: input.loadTs.toISOString().slice(0, 10),
    sha256: sha256Hex(body),
    bytes: body.byteLength,
    compressed_bytes: compressedBytes,
    record_count: input.recordCount ?? null,
    valid_json: json.valid,
    connector: input.connector,
    run_id: input.runId,
  };
  if (input.transport) meta.transport = input.transport;
  if (!json.valid) meta.parse_error = json.error;
  return meta;
}
