import pg from 'pg';
import { VaultlineError } from '../../shared/errors.ts';
import { type ConnectionTarget, sslOption, targetLabel } from './connection-config.ts';
import { isConnectionLost } from './errors.ts';
import { sessionTypes } from './type-parsers.ts';

/**
 * The connections of one warehouse session tree: a pg.Pool whose clients are set up once, when they
 * connect, so every statement sees the same rendering whatever the server's defaults are:
 *   TimeZone UTC (timestamptz prints and converts in UTC), extra_float_digits 1 (shortest exact
 *   doubles), DateStyle ISO, YMD, IntervalStyle iso_8601, client_encoding UTF8, and
 *   standard_conforming_strings on (a backslash in '…' is literal: what dialect.literal and the
 *   statement lexer assume), and jit off (see SESSION_SETTINGS). A read-only session adds
 *   default_transaction_read_only on.
 * Each client's backend pid is read then too, for cancel requests.
 */

export interface HeldClient {
  readonly client: pg.PoolClient;
  /** The backend serving this client (`pg_backend_pid()`), the target of a cancel request. */
  readonly pid: number;
  /** Set when the connection failed: the client is destroyed on release, never reused. */
  broken: boolean;
}

/** What every vaultline connection sets when it is opened (exported for the tests that check the rendering under them). */
export const SESSION_SETTINGS: readonly string[] = [
  "SET TIME ZONE 'UTC'",
  'SET extra_float_digits = 1',
  "SET datestyle = 'ISO, YMD'",
  "SET intervalstyle = 'iso_8601'",
  "SET client_encoding = 'UTF8'",
  'SET standard_conforming_strings = on',
  // Not a rendering setting: vaultline's statements are bulk loads with large expressions (the
  // hashing standard), which PostgreSQL's JIT compiles with LLVM in every process of a parallel
  // query, at every execution — about 2.5 s of compilation per statement over a million rows
  // (bench/vault-load), more than it saves. Off for vaultline's own connections only.
  'SET jit = off',
];

interface SetUp {
  pid: number;
  held?: HeldClient;
  /** The connection reported a failure (also while idle in the pool). */
  lost: boolean;
}
const setUp = new WeakMap<pg.ClientBase, SetUp>();

export class WarehousePool {
  private readonly pool: pg.Pool;
  private closed = false;

  constructor(
    readonly target: ConnectionTarget,
    private readonly ssl: false | object,
    readonly readOnly: boolean,
  ) {
    const connectTimeout = target.connectTimeoutMs;
    this.pool = new pg.Pool({
      ...this.clientConfig(),
      max: target.poolSize,
      allowExitOnIdle: true,
      // pg-pool would apply connectionTimeoutMillis to waiting for a busy pool too, failing a
      // statement queued behind long ones; the client subclass applies it to connecting only.
      Client: class extends pg.Client {
        constructor(config?: pg.ClientConfig) {
          super({ ...config, connectionTimeoutMillis: connectTimeout });
        }
      },
    });
    // An idle client whose server went away: the pool drops it; nothing to report until it is used.
    this.pool.on('error', () => {});
  }

  /** Settings of every connection (the pool's clients and the cancel connections). */
  clientConfig(): pg.ClientConfig {
    const t = this.target;
    return {
      host: t.host,
      port: t.port,
      database: t.database,
      user: t.user,
      ...(t.password !== undefined ? { password: t.password } : {}),
      ssl: this.ssl,
      application_name: t.applicationName,
      types: sessionTypes,
    };
  }

  get label(): string {
    return targetLabel(this.target);
  }

  /**
   * A client, set up on first use. `signal` aborted while waiting: rejects at once, and the client,
   * when the pool hands it over, goes straight back.
   */
  async acquire(signal?: AbortSignal): Promise<HeldClient> {
    if (this.closed) throw new VaultlineError('the warehouse session is closed');
    for (;;) {
      const pending = this.pool.connect();
      const client = signal ? await abortable(pending, signal, (c) => c.release()) : await pending;
      if (await this.diedWhileIdle(client)) {
        client.release(true);
        continue;
      }
      try {
        return await this.prepare(client);
      } catch (error) {
        client.release(true);
        throw error;
      }
    }
  }

  /**
   * A reused client whose server ended it while it sat idle (a terminated backend, a restart): the
   * server's goodbye may already be read from the socket but not yet handled. One turn of the event
   * loop lets it be handled; such a client is dropped rather than failing the next statement.
   */
  private async diedWhileIdle(client: pg.PoolClient): Promise<boolean> {
    const state = setUp.get(client);
    if (!state) return false;
    await new Promise((resolve) => setImmediate(resolve));
    return state.lost;
  }

  private async prepare(client: pg.PoolClient): Promise<HeldClient> {
    let state = setUp.get(client);
    if (!state) {
      const statements = [
        ...SESSION_SETTINGS,
        ...(this.readOnly ? ['SET default_transaction_read_only = on'] : []),
      ];
      // Our own fixed text, sent with the simple protocol: several statements in one round trip.
      const results = (await client.query(
        `${statements.join(';\n')};\nSELECT pg_backend_pid() AS pid`,
      )) as unknown as pg.QueryResult<{ pid: number }>[];
      const pid = results.at(-1)?.rows[0]?.pid;
      if (typeof pid !== 'number') throw new Error('pg_backend_pid() returned no pid');
      const own: SetUp = { pid, lost: false };
      state = own;
      setUp.set(client, own);
      // A checked-out client whose connection fails emits 'error'; unheard, it would end the process.
      client.on('error', () => {
        own.lost = true;
        if (own.held) own.held.broken = true;
      });
      client.on('end', () => {
        own.lost = true;
      });
    }
    const held: HeldClient = { client, pid: state.pid, broken: false };
    state.held = held;
    return held;
  }

  /** Back to the pool, or destroyed when its connection failed. */
  release(held: HeldClient, error?: unknown): void {
    if (error !== undefined && isConnectionLost(error)) held.broken = true;
    held.client.release(held.broken ? true : undefined);
  }

  /**
   * A cancel request for the statement running on backend `pid`, over a connection of its own (the
   * pool may be full): `pg_cancel_backend`, which a role may send to its own backends. A backend
   * waiting for its next statement ignores it, so a late request cancels nothing else.
   */
  async cancel(pid: number): Promise<void> {
    const client = new pg.Client({
      ...this.clientConfig(),
      connectionTimeoutMillis: this.target.connectTimeoutMs,
    });
    client.on('error', () => {});
    try {
      await client.connect();
      await client.query('SELECT pg_cancel_backend($1)', [pid]);
    } finally {
      await client.end().catch(() => {});
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }
}

/** `pending`, or a rejection as soon as `signal` aborts (`abandon` then gets the late value). */
function abortable<T>(pending: Promise<T>, signal: AbortSignal, abandon: (value: T) => void): Promise<T> {
  if (signal.aborted) {
    pending.then(abandon, () => {});
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    let abandoned = false;
    const onAbort = () => {
      abandoned = true;
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    pending.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        if (abandoned) abandon(value);
        else resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** First connection of a session: checks the server can be reached, and picks TLS for `prefer`. */
export async function connectPool(target: ConnectionTarget, readOnly: boolean): Promise<WarehousePool> {
  let ssl = sslOption(target.sslmode);
  let pool = new WarehousePool(target, ssl, readOnly);
  try {
    pool.release(await pool.acquire());
    return pool;
  } catch (error) {
    await pool.close().catch(() => {});
    if (target.sslmode !== 'prefer' || !noTlsOnServer(error)) throw connectFailure(target, error);
  }
  // sslmode prefer, and the server has no TLS: connect without it, as libpq does.
  ssl = false;
  pool = new WarehousePool(target, ssl, readOnly);
  try {
    pool.release(await pool.acquire());
    return pool;
  } catch (error) {
    await pool.close().catch(() => {});
    throw connectFailure(target, error);
  }
}

function noTlsOnServer(error: unknown): boolean {
  return error instanceof Error && /does not support SSL/i.test(error.message);
}

/** A connection that cannot be made, as a message naming where and what to check (never the password). */
export function connectFailure(target: ConnectionTarget, error: unknown): VaultlineError {
  const where = `${targetLabel(target)} as user ${target.user}`;
  const code = (error as { code?: unknown } | undefined)?.code;
  const message = error instanceof Error ? error.message : String(error);
  const check =
    code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EHOSTUNREACH'
      ? 'check that PostgreSQL runs there and that host and port (or warehouse.url) are right'
      : code === '28P01' || code === '28000'
        ? 'check the user and password (or the URL in warehouse.url) and the server’s pg_hba.conf'
        : code === '3D000'
          ? 'create the database first (createdb), or fix warehouse.database / the URL’s path'
          : /timeout/i.test(message)
            ? `nothing answered within connect_timeout; check host, port, firewalls, and warehouse.connect_timeout`
            : /SSL/i.test(message)
              ? 'check warehouse.sslmode against what the server offers'
              : 'check the warehouse settings in vaultline.yml';
  return new VaultlineError(`cannot connect to the PostgreSQL warehouse at ${where}: ${message}; ${check}`, {
    cause: error,
  });
}
