import { createHash } from 'node:crypto';
import { redactor } from '../../shared/redact.ts';

/**
 * A cassette is one request/response pair saved as readable JSON: test fixtures and the example
 * project's data, never landing data. Files live in `<dir>/<source>/<slug>_<id>.json`, where `id`
 * hashes the request identity (method, path relative to the base URL, query) — so the same request
 * always maps to the same file, re-recording overwrites only that file, and a cassette recorded
 * against one base URL (the real service) replays against any other (a mirror, a test server).
 */
export const CASSETTE_VERSION = 1;

export interface Cassette {
  cassette_version: typeof CASSETTE_VERSION;
  source: string;
  recorded_at?: string;
  /** Free text for people, e.g. that a cassette was written by hand in the API's response shape. */
  note?: string;
  request: {
    method: string;
    /** Path relative to the base URL, with the canonical query string: the matching key. */
    path: string;
    /** The absolute URL that was requested (redacted), for people reading the file. */
    url: string;
    /** Request headers, secrets replaced by `***`. */
    headers: Record<string, string>;
  };
  response: {
    status: number;
    headers: Record<string, string>;
    /** `utf8` (default): `body` is the text as sent. `base64`: bytes that are not valid UTF-8. */
    body_encoding?: 'utf8' | 'base64';
    body: string;
  };
}

/** 16 hex characters identifying a request; the identity is already redacted. */
export function cassetteId(identity: string): string {
  return createHash('sha256').update(identity).digest('hex').slice(0, 16);
}

/**
 * `GET /v2/country/ZA?page=1` → `v2-country-za-page-1_<id>.json`: readable, stable, unique by id.
 * Long slugs keep their end, where the parts that differ between requests (article, page) usually are.
 */
export function cassetteFileName(identity: string): string {
  const path = identity.replace(/^[A-Z]+\s+/, '');
  let slug = path
    .toLowerCase()
    .replace(/%[0-9a-f]{2}/g, '-')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (slug.length > 80) slug = slug.slice(-80).replace(/^[^-]*-/, '');
  return `${slug || 'root'}_${cassetteId(identity)}.json`;
}

export function idFromFileName(name: string): string | undefined {
  return /_([0-9a-f]{16})\.json$/.exec(name)?.[1];
}

export function encodeBody(body: Buffer): { body: string; body_encoding?: 'base64' } {
  const text = body.toString('utf8');
  return Buffer.from(text, 'utf8').equals(body)
    ? { body: text }
    : { body: body.toString('base64'), body_encoding: 'base64' };
}

export function decodeBody(response: Cassette['response']): Buffer {
  return response.body_encoding === 'base64'
    ? Buffer.from(response.body, 'base64')
    : Buffer.from(response.body, 'utf8');
}

/** Request headers safe to write to a file: secret-named ones masked, registered secret values scrubbed. */
export function redactHeaders(headers: Record<string, string>): Record<string, string> {
  const lower: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) lower[name.toLowerCase()] = value;
  return redactor.headers(lower);
}
