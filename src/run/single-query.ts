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
  /** Line of the declaration, for SQL whose lines are not the file's (a generic test in YAML). */
  line?: number;
  /** The rendered SQL's lines are the file's (a model or singular test rendered from its own file);
   * Jinja keeps lines, unless a macro or block renders to several. */
  ownLines: boolean;
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
  // Otherwise the SQL sits in (or comes from) a YAML declaration: point at that.
  if (ownFile) return { label, what: node.resourceType, file: node.file, ownLines: true };
  return { label, what: node.resourceType, file: node.file, line: node.line, ownLines: false };
}

const QUOTE_HINT =
  "if a var() or env_var() value brought it in, quote the value: {{ var('x') | sql_literal }}";

/** The one query `sql` holds, without a trailing `;` (ready to wrap); NotOneQueryError otherwise. */
export async function checkedQuery(session: Session, sql: string, origin: SqlOrigin): Promise<string> {
  let found: Awaited<ReturnType<Session['singleStatement']>>;
  try {
    found = await session.singleStatement(sql);
  } catch (error) {
    if (!(error instanceof StatementCountError)) throw error;
    const line = origin.ownLines ? error.secondLine : origin.line;
    const where = `${origin.file}${line === undefined ? '' : `:${line}`}: ${origin.label}`;
    if (error.count === 0) {
      throw new NotOneQueryError(
        `${where}: its SQL holds no statement (only comments?); a ${origin.what} is one SELECT`,
        origin.file,
        line,
        error,
      );
    }
    const second =
      origin.ownLines || error.secondLine === undefined
        ? ''
        : ` (the second starts on line ${error.secondLine} of the compiled SQL)`;
    throw new NotOneQueryError(
      `${where}: its SQL holds ${error.count} statements${second}, and a ${origin.what} runs exactly one query; nothing ran. ` +
        `Remove the extra statement; ${QUOTE_HINT}`,
      origin.file,
      line,
      error,
    );
  }
  if (found.kind !== 'query') {
    const line = origin.ownLines ? undefined : origin.line;
    const where = `${origin.file}${line === undefined ? '' : `:${line}`}: ${origin.label}`;
    throw new NotOneQueryError(
      `${where}: its SQL is ${found.keyword ? `${/^[AEIOU]/.test(found.keyword) ? 'an' : 'a'} ${found.keyword} statement` : 'a statement'}, not a query; nothing ran. ` +
        `A ${origin.what} is one SELECT (WITH … SELECT, VALUES and FROM … work too)`,
      origin.file,
      line,
    );
  }
  return found.text;
}
