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

export function isSecretName(name: string): boolean {
  const lower = name.toLowerCase();
  if (NOT_SECRET.has(lower)) return false;
  return SECRET_NAME.test(lower);
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

  text(input: string): string {
    let out = input;
    for (const value of this.values) {
      if (out.includes(value)) out = out.split(value).join(REDACTED);
      const encoded = encodeURIComponent(value);
      if (encoded !== value && out.includes(encoded)) out = out.split(encoded).join(REDACTED);
    }
    return out;
  }

  url(input: string): string {
    let parsed: URL;
    try {
      parsed = new URL(input);
    } catch {
      return this.text(input);
    }
    if (parsed.password) parsed.password = REDACTED;
    for (const name of [...parsed.searchParams.keys()]) {
      if (isSecretName(name)) parsed.searchParams.set(name, REDACTED);
    }
    return this.text(parsed.toString().replaceAll(encodeURIComponent(REDACTED), REDACTED));
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
