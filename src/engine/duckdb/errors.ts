import type { EngineErrorInfo } from '../dialect.ts';

/**
 * DuckDB's error messages into kinds the run layer can give hints for. DuckDB has no error codes
 * in @duckdb/node-api, only text of a stable shape: `<Kind> Error: <message>`, optional detail
 * lines, then `LINE n: <statement line>` and a caret (checked on 1.5.6 in errors.test.ts). A
 * PostgreSQL engine would read SQLSTATE (42703, 42P01, 22P02, 42601) and `position` instead.
 */
export function describeDuckDbError(error: unknown): EngineErrorInfo {
  // A statement that does not parse fails while the session counts statements (statements.ts),
  // whose message carries this prefix before DuckDB's own.
  const text = (error instanceof Error ? error.message : String(error))
    .trim()
    .replace(/^Failed to extract statements: /, '');
  const at = /\n\s*LINE (\d+):/.exec(text);
  const message = (at ? text.slice(0, at.index) : text).trim();
  const line = at ? Number(at[1]) : undefined;
  const base = { message, ...(line !== undefined ? { line } : {}) };
  const quoted = (s: string | undefined) => [...(s ?? '').matchAll(/"([^"]+)"/g)].map((m) => m[1]!);

  const column = /^Binder Error: Referenced column "([^"]+)" not found/.exec(message);
  if (column) {
    const candidates = quoted(/Candidate bindings: (.*)/.exec(message)?.[1]).map((c) => c.split('.').pop()!);
    return { ...base, kind: 'unknown-column', name: column[1]!, candidates };
  }
  const table = /^Catalog Error: Table with name (\S+?) does not exist/.exec(message);
  if (table) {
    return {
      ...base,
      kind: 'unknown-relation',
      name: table[1]!,
      candidates: quoted(/Did you mean (.*)/.exec(message)?.[1]),
    };
  }
  if (/^Conversion Error:/.test(message)) return { ...base, kind: 'conversion' };
  if (/^Parser Error:/.test(message)) return { ...base, kind: 'syntax' };
  return { ...base, kind: 'other' };
}
