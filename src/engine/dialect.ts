import type { ContractType } from '../records/contract-types.ts';

/**
 * The one interface every warehouse engine implements (DESIGN.md practices, after Kysely): SQL text
 * generation that differs between engines lives behind a Dialect; executing statements lives behind a
 * Session. Outside src/engine/, code is engine-agnostic and asks the dialect, never `if (duckdb)`.
 * Each engine has a folder with identical file names: engine/duckdb/, later engine/postgres/.
 *
 * This file is the contract; engines may add members, and callers may rely on every member here.
 */
export interface DialectCapabilities {
  /** `MERGE INTO` is available (else incremental merge is delete+insert in one transaction). */
  supportsMerge: boolean;
  /** DDL (CREATE/DROP/ALTER) can be rolled back inside a transaction. */
  supportsTransactionalDdl: boolean;
  /**
   * `CREATE OR REPLACE TABLE` / `CREATE OR REPLACE VIEW` exist, per kind (PostgreSQL has only the view
   * form). Without it a materialization replaces the relation by other means (src/run/materializations/target.ts).
   */
  createOrReplace: { table: boolean; view: boolean };
  /**
   * Views find the relations they read by name when they are queried (DuckDB): a view can be replaced
   * in place whatever its new columns, and a relation can be dropped or replaced under the views that
   * read it. False (PostgreSQL): a view is bound to what it reads when created, so `CREATE OR REPLACE
   * VIEW` fails when the columns change and a DROP fails while views depend on the relation; the run
   * layer then swaps the relation the way dbt-postgres does (src/run/CONTEXT.md, "Replacing a relation").
   */
  lateBoundViews: boolean;
}

/**
 * What a column type is, whatever the engine calls it (DuckDB `VARCHAR`, PostgreSQL `character
 * varying(20)`): the vault and the run layer decide by family, never by an engine's type name.
 */
export type TypeFamily =
  | 'integer'
  | 'float'
  | 'decimal'
  | 'text'
  | 'boolean'
  | 'date'
  | 'timestamp'
  | 'timestamptz'
  | 'time'
  | 'json'
  | 'other';

/** The engine's spelling of the column types vaultline itself creates (meta tables, vault tables). */
export interface DialectTypes {
  /** Text of any length (DuckDB `VARCHAR`, PostgreSQL `text`). */
  readonly text: string;
  /** 32-bit integer. */
  readonly integer: string;
  /** 64-bit integer. */
  readonly bigint: string;
  /** 64-bit float (PostgreSQL `double precision`: `DOUBLE` is not a PostgreSQL type). */
  readonly double: string;
  readonly boolean: string;
  /** Timestamp without time zone, microseconds (vaultline keeps UTC in it). */
  readonly timestamp: string;
  readonly date: string;
}

export interface Dialect {
  readonly name: 'duckdb' | 'postgres';
  readonly capabilities: DialectCapabilities;
  /**
   * The schema a model, seed or vault entity lives in when its config names none: where the engine
   * puts unqualified names (DuckDB `main`, PostgreSQL `public`).
   */
  readonly defaultSchema: string;
  readonly types: DialectTypes;
  /**
   * The bytes an identifier may have: a longer one is cut by the engine (PostgreSQL: 63, silently),
   * so names vaultline generates go through `fitIdentifier` (identifiers.ts). DuckDB: no limit.
   */
  readonly maxIdentifierLength: number;
  /** `"name"` with embedded quotes doubled. */
  quoteIdentifier(name: string): string;
  /** A fully qualified relation, e.g. `"staging"."stg_usgs"`. */
  relation(schema: string, name: string): string;
  /** A SQL string literal. */
  literal(value: string | number | boolean | null): string;
  /**
   * A TIMESTAMP (without time zone) literal of `text`, `YYYY-MM-DD HH:MM:SS[.ffffff]` (UTC by
   * vaultline's convention, src/shared/timestamp-text.ts).
   */
  timestampLiteral(text: string): string;
  /**
   * A TIMESTAMP expression as text `YYYY-MM-DD HH:MM:SS[.ffffff]` that `timestampLiteral` reads back
   * exactly (microseconds kept) and that sorts as the timestamps do, whatever the session's settings.
   */
  timestampText(expression: string): string;
  /**
   * A text expression that compares, sorts and takes min/max by code point (the bytes of its UTF-8),
   * whatever collation the database or the column has: where generated SQL picks a row by ordering
   * text (ties by record_source, a text `sequence:` column), every engine must pick the same one.
   * Text expressions only (PostgreSQL refuses a collation on other types).
   */
  byteOrder(expression: string): string;
  /** The family of a column type as the engine's catalog reports it (`Column.dataType`). */
  typeFamily(dataType: string): TypeFamily;
  /**
   * Canonical text of an expression for hashing (DESIGN.md hashing standard): integers plain; floats
   * as JavaScript's String(x); booleans true/false; dates YYYY-MM-DD; timestamps
   * YYYY-MM-DDTHH:MM:SS.ffffffZ in UTC; text as is. Identical output on every engine.
   * `columnType` (as the engine's DESCRIBE spells it) gives shorter SQL and refuses unhashable types;
   * without it the engine dispatches on the runtime type where it can.
   */
  canonicalText(expression: string, columnType?: string): string;
  /** Lowercase hex digest of a text expression. */
  hashText(expression: string, algorithm: 'md5' | 'sha1' | 'sha256'): string;
  /**
   * The hashing standard's `upper` of a text expression: the per-character simple uppercase mapping
   * (a character whose uppercase is several characters stays as it is; `ß` → `ẞ`), exactly what
   * DuckDB's `upper()` does. Identical bytes on every engine, whatever its locale or collation.
   */
  upperText(expression: string): string;
  /**
   * The hashing standard's `trim` of a text expression: removes the Unicode space separators
   * (category Zs: U+0020, U+00A0, U+1680, U+2000–U+200A, U+202F, U+205F, U+3000) from both ends, exactly
   * what DuckDB's one-argument `trim()` does; tabs, newlines and zero-width characters stay. Identical
   * bytes on every engine.
   */
  trimText(expression: string): string;
  /**
   * Optional: the first 128 bits of a hex digest expression as integer expressions, for lookup tables
   * keyed by hash (the vault's per-key current state): an integer join is several times faster than
   * one on 64-character strings. Engines without it keep the text.
   */
  digestToIntegers?(hexExpression: string): { expressions: string[]; type: string };
  /**
   * Optional: the statement creating (if missing) an index for equality lookups on `columns` of
   * `relation`, for engines whose key joins otherwise read the whole table (PostgreSQL). The vault
   * creates one on the tables it probes by key on every load — per-key current states, hub and link
   * keys — once the load that creates a table has filled it, so an incremental load costs what its
   * batch costs, not what the table holds. Engines without it create none (DuckDB: vectorized scans are cheap and
   * an index slows its bulk inserts).
   */
  lookupIndex?(relation: { schema: string; name: string }, columns: readonly string[]): string;
  /** The engine's column type for a portable contract type (source contracts, src/records/). */
  contractType(type: ContractType): string;
  /** The engine's type for JSON text columns (`_record`, `_request_params`). */
  readonly jsonType: string;
  /**
   * What kind of failure an engine error is (a SqlError's cause), for messages and hints: the run
   * layer never reads engine message text itself. Every engine maps its own codes or messages.
   */
  describeError(error: unknown): EngineErrorInfo;
}

export type EngineErrorKind = 'unknown-column' | 'unknown-relation' | 'conversion' | 'syntax' | 'other';

export interface EngineErrorInfo {
  kind: EngineErrorKind;
  /** The engine's message without its own position lines (DuckDB's `LINE n:` and caret). */
  message: string;
  /** 1-based line within the failing statement, where the engine reports a position. */
  line?: number;
  /** unknown-column / unknown-relation: the name the statement used. */
  name?: string;
  /** Names the engine itself suggests instead (may be empty). */
  candidates?: string[];
}

/** A value bound to a placeholder `$1`, `$2` … (never spliced into the SQL text). */
export type SqlParam = string | number | bigint | boolean | null | Date;

export interface StatementOptions {
  /** Values for the placeholders `$1`, `$2` … of the statement, in order. */
  params?: readonly SqlParam[];
  /**
   * Cancels the statement: a queued statement never starts, a running one is interrupted through the
   * engine (DuckDB: `interrupt()`; PostgreSQL: a cancel request), and the call rejects with
   * StatementCancelledError. Inside a transaction the caller then rolls it back as for any failure.
   */
  signal?: AbortSignal;
}

/** A result row: column name to JS value (bigint for BIGINT/HUGEINT on DuckDB). */
export type Row = Record<string, unknown>;

/** What `Session.singleStatement` found in a text holding exactly one statement. */
export interface SingleStatement {
  /** `query`: a SELECT (also WITH … SELECT, VALUES, `FROM x`, `TABLE x`); anything else is `other`. */
  kind: 'query' | 'other';
  /** The statement's first keyword, upper case (`SELECT`, `DROP`, `ATTACH` …), for messages. */
  keyword: string;
  /** The statement without its terminating semicolon and what follows it (comments only): safe to wrap. */
  text: string;
}

/**
 * An open connection to a warehouse. Runtime failures throw SqlError carrying the SQL and the cause.
 * `execute` and `query` run exactly one statement: a text holding several (or none) is refused with
 * StatementCountError before any of it runs, so SQL wrapped around a user's query cannot be broken out of.
 */
export interface Session {
  readonly dialect: Dialect;
  /** Runs one statement that returns nothing worth reading (DDL, INSERT …). */
  execute(sql: string, options?: StatementOptions): Promise<void>;
  /** Runs one query and returns its rows as objects. */
  query<T extends Row = Row>(sql: string, options?: StatementOptions): Promise<T[]>;
  /**
   * Runs `work` on a connection of its own, acquired from the engine (DuckDB: another connection to
   * the same instance; a server engine: one from its pool) and released when `work` settles, so
   * independent nodes of a build run at the same time (`--threads`). Inside a transaction the work
   * joins the transaction's connection instead (a transaction has exactly one connection).
   */
  withConnection<T>(work: (session: Session) => Promise<T>): Promise<T>;
  /**
   * Parses `sql` with the engine's own parser, without binding or running anything: StatementCountError
   * when it holds more or fewer than one statement (a trailing semicolon and comments do not count),
   * SqlError when it does not parse; otherwise its kind and its text ready to wrap.
   */
  singleStatement(sql: string): Promise<SingleStatement>;
  /** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (session: Session) => Promise<T>): Promise<T>;
  /**
   * Appends rows to an existing table through the engine's bulk path (DuckDB: the appender; a server
   * engine: COPY). Each row has one value per column, in the table's column order: canonical text
   * (src/records/convert.ts) that the engine casts to the column's type, or null. Inside a
   * transaction the rows are part of it.
   */
  append(schema: string, table: string, rows: readonly (readonly (string | null)[])[]): Promise<void>;
  close(): Promise<void>;
}

export class SqlError extends Error {
  readonly sql: string;
  constructor(message: string, sql: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = new.target.name;
    this.sql = sql;
  }
}

/** A statement stopped by its StatementOptions.signal (before it started, or while it ran). */
export class StatementCancelledError extends SqlError {
  constructor(sql: string, cause?: unknown) {
    super('the statement was cancelled', sql, cause);
  }
}

/** A text given to run as one statement holds several, or none. */
export class StatementCountError extends SqlError {
  constructor(
    readonly count: number,
    sql: string,
    /** 1-based line of `sql` where the second statement starts, when it could be found. */
    readonly secondLine?: number,
  ) {
    super(
      count === 0
        ? 'the SQL holds no statement (only whitespace or comments)'
        : `the SQL holds ${count} statements where exactly one may run${secondLine === undefined ? '' : ` (the second starts on line ${secondLine})`}`,
      sql,
    );
  }
}
