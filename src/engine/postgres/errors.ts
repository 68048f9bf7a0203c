import { type EngineErrorInfo, type EngineErrorKind, SqlError } from '../dialect.ts';
import { lineAt } from './statements.ts';

/**
 * PostgreSQL's errors into the kinds the run layer gives hints for. The server sends a SQLSTATE
 * (`code`), a message without position lines, a `position` (1-based, counted in characters, into the
 * statement text) and sometimes a HINT — pg's DatabaseError carries them as fields, so nothing here
 * parses layout, only the quoted name in a message and the candidates in a hint:
 *   42703 column "nme" does not exist / column t.nme does not exist
 *         HINT: Perhaps you meant to reference the column "t.name" [or the column "u.name"].
 *   42P01 relation "nope" does not exist
 */

/** The fields of pg's DatabaseError this file reads (also our SqlLexError: code 42601, position). */
interface ServerError {
  code?: string;
  message: string;
  position?: string;
  hint?: string;
}

function asServerError(error: unknown): ServerError | undefined {
  if (!(error instanceof Error)) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? (error as ServerError) : undefined;
}

const KINDS: Record<string, EngineErrorKind> = {
  '42703': 'unknown-column',
  '42P01': 'unknown-relation',
  '22P02': 'conversion',
  '22003': 'conversion',
  '22007': 'conversion',
  '22008': 'conversion',
  '42804': 'conversion',
  '42601': 'syntax',
};

/**
 * The statement a server error came from: the session remembers it for each error it wraps, because
 * the error's `position` is an offset into that text and describeError is handed the bare cause.
 */
const statementOf = new WeakMap<object, string>();

export function rememberStatement(error: unknown, sql: string): void {
  if (typeof error === 'object' && error !== null) statementOf.set(error, sql);
}

/** 1-based line of a 1-based character position (the server counts characters, not UTF-16 units). */
function lineOfPosition(sql: string, position: number): number {
  const characters = Array.from(sql);
  const offset = characters.slice(0, Math.max(position - 1, 0)).join('').length;
  return lineAt(sql, offset);
}

/** The last part of a possibly qualified name: `t.name` → `name`. */
const unqualified = (name: string) => name.split('.').pop() ?? name;

function columnName(message: string): string | undefined {
  const match = /^column "([^"]+)"(?: of relation "[^"]+")? does not exist/.exec(message);
  if (match) return match[1];
  const qualified = /^column (\S+) does not exist/.exec(message);
  return qualified ? unqualified(qualified[1]!) : undefined;
}

function candidates(hint: string | undefined): string[] {
  if (!hint?.startsWith('Perhaps you meant to reference')) return [];
  return [...hint.matchAll(/the column "([^"]+)"/g)].map((m) => unqualified(m[1]!));
}

export function describePostgresError(error: unknown): EngineErrorInfo {
  const cause = error instanceof SqlError && error.cause !== undefined ? error.cause : error;
  // Not the server's words alone ("terminating connection due to administrator command"): what
  // happened to the build, as the session's SqlError says it.
  if (isConnectionLost(cause)) return { kind: 'other', message: connectionLostMessage(cause as Error) };
  const server = asServerError(cause);
  if (!server) return { kind: 'other', message: cause instanceof Error ? cause.message : String(cause) };
  const sql = statementOf.get(server) ?? (error instanceof SqlError ? error.sql : undefined);
  const position = server.position === undefined ? Number.NaN : Number(server.position);
  const line = sql !== undefined && Number.isFinite(position) ? lineOfPosition(sql, position) : undefined;
  const kind = KINDS[server.code ?? ''] ?? 'other';
  const base = { kind, message: server.message, ...(line !== undefined ? { line } : {}) };
  if (kind === 'unknown-column') {
    const name = columnName(server.message);
    return { ...base, ...(name !== undefined ? { name } : {}), candidates: candidates(server.hint) };
  }
  if (kind === 'unknown-relation') {
    const name = /^relation "([^"]+)" does not exist/.exec(server.message)?.[1];
    return { ...base, ...(name !== undefined ? { name } : {}), candidates: [] };
  }
  return base;
}

/**
 * The connection to the server is gone: the backend was terminated (57P01 admin shutdown, 57P02
 * crash, 57P03 cannot connect now, class 08 connection exceptions) or the socket closed under the
 * client. Such a client is never handed out again.
 */
export function isConnectionLost(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (/^57P0[123]$/.test(code) || code.startsWith('08'))) return true;
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'ECONNREFUSED' || code === 'ETIMEDOUT')
    return true;
  return /Connection terminated|connection is closed|Client has encountered a connection error|Client was closed/i.test(
    error.message,
  );
}

function connectionLostMessage(error: Error): string {
  return `the connection to the warehouse was lost (${error.message}); a statement that was running may or may not have completed; the next statement opens a new connection`;
}

/** Every failure of a statement as a SqlError with the SQL and the cause. */
export function statementFailure(error: unknown, sql: string): SqlError {
  if (error instanceof SqlError) return error;
  rememberStatement(error, sql);
  const message = error instanceof Error ? error.message : String(error);
  if (isConnectionLost(error)) return new SqlError(connectionLostMessage(error as Error), sql, error);
  return new SqlError(message.split('\n')[0] ?? message, sql, error);
}
