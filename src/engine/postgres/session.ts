import type pg from 'pg';
import {
  type Dialect,
  type Row,
  type Session,
  type SingleStatement,
  SqlError,
  type SqlParam,
  StatementCancelledError,
  StatementCountError,
  type StatementOptions,
} from '../dialect.ts';
import type { PostgresWarehouseConfig } from './config.ts';
import { connectionTarget } from './connection-config.ts';
import { copyRowsIn } from './copy-in.ts';
import { postgresDialect } from './dialect.ts';
import { isConnectionLost, statementFailure } from './errors.ts';
import { hashingSetupStatements } from './hashing.ts';
import { connectPool, type HeldClient, type WarehousePool } from './pool.ts';
import { refuseOnReadOnly } from './read-only.ts';
import { countError, lexFailure, type Statement, singleStatement, splitStatements } from './statements.ts';

/**
 * Sessions on a PostgreSQL warehouse, over one pg.Pool (pool.ts):
 *
 * - The root session (what `open` returns) runs its own statements on one "home" client, so the
 *   temporary tables and views a build creates stay visible to its next statement; independent nodes
 *   of a build run at the same time through `withConnection` (up to `pool_size` connections).
 * - `withConnection` pins one client for `work` (released when it settles); `transaction` pins one
 *   for BEGIN … COMMIT/ROLLBACK. On a pinned session statements run one after the other, in call
 *   order, as on DuckDB's connection. Nested `transaction` calls join the outer one (as on DuckDB,
 *   which has no savepoints: the run layer relies on one all-or-nothing transaction), and inside a
 *   transaction `withConnection` runs on the transaction's client.
 * - `execute`/`query` run exactly one statement, through the extended protocol (Parse/Bind/Execute,
 *   even without parameters), whose Parse itself refuses several statements; the text is also split
 *   by statements.ts first, so the count and the line of the second statement are known and nothing
 *   of a refused text is sent. Parameters `$1…` are bound, never spliced.
 * - A statement's signal: before it starts (also while it waits for a free client) it never starts;
 *   while it runs, a cancel request (`pg_cancel_backend` from another connection) stops it, repeated
 *   until it settles (a request arriving before the backend read the statement is ignored), and the
 *   call rejects with StatementCancelledError.
 * - A connection that dies (the backend terminated, the socket reset) fails its statement with a
 *   SqlError saying so; the client is destroyed and the next statement gets a new connection.
 */

/** The private door export.ts, files.ts and catalog.ts use to work on a session's client directly. */
const CLIENT = Symbol('postgres client');

export interface ClientAccess {
  client: pg.PoolClient;
  /** The session is a transaction's: the work is part of it (a failure aborts it). */
  inTransaction: boolean;
  /** The checks `execute` applies to a caller's statement (one statement; read-only refusals). */
  check(sql: string): void;
}

type ClientWork<T> = (access: ClientAccess) => Promise<T>;

interface PostgresSessionInternals {
  [CLIENT]<T>(what: string, work: ClientWork<T>): Promise<T>;
}

/**
 * Runs `work` on the client a PostgreSQL session would run its next statement on: a transaction's or
 * pinned session's own client (in its statement order), or a free one of the pool.
 */
export function onSessionClient<T>(session: Session, what: string, work: ClientWork<T>): Promise<T> {
  if (!(CLIENT in session)) return Promise.reject(new SqlError('not a PostgreSQL session', what));
  return (session as Session & PostgresSessionInternals)[CLIENT](what, work);
}

const MULTIPLE_COMMANDS = 'cannot insert multiple commands into a prepared statement';

/** How a bound value is sent: a Date as its ISO text in UTC (pg would send local time, which a
 * timestamp column would take as written), everything else as pg sends it. */
function bindValue(value: SqlParam): unknown {
  return value instanceof Date ? value.toISOString() : value;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

class Runner {
  constructor(
    readonly pool: WarehousePool,
    readonly dialect: Dialect,
  ) {}

  /**
   * What the server would run: exactly one statement (StatementCountError otherwise, nothing sent),
   * and on a read-only session a query that reaches no file (read-only.ts). A text the lexer cannot
   * read is left to the server on a writable session: its parser has the last word.
   */
  check(sql: string): Statement | undefined {
    let statements: Statement[];
    try {
      statements = splitStatements(sql);
    } catch (error) {
      if (this.pool.readOnly) throw lexFailure(error, sql);
      return undefined;
    }
    const [statement] = statements;
    if (statements.length !== 1 || statement === undefined) throw countError(sql, statements);
    if (this.pool.readOnly) refuseOnReadOnly(statement, sql);
    return statement;
  }

  /** One statement of the caller's on `held` (checked), or one of ours (`internal`: BEGIN, COMMIT …). */
  async run(
    held: HeldClient,
    sql: string,
    options: StatementOptions | undefined,
    internal = false,
  ): Promise<pg.QueryResult> {
    if (!internal) this.check(sql);
    const signal = options?.signal;
    if (signal?.aborted) throw new StatementCancelledError(sql, signal.reason);
    let settled = false;
    let cancelling: Promise<void> | undefined;
    const cancel = async () => {
      for (let attempt = 0; attempt < 50 && !settled; attempt++) {
        await this.pool.cancel(held.pid).catch(() => {});
        await sleep(100);
      }
    };
    const onAbort = () => {
      cancelling = cancel();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const result = await held.client.query({
        text: sql,
        values: (options?.params ?? []).map(bindValue),
        queryMode: 'extended',
      } as pg.QueryConfig);
      if (result.command === null && !internal) {
        // EmptyQueryResponse: only comments, in a text the lexer could not read.
        throw new StatementCountError(0, sql);
      }
      return result;
    } catch (error) {
      if (error instanceof SqlError) throw error;
      if (signal?.aborted) throw new StatementCancelledError(sql, error);
      if (error instanceof Error && error.message === MULTIPLE_COMMANDS)
        throw new StatementCountError(2, sql);
      if (isConnectionLost(error)) held.broken = true;
      throw statementFailure(error, sql);
    } finally {
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      // The client is not handed on before a cancel request in flight has landed.
      if (cancelling) await cancelling;
    }
  }

  access(held: HeldClient, inTransaction: boolean): ClientAccess {
    return {
      client: held.client,
      inTransaction,
      check: (sql) => {
        this.check(sql);
      },
    };
  }

  async append(
    held: HeldClient,
    schema: string,
    table: string,
    rows: readonly (readonly (string | null)[])[],
  ) {
    const relation = this.dialect.relation(schema, table);
    const sql = `COPY ${relation} FROM STDIN`;
    if (this.pool.readOnly) throw new SqlError('a read-only session cannot append rows', sql);
    if (rows.length === 0) return;
    try {
      await copyRowsIn(held.client, sql, rows);
    } catch (error) {
      throw statementFailure(error, `${sql} -- ${rows.length} row(s)`);
    }
  }
}

/** A session on one client: statements in call order; `inTransaction` joins nested transactions. */
class PinnedSession implements Session, PostgresSessionInternals {
  private queue: Promise<unknown> = Promise.resolve();
  private ended = false;

  constructor(
    private readonly runner: Runner,
    private readonly held: HeldClient,
    private readonly root: RootSession,
    private readonly inTransaction: boolean,
  ) {}

  get dialect(): Dialect {
    return this.runner.dialect;
  }

  private enqueue<T>(what: string, work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(() => {
      if (this.ended) {
        throw new SqlError(
          this.inTransaction ? 'this transaction has already ended' : 'this connection was released',
          what,
        );
      }
      return work();
    });
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Waits for every statement queued so far, then refuses new ones. */
  async end(): Promise<void> {
    await this.queue;
    this.ended = true;
  }

  execute(sql: string, options?: StatementOptions): Promise<void> {
    return this.enqueue(sql, async () => {
      await this.runner.run(this.held, sql, options);
    });
  }

  query<T extends Row = Row>(sql: string, options?: StatementOptions): Promise<T[]> {
    return this.enqueue(sql, async () => (await this.runner.run(this.held, sql, options)).rows as T[]);
  }

  async singleStatement(sql: string): Promise<SingleStatement> {
    return singleStatement(sql);
  }

  append(schema: string, table: string, rows: readonly (readonly (string | null)[])[]): Promise<void> {
    return this.enqueue(`append to ${schema}.${table}`, () =>
      this.runner.append(this.held, schema, table, rows),
    );
  }

  [CLIENT]<T>(what: string, work: ClientWork<T>): Promise<T> {
    return this.enqueue(what, () => work(this.runner.access(this.held, this.inTransaction)));
  }

  transaction<T>(work: (session: Session) => Promise<T>): Promise<T> {
    if (this.inTransaction) return work(this);
    return this.enqueue('BEGIN', async () => {
      const tx = new PinnedSession(this.runner, this.held, this.root, true);
      await this.runner.run(
        this.held,
        this.runner.pool.readOnly ? 'BEGIN READ ONLY' : 'BEGIN',
        undefined,
        true,
      );
      let result: T;
      try {
        result = await work(tx);
        await tx.end();
      } catch (error) {
        await tx.end();
        await this.runner.run(this.held, 'ROLLBACK', undefined, true).catch(() => {});
        throw error;
      }
      const commit = await this.runner.run(this.held, 'COMMIT', undefined, true);
      // COMMIT of a transaction in which a statement failed (and the work went on) rolls it back.
      if (commit.command === 'ROLLBACK') {
        throw new SqlError(
          'the transaction was rolled back: a statement in it failed, so nothing of it was kept',
          'COMMIT',
        );
      }
      return result;
    });
  }

  withConnection<T>(work: (session: Session) => Promise<T>): Promise<T> {
    // A transaction has exactly one connection; otherwise another client of the pool.
    return this.inTransaction ? work(this) : this.root.withConnection(work);
  }

  async close(): Promise<void> {
    await this.end();
  }
}

/**
 * The session `open` returns; owns the pool. Its own statements run on one "home" client, taken on
 * first use and kept: temporary tables and views live in one connection, and the run and vault layers
 * create them with one statement and read them with the next, as on DuckDB's connection. Independent
 * work runs at the same time through `withConnection` (another client of the pool each). When the
 * home connection is lost, its client is destroyed and the next statement takes a new one.
 */
class RootSession implements Session, PostgresSessionInternals {
  private closed = false;
  private readonly runner: Runner;
  private home: Promise<{ held: HeldClient; session: PinnedSession }> | undefined;

  constructor(private readonly pool: WarehousePool) {
    this.runner = new Runner(pool, postgresDialect);
  }

  get dialect(): Dialect {
    return postgresDialect;
  }

  private async acquire(sql: string, signal?: AbortSignal): Promise<HeldClient> {
    if (this.closed) throw new SqlError('the warehouse session is closed', sql);
    try {
      return await this.pool.acquire(signal);
    } catch (error) {
      if (signal?.aborted) throw new StatementCancelledError(sql, error);
      throw statementFailure(error, sql);
    }
  }

  /** `work` on the home client (taken on first use; replaced after its connection was lost). */
  private async onHome<T>(
    sql: string,
    signal: AbortSignal | undefined,
    work: (session: PinnedSession) => Promise<T>,
  ): Promise<T> {
    if (this.closed) throw new SqlError('the warehouse session is closed', sql);
    if (this.home === undefined) {
      const pending = this.acquire(sql, signal).then((held) => ({
        held,
        session: new PinnedSession(this.runner, held, this, false),
      }));
      this.home = pending;
      pending.catch(() => {
        if (this.home === pending) this.home = undefined;
      });
    }
    const home = this.home;
    const { held, session } = await home;
    if (held.broken) {
      // The server ended the home connection while it sat idle: a new one, then the statement.
      if (this.home === home) this.home = undefined;
      await session.end().catch(() => {});
      this.pool.release(held);
      return this.onHome(sql, signal, work);
    }
    try {
      return await work(session);
    } catch (error) {
      const cause = error instanceof SqlError ? error.cause : error;
      if (held.broken || isConnectionLost(cause)) {
        if (this.home === home) this.home = undefined;
        await session.end().catch(() => {});
        this.pool.release(held, cause);
      }
      throw error;
    }
  }

  /** `work` on a client of its own, given back (or destroyed, if its connection failed) after. */
  private async onClient<T>(
    sql: string,
    signal: AbortSignal | undefined,
    work: (held: HeldClient) => Promise<T>,
  ) {
    const held = await this.acquire(sql, signal);
    let failure: unknown;
    try {
      return await work(held);
    } catch (error) {
      failure = error;
      throw error;
    } finally {
      this.pool.release(held, failure instanceof SqlError ? failure.cause : failure);
    }
  }

  execute(sql: string, options?: StatementOptions): Promise<void> {
    return this.onHome(sql, options?.signal, (home) => home.execute(sql, options));
  }

  query<T extends Row = Row>(sql: string, options?: StatementOptions): Promise<T[]> {
    return this.onHome(sql, options?.signal, (home) => home.query<T>(sql, options));
  }

  async singleStatement(sql: string): Promise<SingleStatement> {
    if (this.closed) throw new SqlError('the warehouse session is closed', sql);
    return singleStatement(sql);
  }

  append(schema: string, table: string, rows: readonly (readonly (string | null)[])[]): Promise<void> {
    return this.onHome(`append to ${schema}.${table}`, undefined, (home) => home.append(schema, table, rows));
  }

  [CLIENT]<T>(what: string, work: ClientWork<T>): Promise<T> {
    return this.onHome(what, undefined, (home) => home[CLIENT](what, work));
  }

  withConnection<T>(work: (session: Session) => Promise<T>): Promise<T> {
    return this.onClient('connect', undefined, async (held) => {
      const pinned = new PinnedSession(this.runner, held, this, false);
      try {
        return await work(pinned);
      } finally {
        await pinned.end();
      }
    });
  }

  transaction<T>(work: (session: Session) => Promise<T>): Promise<T> {
    return this.onHome('BEGIN', undefined, (home) => home.transaction(work));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const home = await this.home?.catch(() => undefined);
    if (home) {
      await home.session.end().catch(() => {});
      this.pool.release(home.held);
    }
    await this.pool.close();
  }
}

export interface PostgresSessionOptions {
  /**
   * Previews: every transaction is READ ONLY (`default_transaction_read_only` on each connection),
   * only queries run, and functions reaching files, settings or other sessions are refused
   * (read-only.ts says exactly what is and is not covered).
   */
  readOnly?: boolean;
}

/** Connects (fails fast with a VaultlineError naming host:port/database and what to check). */
export async function openPostgresSession(
  config: PostgresWarehouseConfig,
  options: PostgresSessionOptions = {},
): Promise<Session> {
  const pool = await connectPool(connectionTarget(config), options.readOnly ?? false);
  const session = new RootSession(pool);
  if (!options.readOnly) {
    // The functions the hashing SQL calls (vaultline_meta.vl_text, vl_upper …), before any load.
    try {
      await session.transaction(async (tx) => {
        for (const statement of hashingSetupStatements()) await tx.execute(statement);
      });
    } catch (error) {
      await session.close();
      throw error;
    }
  }
  return session;
}
