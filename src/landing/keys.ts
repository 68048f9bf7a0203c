import { createHash } from 'node:crypto';
import { InvalidKeyError } from './errors.ts';

/**
 * Landing keys (DESIGN.md): `<source>/<resource>/load_date=YYYY-MM-DD/<load_ts>_<request-hash>.json.gz`.
 * Pure functions: the same request at the same instant always gives the same key.
 */
export const BODY_SUFFIX = '.json.gz';
export const META_SUFFIX = '.meta.json';
export const STATE_PREFIX = '_state/';
/** Where `landing repair` moves orphans and debris: `_repair/<compact ts>/<original key>`. */
export const REPAIR_PREFIX = '_repair/';
/** S3 write claims (s3-claims.ts), used where the server ignores If-None-Match. */
export const CLAIMS_PREFIX = '_claims/';
/** Temp files of a LocalStore write; never a key. */
export const TEMP_PREFIX = '.tmp-';
/**
 * Top-level folders that `list` and `listEntries` leave out unless the prefix asked for them, and that
 * no put may write into. Landing sources cannot collide with any of them: they start with a letter or
 * digit, these with "_".
 */
export const HIDDEN_PREFIXES = [REPAIR_PREFIX, CLAIMS_PREFIX] as const;

/** Longest file or folder name (in bytes) that Linux, macOS and Windows file systems accept. */
export const MAX_SEGMENT_BYTES = 255;

const NAME = /^[a-z0-9][a-z0-9_-]*$/;

/** Longest source or resource name: keeps every key far below path limits (see assertStoreKey). */
export const MAX_NAME_LENGTH = 100;

export function assertKeyPart(kind: 'source' | 'resource', value: string): void {
  if (!NAME.test(value)) {
    throw new Error(
      `invalid ${kind} "${value}": use lowercase letters, digits, "_" and "-", starting with a letter or digit`,
    );
  }
  if (value.length > MAX_NAME_LENGTH) {
    throw new Error(
      `invalid ${kind} "${value.slice(0, 40)}…": ${value.length} characters, at most ${MAX_NAME_LENGTH} are allowed (it becomes a folder name in the landing store)`,
    );
  }
}

/**
 * The shape every key must have before a store maps it to a file or an object, checked without I/O:
 * relative, no empty, "." or ".." segment (nothing can leave its folder), no "\\" or NUL, no segment
 * named like a temp file, and no file or folder name over 255 bytes — counting the sidecar's suffix,
 * the longest name a body key puts on disk. InvalidKeyError names the key as given (never its sidecar).
 * Stores add their own limit on the whole path (LocalStore: the OS path limit; S3: 1,024 bytes).
 * `debris`: the key of a temp file (`landing repair` moves those), whose last segment is `.tmp-…`;
 * `prefix`: a listing prefix, which may end in "/".
 */
export function assertStoreKey(key: string, options: { debris?: boolean; prefix?: boolean } = {}): void {
  const fail = (problem: string): never => {
    throw new InvalidKeyError(key, problem);
  };
  if (key === '') fail('it is empty');
  if (key.startsWith('/')) fail('it starts with "/" (keys are relative to the store)');
  if (key.includes('\\') || key.includes('\0')) fail('it contains "\\" or a NUL character');
  // A listing prefix may end in "/"; its last segment may be a partial name (no sidecar suffix).
  const segments = (options.prefix ? key.replace(/\/$/, '') : key).split('/');
  const plain = options.debris || options.prefix;
  for (const [i, segment] of segments.entries()) {
    if (segment === '') fail('it has an empty path segment ("//" or a trailing "/")');
    if (segment === '.' || segment === '..')
      fail(`it has a "${segment}" segment, which would leave its folder`);
    const last = i === segments.length - 1;
    if (segment.startsWith(TEMP_PREFIX) && !(last && options.debris))
      fail(`names starting with "${TEMP_PREFIX}" are the store's temp files`);
    const name = last && !isMetaKey(segment) && !plain ? `${segment}${META_SUFFIX}` : segment;
    const bytes = Buffer.byteLength(name);
    if (bytes > MAX_SEGMENT_BYTES) {
      fail(
        `the path segment "${segment.slice(0, 40)}…" takes ${bytes} bytes${name === segment ? '' : ' with its sidecar suffix'}; file systems allow at most ${MAX_SEGMENT_BYTES} (use shorter source, resource or state names)`,
      );
    }
  }
}

/** A listing prefix: like a key, but may be empty and end in "/" (`usgs/`, `usgs/earthquakes/load_date=`). */
export function assertListPrefix(prefix: string): void {
  if (prefix !== '') assertStoreKey(prefix, { prefix: true });
}

/** assertStoreKey, and not inside a folder only vaultline itself writes (`_repair/`, `_claims/`). */
export function assertWritableKey(key: string): void {
  assertStoreKey(key);
  const reserved = HIDDEN_PREFIXES.find((prefix) => key.startsWith(prefix));
  if (reserved) {
    throw new InvalidKeyError(
      key,
      `${reserved} is reserved (${reserved === REPAIR_PREFIX ? 'landing repair moves orphans there' : 'S3 write claims'}); nothing else is written into it`,
    );
  }
}

/** The folder one `landing repair` run moves entries into: `_repair/<compact ts>/`. */
export function repairFolder(now: Date): string {
  return `${REPAIR_PREFIX}${compactLoadTs(now)}/`;
}

export function assertRepairFolder(folder: string): void {
  if (!/^_repair\/\d{8}T\d{9}Z\/$/.test(folder))
    throw new Error(`not a repair folder: "${folder}" (expected _repair/<compact ts>/)`);
}

/** True when `key` lies in a hidden folder that `prefix` did not ask for (see HIDDEN_PREFIXES). */
export function isHiddenKey(key: string, prefix: string): boolean {
  return HIDDEN_PREFIXES.some((hidden) => key.startsWith(hidden) && !prefix.startsWith(hidden));
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
