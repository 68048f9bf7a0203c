import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DuckDBConnection, DuckDBInstance, DuckDBPreparedStatement } from '@duckdb/node-api';
import { VaultlineError } from '../../shared/errors.ts';
import {
  type Row,
  type Session,
  type SingleStatement,
  SqlError,
  type SqlParam,
  StatementCancelledError,
  type StatementOptions,
} from '../dialect.ts';
import { duckdbDialect } from './dialect.ts';
import { prepareOne, singleStatement } from './statements.ts';
import { isLockConflict, parseLockHolder, WarehouseLockedError } from './warehouse-lock.ts';

export interface DuckDbSessionOptions {
  threads?: number;
  memoryLimit?: string;
  /**
   * Open for reading only (previews): `access_mode READ_ONLY` (nothing in the file can change),
   * `enable_external_access false` (no file outside it is read or written: read_csv, COPY, ATTACH,
   * INSTALL all fail) and `lock_configuration true` (no SET can undo either). The file must exist.
   */
  readOnly?: boolean;
}

/**
 * One DuckDB connection. Calls are queued so that statements never interleave: a transaction opened
 * by one caller holds the queue until it commits or rolls back, and nested `transaction` calls join
 * the outer one (DuckDB has no savepoints). `withConnection` opens another connection to the same
 * instance (its own queue), so independent nodes run at once without a second file lock; the root
 * session owns the instance and closes it.
 */
class DuckDbSession implements Session {
  readonly dialect = duckdbDialect;
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
    readonly path: string,
    private readonly ownsInstance: boolean,
  ) {}

  private enqueue<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Runs the one statement `sql` holds (StatementCountError, before anything runs, otherwise). */
  private async one<T>(
    sql: string,
    options: StatementOptions | undefined,
    work: (statement: DuckDBPreparedStatement) => Promise<T>,
  ): Promise<T> {
    if (this.closed) throw new SqlError('the warehouse session is closed', sql);
    const signal = options?.signal;
    if (signal?.aborted) throw new StatementCancelledError(sql, signal.reason);
    const statement = await prepareOne(this.connection, sql).catch((error: unknown) => {
      throw error instanceof SqlError ? error : new SqlError(firstLine(error), sql, error);
    });
    // An interrupt that lands before the statement has started executing is lost (the query then
    // runs to its end: minutes for the cancel test's cross join on a loaded machine), so it is
    // repeated until the statement settles, as the PostgreSQL session repeats its cancel request.
    let repeating: ReturnType<typeof setInterval> | undefined;
    const interrupt = () => {
      this.connection.interrupt();
      repeating ??= setInterval(() => this.connection.interrupt(), 50);
    };
    signal?.addEventListener('abort', interrupt, { once: true });
    try {
      // Aborted while the statement was being prepared: the listener came too late to interrupt it.
      if (signal?.aborted) throw new StatementCancelledError(sql, signal.reason);
      if (options?.params !== undefined && options.params.length > 0) {
        statement.bind(options.params.map(bindValue));
      }
      return await work(statement);
    } catch (error) {
      if (signal?.aborted) throw new StatementCancelledError(sql, error);
      throw new SqlError(firstLine(error), sql, error);
    } finally {
      clearInterval(repeating);
      signal?.removeEventListener('abort', interrupt);
      statement.destroySync();
    }
  }

  private run(sql: string, options?: StatementOptions): Promise<void> {
    return this.one(sql, options, async (statement) => {
      await statement.run();
    });
  }

  private read<T extends Row>(sql: string, options?: StatementOptions): Promise<T[]> {
    return this.one(
      sql,
      options,
      async (statement) => (await statement.runAndReadAll()).getRowObjectsJS() as T[],
    );
  }

  private async parseOne(sql: string): Promise<SingleStatement> {
    if (this.closed) throw new SqlError('the warehouse session is closed', sql);
    try {
      return await singleStatement(this.connection, sql);
    } catch (error) {
      throw error instanceof SqlError ? error : new SqlError(firstLine(error), sql, error);
    }
  }

  execute(sql: string, options?: StatementOptions): Promise<void> {
    return this.enqueue(() => this.run(sql, options));
  }

  singleStatement(sql: string): Promise<SingleStatement> {
    return this.enqueue(() => this.parseOne(sql));
  }

  /** The appender: DuckDB casts each text to its column's type; inside a transaction, part of it. */
  async appendRows(
    schema: string,
    table: string,
    rows: readonly (readonly (string | null)[])[],
  ): Promise<void> {
    const what = `append ${rows.length} row(s) to ${duckdbDialect.relation(schema, table)}`;
    if (this.closed) throw new SqlError('the warehouse session is closed', what);
    if (rows.length === 0) return;
    let appender: Awaited<ReturnType<DuckDBConnection['createAppender']>> | undefined;
    try {
      appender = await this.connection.createAppender(table, schema);
      for (const row of rows) {
        for (const value of row) {
          if (value === null) appender.appendNull();
          else appender.appendVarchar(value);
        }
        appender.endRow();
      }
      appender.closeSync();
      appender = undefined;
    } catch (error) {
      throw new SqlError(firstLine(error), what, error);
    } finally {
      // A failed append must not leave buffered rows behind to be flushed later.
      try {
        appender?.clear();
        appender?.closeSync();
      } catch {
        // Already reported.
      }
    }
  }

  append(schema: string, table: string, rows: readonly (readonly (string | null)[])[]): Promise<void> {
    return this.enqueue(() => this.appendRows(schema, table, rows));
  }

  query<T extends Row = Row>(sql: string, options?: StatementOptions): Promise<T[]> {
    return this.enqueue(() => this.read<T>(sql, options));
  }

  async withConnection<T>(work: (session: Session) => Promise<T>): Promise<T> {
    if (this.closed) throw new SqlError('the warehouse session is closed', 'connect');
    const connection = await this.instance.connect();
    const session = new DuckDbSession(this.instance, connection, this.path, false);
    try {
      return await work(session);
    } finally {
      await session.close();
    }
  }

  transaction<T>(work: (session: Session) => Promise<T>): Promise<T> {
    return this.enqueue(async () => {
      await this.run('BEGIN TRANSACTION');
      const inner = new TransactionSession(this.dialect, {
        run: (sql, options) => this.run(sql, options),
        read: (sql, options) => this.read(sql, options),
        parse: (sql) => this.parseOne(sql),
        append: (schema, table, rows) => this.appendRows(schema, table, rows),
      });
      try {
        const result = await work(inner);
        inner.finish();
        await this.run('COMMIT');
        return result;
      } catch (error) {
        inner.finish();
        try {
          await this.run('ROLLBACK');
        } catch {
          // A failed statement may already have aborted the transaction; the original error matters.
        }
        throw error;
      }
    });
  }

  async close(): Promise<void> {
    await this.queue;
    if (this.closed) return;
    this.closed = true;
    this.connection.closeSync();
    if (this.ownsInstance) this.instance.closeSync();
  }
}

/** A bound value as DuckDB's binder takes it: a Date as its ISO text (cast to the parameter's type). */
function bindValue(value: SqlParam): string | number | bigint | boolean | null {
  return value instanceof Date ? value.toISOString() : value;
}

/** The session handed to a transaction's work: same connection, no queueing (the queue is held). */
class TransactionSession implements Session {
  private done = false;
  constructor(
    readonly dialect: Session['dialect'],
    private readonly on: {
      run: (sql: string, options?: StatementOptions) => Promise<void>;
      read: (sql: string, options?: StatementOptions) => Promise<Row[]>;
      parse: (sql: string) => Promise<SingleStatement>;
      append: Session['append'];
    },
  ) {}
  finish(): void {
    this.done = true;
  }
  private check(sql: string): void {
    if (this.done) throw new SqlError('this transaction has already ended', sql);
  }
  async execute(sql: string, options?: StatementOptions): Promise<void> {
    this.check(sql);
    await this.on.run(sql, options);
  }
  async query<T extends Row = Row>(sql: string, options?: StatementOptions): Promise<T[]> {
    this.check(sql);
    return (await this.on.read(sql, options)) as T[];
  }
  /** A transaction has one connection: concurrent work inside it shares it (statements queue). */
  withConnection<T>(work: (session: Session) => Promise<T>): Promise<T> {
    return work(this);
  }
  async singleStatement(sql: string): Promise<SingleStatement> {
    this.check(sql);
    return this.on.parse(sql);
  }
  transaction<T>(work: (session: Session) => Promise<T>): Promise<T> {
    return work(this);
  }
  async append(schema: string, table: string, rows: readonly (readonly (string | null)[])[]): Promise<void> {
    this.check(`append to ${schema}.${table}`);
    await this.on.append(schema, table, rows);
  }
  async close(): Promise<void> {}
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0] ?? message;
}

/**
 * Opens a warehouse file (created with its folder on first use) or `':memory:'`; with `readOnly` an
 * existing file that nothing run on this session can change. A file held by another process fails at
 * once with WarehouseLockedError naming the holder.
 */
export async function openDuckDbSession(
  path: string,
  options: DuckDbSessionOptions = {},
): Promise<Session & { readonly path: string }> {
  const settings: Record<string, string> = {};
  if (options.threads !== undefined) settings.threads = String(options.threads);
  if (options.memoryLimit !== undefined) settings.memory_limit = options.memoryLimit;
  if (options.readOnly) {
    settings.access_mode = 'READ_ONLY';
    settings.enable_external_access = 'false';
    settings.lock_configuration = 'true';
  } else if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  let instance: DuckDBInstance;
  try {
    // Loaded here, not at import: the native binding costs ~0.35 s, and commands that never open a
    // warehouse (extract, land, landing, config, --help) should not pay it.
    const { DuckDBInstance } = await import('@duckdb/node-api');
    instance = await DuckDBInstance.create(path, settings);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (isLockConflict(message)) throw new WarehouseLockedError(path, parseLockHolder(message), error);
    throw new VaultlineError(`cannot open the warehouse ${path}: ${firstLine(error)}`, { cause: error });
  }
  const connection = await instance.connect();
  return new DuckDbSession(instance, connection, path, true);
}
