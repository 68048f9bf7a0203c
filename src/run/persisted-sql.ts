import { VaultlineError } from '../shared/errors.ts';
import { redactor } from '../shared/redact.ts';

/**
 * SQL that runs keeps its secret values (`env_var('GITHUB_TOKEN')` in a filter must reach the engine),
 * but SQL the warehouse stores must not: a view's definition lives in the catalog, readable by anyone
 * who can read the warehouse, and inside its file. A table (CREATE TABLE … AS) keeps rows, not the
 * query that made them. So a relation whose SQL text would be stored is refused, before it is created,
 * when that text holds a registered secret.
 */
export class SecretInPersistedSqlError extends VaultlineError {
  /** Where the secret came from, e.g. `environment variable GITHUB_TOKEN`. */
  readonly origin: string;
  constructor(message: string, origin: string) {
    super(message);
    this.origin = origin;
  }
}

export interface PersistedSqlOwner {
  /** `model stg_x`, `source gh.issues`. */
  what: string;
  /** Project-relative file that defines it. */
  file: string;
  /** Its template, searched for the line that reads the variable. */
  rawSql?: string;
  /** How to avoid it, for the message. */
  fix: string;
}

export function refuseSecretInPersistedSql(owner: PersistedSqlOwner, sql: string): void {
  const origin = redactor.secretIn(sql);
  if (origin === undefined) return;
  const line = lineNaming(owner.rawSql, /^environment variable (\S+)$/.exec(origin)?.[1]);
  throw new SecretInPersistedSqlError(
    `${owner.file}${line ? `:${line}` : ''}: ${owner.what} is created as a view, whose SQL the warehouse ` +
      `stores in its catalog, and that SQL contains the value of ${origin} (a secret); refusing to create it. ` +
      owner.fix,
    origin,
  );
}

/** 1-based line of the first line of `text` that mentions `name`, if any. */
function lineNaming(text: string | undefined, name: string | undefined): number | undefined {
  if (text === undefined || name === undefined) return undefined;
  const index = text.split('\n').findIndex((l) => l.includes(name));
  return index < 0 ? undefined : index + 1;
}
