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
  /**
   * Why the body is not valid JSON (or another reason it should not be parsed), when it is not: the
   * parser's message, or `not valid UTF-8 at byte N (0xHH)` (N counts from 0) for bytes in another
   * encoding.
   */
  parse_error?: string;
  /**
   * Set when the API answered "there is no data for this request" (a Wikimedia 404 whose detail says so,
   * a World Bank `[meta, null]`): the reason, e.g. `Wikimedia: no data for the requested dates`. Readers
   * treat such an object as zero records, never as a bad payload. Absent otherwise (older sidecars too).
   */
  no_data?: string;
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
  /** The API said there is no data for this request: the reason (see LandingMetadata.no_data). */
  noData?: string;
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

/** Decodes strict UTF-8: throws on any invalid sequence; a leading BOM is dropped (`ignoreBOM: false`). */
const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Whether a body is JSON, and its value. The body must be UTF-8 (RFC 8259 §8.1): a leading BOM is
 * accepted and skipped; any other invalid byte (latin-1 `S\xe3o Paulo`) makes it `not valid UTF-8 at
 * byte N`, N counting from 0. Never throws: a parser that runs out of stack on deep nesting (a
 * RangeError) is reported as such. V8's JSON.parse is iterative, so on Node 20 documents a million
 * levels deep parse (measured in metadata.test.ts, in a child process so a crash would show).
 */
export function checkJson(
  body: Uint8Array,
): { valid: true; value: unknown } | { valid: false; error: string } {
  let text: string;
  try {
    text = UTF8.decode(body);
  } catch (error) {
    const at = firstInvalidUtf8Byte(body);
    if (at === undefined)
      return { valid: false, error: `cannot be decoded: ${error instanceof Error ? error.message : error}` };
    return {
      valid: false,
      error: `not valid UTF-8 at byte ${at} (0x${body[at]!.toString(16).padStart(2, '0')})`,
    };
  }
  try {
    return { valid: true, value: JSON.parse(text) };
  } catch (error) {
    if (error instanceof RangeError) {
      return {
        valid: false,
        error: `the JSON parser gave up (RangeError: ${error.message}); the document is nested ${nestingDepth(text)} levels deep`,
      };
    }
    return { valid: false, error: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * Offset of the first byte that does not start or continue a well-formed UTF-8 sequence (overlong
 * forms, surrogates, code points above U+10FFFF and truncated sequences included), as the WHATWG
 * decoder sees it; undefined when the bytes are valid UTF-8.
 */
export function firstInvalidUtf8Byte(bytes: Uint8Array): number | undefined {
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const lead = bytes[i]!;
    if (lead < 0x80) {
      i++;
      continue;
    }
    let more: number;
    let low = 0x80;
    let high = 0xbf;
    if (lead >= 0xc2 && lead <= 0xdf) more = 1;
    else if (lead >= 0xe0 && lead <= 0xef) {
      more = 2;
      if (lead === 0xe0) low = 0xa0;
      if (lead === 0xed) high = 0x9f;
    } else if (lead >= 0xf0 && lead <= 0xf4) {
      more = 3;
      if (lead === 0xf0) low = 0x90;
      if (lead === 0xf4) high = 0x8f;
    } else return i;
    for (let k = 1; k <= more; k++) {
      const next = bytes[i + k];
      if (next === undefined) return i;
      if (k === 1 ? next < low || next > high : next < 0x80 || next > 0xbf) return i;
    }
    i += more + 1;
  }
  return undefined;
}

/** Deepest `[`/`{` nesting of JSON text, strings skipped (for messages about deep documents). */
function nestingDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) max = Math.max(max, ++depth);
    else if (c === 0x5d || c === 0x7d) depth--;
  }
  return max;
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
  if (input.noData) meta.no_data = input.noData;
  return meta;
}
