import { createHash } from 'node:crypto';

/**
 * Landing keys (DESIGN.md): `<source>/<resource>/load_date=YYYY-MM-DD/<load_ts>_<request-hash>.json.gz`.
 * Pure functions: the same request at the same instant always gives the same key.
 */
export const BODY_SUFFIX = '.json.gz';
export const META_SUFFIX = '.meta.json';
export const STATE_PREFIX = '_state/';

const NAME = /^[a-z0-9][a-z0-9_-]*$/;

export function assertKeyPart(kind: 'source' | 'resource', value: string): void {
  if (!NAME.test(value)) {
    throw new Error(
      `invalid ${kind} "${value}": use lowercase letters, digits, "_" and "-", starting with a letter or digit`,
    );
  }
}

/** Compact UTC timestamp with milliseconds, e.g. 20261122T101500123Z; sorts as time sorts. */
export function compactLoadTs(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace('.', '');
}

export function parseCompactLoadTs(compact: string): Date {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\d{3})Z$/.exec(compact);
  const date = m ? new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}.${m[7]}Z`) : undefined;
  // Date accepts some impossible dates (Feb 30 becomes Mar 2): only a timestamp that round-trips is valid.
  if (!date || Number.isNaN(date.getTime()) || compactLoadTs(date) !== compact) {
    throw new Error(`not a compact load timestamp: "${compact}" (expected YYYYMMDDTHHMMSSmmmZ in UTC)`);
  }
  return date;
}

export interface RequestIdentity {
  method: string;
  /** The URL with secrets already redacted: a key must never depend on, or reveal, a secret. */
  url: string;
  params?: Record<string, string>;
}

/** First 16 hex characters of the SHA-256 of the request's method, URL and sorted params. */
export function requestHash(request: RequestIdentity): string {
  const params = Object.entries(request.params ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const canonical = JSON.stringify([request.method.toUpperCase(), request.url, params]);
  return createHash('sha256').update(canonical).digest('hex').slice(0, 16);
}

export function landingKey(input: {
  source: string;
  resource: string;
  loadTs: Date;
  request: RequestIdentity;
}): string {
  assertKeyPart('source', input.source);
  assertKeyPart('resource', input.resource);
  const loadDate = input.loadTs.toISOString().slice(0, 10);
  return `${input.source}/${input.resource}/load_date=${loadDate}/${compactLoadTs(input.loadTs)}_${requestHash(input.request)}${BODY_SUFFIX}`;
}

export interface ParsedKey {
  source: string;
  resource: string;
  loadDate: string;
  loadTs: Date;
  requestHash: string;
}

const KEY_PATTERN =
  /^([a-z0-9][a-z0-9_-]*)\/([a-z0-9][a-z0-9_-]*)\/load_date=(\d{4}-\d{2}-\d{2})\/(\d{8}T\d{9}Z)_([0-9a-f]{16})\.json\.gz$/;

/** The parts of a landing key, or undefined when `key` is not one (including a load_date that is not the date of load_ts). */
export function parseLandingKey(key: string): ParsedKey | undefined {
  const m = KEY_PATTERN.exec(key);
  if (!m) return undefined;
  let loadTs: Date;
  try {
    loadTs = parseCompactLoadTs(m[4]!);
  } catch {
    return undefined;
  }
  if (loadTs.toISOString().slice(0, 10) !== m[3]) return undefined;
  return { source: m[1]!, resource: m[2]!, loadDate: m[3]!, loadTs, requestHash: m[5]! };
}

export function metaKeyFor(bodyKey: string): string {
  return `${bodyKey}${META_SUFFIX}`;
}

export function isBodyKey(key: string): boolean {
  return key.endsWith(BODY_SUFFIX);
}

export function isMetaKey(key: string): boolean {
  return key.endsWith(META_SUFFIX);
}
