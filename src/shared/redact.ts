/**
 * One redaction utility for URLs, headers, params, metadata and log lines. Two mechanisms work together:
 * - names: any field, header or query parameter whose name looks secret is replaced by `***`;
 * - values: every secret value vaultline has seen (interpolated from the environment into config, read
 *   by `env_var()` in a template, or a connector option declared `secret: true`) is registered here,
 *   with where it came from, and scrubbed from any text or bytes, wherever it appears — including
 *   inside an error message a server echoed back, compiled SQL, run results and metadata tables.
 */
export const REDACTED = '***';

const SECRET_NAME =
  /(^|[-_.\s])?(token|secret|password|passwd|pwd|api[-_]?key|apikey|access[-_]?key|authorization|cookie|credential|signature|private[-_]?key|session|x-api-key|auth)([-_.\s]|$)?/i;

/** Names that match the pattern but are identifiers, not secrets. */
const NOT_SECRET = new Set(['kms_key_id', 'access_key_id', 'author', 'authors', 'auth_type']);

/**
 * Pagination cursors (`page_token`, `pageToken`, `next_page_token`, `continuation_token`, `sync_token`)
 * name a position in a result set, not a credential; an auditor needs them in the sidecar to replay a page.
 */
const PAGINATION_TOKEN = /^(next[-_]?)?(page|continuation|sync|cursor|pagination)[-_]?token$/;

/**
 * Environment-variable names (upper case) ending in KEY or PASS: `STRIPE_KEY`, `SSH_KEY`, `DB_PASS`.
 * Case matters only here: lower-case `unique_key`, `hash_key`, `landing_key` are vaultline's own
 * identifiers, which logs and `vaultline config` must keep readable.
 */
const ENV_SECRET_SUFFIX = /(^|[-_])(KEY|PASS)$/;

export function isSecretName(name: string): boolean {
  const lower = name.toLowerCase();
  if (NOT_SECRET.has(lower) || PAGINATION_TOKEN.test(lower)) return false;
  if (name === name.toUpperCase() && ENV_SECRET_SUFFIX.test(name)) return true;
  return SECRET_NAME.test(lower);
}

/** URLs inside free text (log lines, headers such as Link, error messages). */
const URL_IN_TEXT = /\bhttps?:\/\/[^\s<>"'`\\]+/g;

function urlHasSecret(text: string): boolean {
  try {
    const url = new URL(text);
    return url.password !== '' || [...url.searchParams.keys()].some(isSecretName);
  } catch {
    return false;
  }
}

/**
 * The spellings a secret takes in output: as is, URL-encoded, JSON-escaped, and SQL-quoted (a quote
 * doubled, as a quoting filter writes it into compiled SQL). Longest first, so a longer spelling that
 * contains a shorter one is replaced whole.
 */
function spellings(value: string): string[] {
  const forms = new Set([
    value,
    encodeURIComponent(value),
    JSON.stringify(value).slice(1, -1),
    value.replaceAll("'", "''"),
  ]);
  return [...forms].sort((a, b) => b.length - a.length);
}

/** Every occurrence of `needle` in `haystack` replaced; the same Buffer when there is none. */
function replaceBytes(haystack: Buffer, needle: Buffer, replacement: Buffer): Buffer {
  let at = haystack.indexOf(needle);
  if (at < 0) return haystack;
  const parts: Buffer[] = [];
  let from = 0;
  while (at >= 0) {
    parts.push(haystack.subarray(from, at), replacement);
    from = at + needle.length;
    at = haystack.indexOf(needle, from);
  }
  parts.push(haystack.subarray(from));
  return Buffer.concat(parts);
}

export class Redactor {
  /** Secret value → where it came from (`environment variable GITHUB_TOKEN`), for error messages. */
  private readonly values = new Map<string, string>();

  /**
   * Registers a secret value and where it came from; values shorter than 4 characters are ignored
   * (they would mangle text). The first origin recorded for a value is kept.
   */
  addSecret(value: string | undefined | null, origin = 'a secret'): void {
    if (typeof value === 'string' && value.length >= 4 && !this.values.has(value)) {
      this.values.set(value, origin);
    }
  }

  get secretCount(): number {
    return this.values.size;
  }

  /** Where the first registered secret found in `input` came from (in any spelling), or undefined. */
  secretIn(input: string): string | undefined {
    for (const [value, origin] of this.values) {
      if (spellings(value).some((form) => input.includes(form))) return origin;
    }
    return undefined;
  }

  /**
   * Scrubs registered secret values from bytes that may not be text (a Latin-1 body): each spelling's
   * UTF-8 bytes, and its Latin-1 bytes where those differ, become `***`. Returns the same Buffer when
   * nothing was found.
   */
  bytes(input: Buffer): Buffer {
    let out = input;
    const marker = Buffer.from(REDACTED);
    for (const value of this.values.keys()) {
      for (const form of spellings(value)) {
        const utf8 = Buffer.from(form, 'utf8');
        out = replaceBytes(out, utf8, marker);
        // Latin-1 spells only characters up to U+00FF; for ASCII it is the same bytes as UTF-8.
        if ([...form].every((c) => c.charCodeAt(0) <= 0xff)) {
          const latin1 = Buffer.from(form, 'latin1');
          if (!latin1.equals(utf8)) out = replaceBytes(out, latin1, marker);
        }
      }
    }
    return out;
  }

  /** Scrubs registered secret values, and secret query parameters and passwords of URLs inside the text. */
  text(input: string): string {
    return this.scrubValues(
      input.replace(URL_IN_TEXT, (match) => (urlHasSecret(match) ? this.url(match) : match)),
    );
  }

  /** `text` for a value that may be absent (a message or SQL column of a metadata row). */
  optional(input: string | null | undefined): string | null {
    return input === null || input === undefined ? null : this.text(input);
  }

  /** Scrubs registered secret values only (in every spelling they take in output). */
  private scrubValues(input: string): string {
    let out = input;
    for (const value of this.values.keys()) {
      for (const form of spellings(value)) {
        if (out.includes(form)) out = out.split(form).join(REDACTED);
      }
    }
    return out;
  }

  url(input: string): string {
    let parsed: URL;
    try {
      parsed = new URL(input);
    } catch {
      return this.scrubValues(input);
    }
    if (parsed.password) parsed.password = REDACTED;
    for (const name of [...parsed.searchParams.keys()]) {
      if (isSecretName(name)) parsed.searchParams.set(name, REDACTED);
    }
    return this.scrubValues(parsed.toString().replaceAll(encodeURIComponent(REDACTED), REDACTED));
  }

  headers(input: Record<string, string>): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [name, value] of Object.entries(input)) {
      out[name] = isSecretName(name) ? REDACTED : this.text(value);
    }
    return out;
  }

  /** Deep copy with secret-named fields masked and secret values scrubbed from every string. */
  object<T>(input: T): T {
    return this.walk(input, undefined) as T;
  }

  private walk(value: unknown, name: string | undefined): unknown {
    if (name !== undefined && isSecretName(name) && value !== null && value !== undefined && value !== '') {
      return typeof value === 'object' ? this.walk(value, undefined) : REDACTED;
    }
    if (typeof value === 'string') return this.text(value);
    // An Error stays an Error of the same class (log serializers and `instanceof` rely on it), with its
    // non-enumerable message and stack scrubbed too.
    if (value instanceof Error) {
      const copy = Object.create(Object.getPrototypeOf(value)) as Error & Record<string, unknown>;
      const hidden = (text: string) => ({ value: this.text(text), writable: true, configurable: true });
      Object.defineProperty(copy, 'message', hidden(value.message));
      if (value.stack) Object.defineProperty(copy, 'stack', hidden(value.stack));
      for (const [key, inner] of Object.entries(value)) copy[key] = this.walk(inner, key);
      return copy;
    }
    if (Array.isArray(value)) return value.map((item) => this.walk(item, undefined));
    if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
      const out: Record<string, unknown> = {};
      for (const [key, inner] of Object.entries(value)) out[key] = this.walk(inner, key);
      return out;
    }
    return value;
  }
}

/** The process-wide redactor: config loading and connectors register secrets here; logs use it. */
export const redactor = new Redactor();
