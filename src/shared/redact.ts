/**
 * One redaction utility for URLs, headers, params, metadata and log lines. Two mechanisms work together:
 * - names: any field, header or query parameter whose name looks secret is replaced by `***`;
 * - values: every secret value vaultline has seen (interpolated from the environment into config, or a
 *   connector option declared `secret: true`) is registered here and scrubbed from any text, wherever
 *   it appears — including inside an error message a server echoed back.
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

export function isSecretName(name: string): boolean {
  const lower = name.toLowerCase();
  if (NOT_SECRET.has(lower) || PAGINATION_TOKEN.test(lower)) return false;
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

export class Redactor {
  private readonly values = new Set<string>();

  /** Registers a secret value; values shorter than 4 characters are ignored (they would mangle text). */
  addSecret(value: string | undefined | null): void {
    if (typeof value === 'string' && value.length >= 4) this.values.add(value);
  }

  get secretCount(): number {
    return this.values.size;
  }

  /** Scrubs registered secret values, and secret query parameters and passwords of URLs inside the text. */
  text(input: string): string {
    return this.scrubValues(
      input.replace(URL_IN_TEXT, (match) => (urlHasSecret(match) ? this.url(match) : match)),
    );
  }

  /** Scrubs registered secret values only (also URL-encoded and JSON-escaped, as they appear in output). */
  private scrubValues(input: string): string {
    let out = input;
    for (const value of this.values) {
      for (const form of new Set([value, encodeURIComponent(value), JSON.stringify(value).slice(1, -1)])) {
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
