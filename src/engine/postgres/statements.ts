import { type SingleStatement, SqlError, StatementCountError } from '../dialect.ts';
import { lex, SqlLexError, type Token } from './sql-lexer.ts';

/**
 * Counting and classifying statements on PostgreSQL, without the server. PostgreSQL has no parse-only
 * call (PREPARE plans the statement, and a DO block runs), so `singleStatement` splits the text with
 * the lexer of sql-lexer.ts and never sends anything: a statement we may refuse is never run nor
 * prepared. The server stays the final guard: every statement runs through the extended protocol,
 * whose Parse refuses a text holding several statements ("cannot insert multiple commands into a
 * prepared statement"), so a split that disagreed with the server could refuse SQL, never run more.
 *
 * Where a statement ends, as psql decides it (psqlscan.l): a `;` outside parentheses, and outside the
 * BEGIN … END of a `CREATE [OR REPLACE] FUNCTION|PROCEDURE … BEGIN ATOMIC` body (CASE … END counted
 * inside it). A `;` in a string, quoted identifier, dollar quote or comment is no token at all.
 */

export interface Statement {
  tokens: Token[];
  /** Offset just after the `;` that ended the statement before it (0 for the first). */
  start: number;
  /** Offset just after the statement: its terminating `;`, or the end of the text. */
  end: number;
}

/** Tracks the `CREATE [OR REPLACE] FUNCTION|PROCEDURE … BEGIN … END` nesting psql tracks. */
class RoutineBody {
  private words: string[] = [];
  depth = 0;

  see(token: Token, parenDepth: number): void {
    if (token.kind !== 'word') return;
    if (this.words.length < 4) this.words.push(token.value);
    if (!this.isRoutine() || parenDepth > 0) return;
    if (token.value === 'begin') this.depth++;
    else if (token.value === 'case' && this.depth > 0) this.depth++;
    else if (token.value === 'end' && this.depth > 0) this.depth--;
  }

  private isRoutine(): boolean {
    const [a, b, c, d] = this.words;
    if (a !== 'create') return false;
    if (b === 'function' || b === 'procedure') return true;
    return b === 'or' && c === 'replace' && (d === 'function' || d === 'procedure');
  }
}

/** The statements of `sql` (empty ones, `;;`, left out). Throws SqlLexError. */
export function splitStatements(sql: string): Statement[] {
  const out: Statement[] = [];
  let tokens: Token[] = [];
  let start = 0;
  let parens = 0;
  let body = new RoutineBody();
  for (const token of lex(sql)) {
    if (token.kind === 'semicolon' && parens === 0 && body.depth === 0) {
      if (tokens.length > 0) out.push({ tokens, start, end: token.start });
      tokens = [];
      start = token.end;
      body = new RoutineBody();
      continue;
    }
    if (token.kind === 'open') parens++;
    else if (token.kind === 'close' && parens > 0) parens--;
    body.see(token, parens);
    tokens.push(token);
  }
  if (tokens.length > 0) {
    if (parens > 0) {
      const open = unclosedParenthesis(tokens);
      throw new SqlLexError('syntax error: a parenthesis is never closed', open?.start ?? 0);
    }
    out.push({ tokens, start, end: sql.length });
  }
  return out;
}

function unclosedParenthesis(tokens: Token[]): Token | undefined {
  const open: Token[] = [];
  for (const token of tokens) {
    if (token.kind === 'open') open.push(token);
    else if (token.kind === 'close') open.pop();
  }
  return open[0];
}

export function lineAt(sql: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < sql.length; i++) if (sql[i] === '\n') line++;
  return line;
}

/** `SELECT`, `DROP` …: the first word after leading parentheses, upper case. */
function firstKeyword(statement: Statement): string {
  const word = statement.tokens.find((t) => t.kind !== 'open');
  return word?.kind === 'word' ? word.value.toUpperCase() : '';
}

const QUERY_STARTS = new Set(['select', 'values', 'table', 'with']);
/** Words that make a statement write: a data-modifying WITH, or SELECT … INTO (creates a table). */
const WRITING_WORDS = new Set(['insert', 'update', 'delete', 'merge', 'into']);

/**
 * `query`: SELECT, VALUES, TABLE x, or WITH … SELECT — a statement that returns rows and can be
 * wrapped (`SELECT * FROM (<it>) AS q`). A statement holding INSERT/UPDATE/DELETE/MERGE (a
 * data-modifying WITH) or INTO (SELECT … INTO creates a table) is `other`. The words are keywords
 * only when unquoted, so a column "update" does not count; an unquoted column named like them makes
 * the query `other` — refused rather than risked; so is `SELECT … FOR UPDATE`, which locks rows
 * (FOR SHARE stays a query: a read-only transaction refuses it).
 */
export function statementKind(statement: Statement): 'query' | 'other' {
  const first = statement.tokens.find((t) => t.kind !== 'open');
  if (first?.kind !== 'word' || !QUERY_STARTS.has(first.value)) return 'other';
  const writes = statement.tokens.some((t) => t.kind === 'word' && WRITING_WORDS.has(t.value));
  return writes ? 'other' : 'query';
}

/** A lexer failure as the SqlError callers get for a statement that does not parse. */
export function lexFailure(error: unknown, sql: string): SqlError {
  if (!(error instanceof SqlLexError)) return new SqlError(String(error), sql, error);
  return new SqlError(`${error.message} (line ${lineAt(sql, error.offset)})`, sql, error);
}

/** StatementCountError for a text whose statements are `statements` (not exactly one). */
export function countError(sql: string, statements: Statement[]): StatementCountError {
  const second = statements[1]?.tokens[0];
  return new StatementCountError(
    statements.length,
    sql,
    second === undefined ? undefined : lineAt(sql, second.start),
  );
}

/** Session.singleStatement on PostgreSQL: lexing only, nothing is sent to the server. */
export function singleStatement(sql: string): SingleStatement {
  let statements: Statement[];
  try {
    statements = splitStatements(sql);
  } catch (error) {
    throw lexFailure(error, sql);
  }
  const [statement] = statements;
  if (statements.length !== 1 || statement === undefined) throw countError(sql, statements);
  return {
    kind: statementKind(statement),
    keyword: firstKeyword(statement),
    // Leading comments kept (as on DuckDB); the terminator and what follows it dropped.
    text: sql.slice(statement.start, statement.end).trim(),
  };
}
