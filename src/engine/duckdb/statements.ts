import type { DuckDBConnection, DuckDBPreparedStatement } from '@duckdb/node-api';
import { type SingleStatement, SqlError, StatementCountError } from '../dialect.ts';

/**
 * Counting and classifying statements with DuckDB's own parser — never by splitting on `;`, which a
 * string literal, a quoted identifier, a comment or a `$$ … $$` body may hold.
 *
 * - Classifying is parse-only: `json_serialize_sql` parses without binding and serializes SELECTs only
 *   (anything else: "Only SELECT statements can be serialized"). Preparing a statement to read its type
 *   is NOT side-effect free: binding `EXPORT DATABASE '/dir'` creates the directory (checked on 1.5.5),
 *   so a statement we may refuse is never prepared.
 * - Counting a text that is not all SELECTs uses `extractStatements` (parse-only too).
 * - Running (`prepareOne`): the text is extracted, refused unless it holds exactly one statement, and
 *   that one statement is prepared from the parse and run — `connection.run` would run them all.
 */

type Parsed =
  | { status: 'selects'; count: number }
  | { status: 'not-select' }
  | { status: 'error'; message: string; position?: number };

async function serialize(connection: DuckDBConnection, sql: string): Promise<Parsed> {
  const reader = await connection.runAndReadAll('SELECT json_serialize_sql($1::VARCHAR) AS j', [sql]);
  const [row] = reader.getRowObjectsJS() as { j: string }[];
  const out = JSON.parse(row?.j ?? '{}') as {
    error?: boolean;
    error_type?: string;
    error_message?: string;
    position?: string;
    statements?: unknown[];
  };
  if (!out.error) return { status: 'selects', count: out.statements?.length ?? 0 };
  if (out.error_type === 'not implemented') return { status: 'not-select' };
  const position = out.position === undefined ? undefined : Number(out.position);
  return { status: 'error', message: `Parser Error: ${out.error_message ?? 'does not parse'}`, position };
}

/** DuckDB's extract_statements fails on a text with no statement without saying so; a parse error
 * says "Failed to extract statements: Parser Error: …". */
const EXTRACT_FAILED = 'Failed to extract statements: ';

async function extractedCount(connection: DuckDBConnection, sql: string): Promise<number> {
  try {
    return (await connection.extractStatements(sql)).count;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (message.startsWith(EXTRACT_FAILED))
      throw new SqlError(message.slice(EXTRACT_FAILED.length), sql, error);
    return 0;
  }
}

/** Statements in `sql`; undefined when it does not parse. */
async function countOrUndefined(connection: DuckDBConnection, sql: string): Promise<number | undefined> {
  const parsed = await serialize(connection, sql);
  if (parsed.status === 'selects') return parsed.count;
  if (parsed.status === 'error') return undefined;
  try {
    return await extractedCount(connection, sql);
  } catch {
    return undefined;
  }
}

function semicolons(sql: string): number[] {
  const out: number[] = [];
  for (let i = sql.indexOf(';'); i >= 0; i = sql.indexOf(';', i + 1)) out.push(i);
  return out;
}

/**
 * Where the first statement ends: the first `;` before which the text parses as exactly one statement.
 * Each candidate is confirmed by the parser, so a `;` inside a literal or comment never qualifies
 * (the text before it does not parse, or what follows is not what we look for).
 */
async function firstStatementEnd(
  connection: DuckDBConnection,
  sql: string,
  rest: (count: number) => boolean,
): Promise<number | undefined> {
  for (const i of semicolons(sql)) {
    const after = await countOrUndefined(connection, sql.slice(i + 1));
    if (after === undefined || !rest(after)) continue;
    if ((await countOrUndefined(connection, sql.slice(0, i))) === 1) return i;
  }
  return undefined;
}

function lineAt(sql: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index && i < sql.length; i++) if (sql[i] === '\n') line++;
  return line;
}

/** The line where the second statement starts (the first non-blank character after the first one). */
async function secondStatementLine(connection: DuckDBConnection, sql: string): Promise<number | undefined> {
  const end = await firstStatementEnd(connection, sql, (count) => count >= 1);
  if (end === undefined) return undefined;
  const start = sql.slice(end + 1).search(/[^\s;]/);
  return lineAt(sql, end + 1 + Math.max(start, 0));
}

/** `SELECT`, `DROP` …: the first word after leading comments, spaces and parentheses. */
function firstKeyword(sql: string): string {
  const body = sql.replace(/^(?:\s+|\(|--[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/)*/, '');
  return (/^[A-Za-z_]+/.exec(body)?.[0] ?? '').toUpperCase();
}

export async function singleStatement(connection: DuckDBConnection, sql: string): Promise<SingleStatement> {
  const parsed = await serialize(connection, sql);
  if (parsed.status === 'error') {
    const where = parsed.position === undefined ? '' : ` (line ${lineAt(sql, parsed.position)})`;
    throw new SqlError(`${parsed.message}${where}`, sql);
  }
  const count = parsed.status === 'selects' ? parsed.count : await extractedCount(connection, sql);
  if (count !== 1) {
    throw new StatementCountError(
      count,
      sql,
      count > 1 ? await secondStatementLine(connection, sql) : undefined,
    );
  }
  const end = await firstStatementEnd(connection, sql, (after) => after === 0);
  return {
    kind: parsed.status === 'selects' ? 'query' : 'other',
    keyword: firstKeyword(sql),
    text: (end === undefined ? sql : sql.slice(0, end)).trim(),
  };
}

/** The one statement `sql` holds, prepared; StatementCountError before anything runs otherwise. */
export async function prepareOne(
  connection: DuckDBConnection,
  sql: string,
): Promise<DuckDBPreparedStatement> {
  let extracted: Awaited<ReturnType<DuckDBConnection['extractStatements']>>;
  try {
    extracted = await connection.extractStatements(sql);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (message.startsWith(EXTRACT_FAILED))
      throw new SqlError(message.slice(EXTRACT_FAILED.length), sql, error);
    throw new StatementCountError(0, sql);
  }
  if (extracted.count !== 1) {
    throw new StatementCountError(extracted.count, sql, await secondStatementLine(connection, sql));
  }
  return extracted.prepare(0);
}
