import { StringDecoder } from 'node:string_decoder';
import type pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';

/**
 * Rows of `COPY (…) TO STDOUT` in PostgreSQL's text format, streamed as they arrive (memory bounded by
 * one chunk and one row): rows end with a newline, fields are separated by tabs, `\N` is NULL, and a
 * backslash escapes \\ \b \f \n \r \t \v (the only escapes the server writes; data characters as is).
 */

const ESCAPES: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\' };

export function decodeCopyField(field: string): string | null {
  if (field === '\\N') return null;
  if (!field.includes('\\')) return field;
  return field.replace(/\\(.)/g, (_, c: string) => ESCAPES[c] ?? c);
}

export async function* copyRowsOut(
  client: pg.ClientBase,
  copySql: string,
): AsyncGenerator<(string | null)[]> {
  const stream = client.query(copyTo(copySql));
  const chunks = stream[Symbol.asyncIterator]();
  const decoder = new StringDecoder('utf8');
  let rest = '';
  let finished = false;
  let failed = false;
  const read = () =>
    chunks.next().catch((error: unknown) => {
      failed = true;
      throw error;
    });
  try {
    for (let next = await read(); !next.done; next = await read()) {
      rest += decoder.write(next.value as Buffer);
      let from = 0;
      // A data newline is always written as \n, so a raw newline ends the row.
      for (let newline = rest.indexOf('\n'); newline >= 0; newline = rest.indexOf('\n', from)) {
        yield rest.slice(from, newline).split('\t').map(decodeCopyField);
        from = newline + 1;
      }
      rest = rest.slice(from);
    }
    finished = true;
  } finally {
    // The consumer stopped early (it failed): read the COPY to its end, so the client is ready for
    // its next statement rather than left in the middle of a COPY.
    if (!finished && !failed) {
      for (let next = await read(); !next.done; next = await read());
    }
  }
  rest += decoder.end();
  if (rest.length > 0) yield rest.split('\t').map(decodeCopyField);
}
