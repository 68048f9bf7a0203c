import { type Session, StatementCountError } from '../engine/dialect.ts';
import type { GraphNode } from '../project/types.ts';
import { VaultlineError } from '../shared/errors.ts';

/**
 * DESIGN.md Safety: a model, a test and a preview each execute exactly one statement. Every piece of
 * SQL a user wrote (a rendered model, ephemeral, test or inline query, a `sql:` source) goes through
 * `checkedQuery` before anything wraps or runs it: it must parse as exactly one query (SELECT,
 * WITH … SELECT, VALUES, FROM …) — so a `--vars` value that smuggles in `'; DROP TABLE …; --` fails
 * its node, naming the file, with nothing run. The wrapped statement then runs through
 * `Session.execute`/`query`, which refuse a text holding more than one statement (the second guard).
 */

/** Where a piece of SQL came from, for the message. */
export interface SqlOrigin {
  /** `model stg_x`, `test not_null_stg_x_id`, `inline query`. */
  label: string;
  /** `model`, `test`, `preview`, `source`: what must be one query. */
  what: string;
  /** Project-relative file (`--inline` for an inline query). */
  file: string;
  /** The declaring line, for SQL that sits in YAML (a generic test, a `sql:` source). A model's own
   * file gets none: its compiled lines are not the file's (the leading `{{ config() }}` line is
   * trimmed, macros expand), so the message quotes the compiled line instead. */
  line?: number;
}

export class NotOneQueryError extends VaultlineError {
  constructor(
    message: string,
    readonly file: string,
    readonly line: number | undefined,
    cause?: unknown,
  ) {
    super(message, { cause });
  }
}

export function originOf(node: GraphNode): SqlOrigin {
  const label = `${node.resourceType} ${node.name}`;
  const ownFile =
    node.resourceType === 'model' ||
    (node.resourceType === 'test' && node.testType === 'singular' && node.fixedSql === undefined);
  if (ownFile || node.line === undefined) return { label, what: node.resourceType, file: node.file };
  return { label, what: node.resourceType, file: node.file, line: node.line };
}

const QUOTE_HINT =
  "if a var() or env_var() value brought it in, quote the value: {{ var('x') | sql_literal }}";

/** `(the second begins on compiled line 3: DROP TABLE x; --')`, the line cut to a readable length. */
function secondStatement(error: StatementCountError): string {
  if (error.secondLine === undefined) return '';
  const text = (error.sql.split('\n')[error.secondLine - 1] ?? '').trim();
  const shown = text.length > 100 ? `${text.slice(0, 99)}…` : text;
  return ` (the second begins on compiled line ${error.secondLine}: ${shown})`;
}

function article(word: string): string {
  return /^[AEIOU]/.test(word) ? 'an' : 'a';
}

/** The one query `sql` holds, without a trailing `;` (ready to wrap); NotOneQueryError otherwise. */
export async function checkedQuery(session: Session, sql: string, origin: SqlOrigin): Promise<string> {
  const where = `${origin.file}${origin.line === undefined ? '' : `:${origin.line}`}: ${origin.label}`;
  const refuse = (message: string, cause?: unknown) =>
    new NotOneQueryError(`${where}: ${message}`, origin.file, origin.line, cause);
  let found: Awaited<ReturnType<Session['singleStatement']>>;
  try {
    found = await session.singleStatement(sql);
  } catch (error) {
    if (!(error instanceof StatementCountError)) throw error;
    if (error.count === 0) {
      throw refuse(`its SQL holds no statement (only comments?); a ${origin.what} is one SELECT`, error);
    }
    throw refuse(
      `its SQL holds ${error.count} statements${secondStatement(error)}, and a ${origin.what} runs exactly one query; nothing ran. ` +
        `Remove the extra statement; ${QUOTE_HINT}`,
      error,
    );
  }
  if (found.kind !== 'query') {
    const what = found.keyword ? `${article(found.keyword)} ${found.keyword} statement` : 'a statement';
    throw refuse(
      `its SQL is ${what}, not a query; nothing ran. ` +
        `A ${origin.what} is one SELECT (WITH … SELECT, VALUES and FROM … work too)`,
    );
  }
  return found.text;
}
