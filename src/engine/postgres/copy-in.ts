import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

/**
 * The bulk path: `COPY … FROM STDIN` in PostgreSQL's text format, streamed. Each value is a canonical
 * text the server casts to its column's type (as on DuckDB's appender), or null → `\N`, a real NULL.
 * Rows are encoded into chunks of about 64 KB as the copy stream asks for them (a Readable piped
 * into it, so backpressure holds): a large batch is never one string in memory.
 */

const CHUNK_CHARS = 64 * 1024;

const SPECIAL = /[\\\t\n\r]/;
const SPECIALS = /[\\\t\n\r]/g;

/** One value in COPY's text format: backslash, tab, newline and carriage return escaped. */
export function copyText(value: string | null): string {
  if (value === null) return '\\N';
  // Most values hold none of them: a test is much cheaper than a replace with a callback.
  if (!SPECIAL.test(value)) return value;
  return value.replace(SPECIALS, (c) =>
    c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r',
  );
}

type Rows = Iterable<readonly (string | null)[]> | AsyncIterable<readonly (string | null)[]>;

async function* chunks(rows: Rows): AsyncGenerator<string> {
  let chunk = '';
  for await (const row of rows) {
    // Concatenated, not mapped and joined: no array per row (a large load appends millions of values).
    let line = row.length > 0 ? copyText(row[0] as string | null) : '';
    for (let i = 1; i < row.length; i++) line += `\t${copyText(row[i] as string | null)}`;
    chunk += `${line}\n`;
    if (chunk.length >= CHUNK_CHARS) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk.length > 0) yield chunk;
}

/** Streams `rows` (an array, or rows read as they come) into `copySql`, a `COPY … FROM STDIN`, on `client`. */
export async function copyRowsIn(client: pg.ClientBase, copySql: string, rows: Rows): Promise<void> {
  const stream = client.query(copyFrom(copySql));
  await pipeline(Readable.from(chunks(rows), { objectMode: false }), stream);
}
