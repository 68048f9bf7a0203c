/**
 * The PostgreSQL session's own promises, on the throwaway server of `npm test` (the promises shared
 * with DuckDB are in test/engine-conformance.test.ts): connections that really run at the same time,
 * a dropped connection the pool recovers from, connect errors that say where and what to check, and
 * values rendered the same whatever the server's defaults.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { type TestWarehouse, testEngines } from '../../../test/helpers/engines.ts';
import { VaultlineError } from '../../shared/errors.ts';
import { type Session, SqlError } from '../dialect.ts';
import type { PostgresWarehouseConfig } from './config.ts';
import { openPostgresSession } from './session.ts';

const postgres = testEngines().find((e) => e.name === 'postgres');

async function until(check: () => Promise<boolean>): Promise<void> {
  while (!(await check())) await new Promise((resolve) => setTimeout(resolve, 20));
}

/** A client of its own on the test database, outside the session under test. */
async function outsider(w: TestWarehouse): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: (w.config as PostgresWarehouseConfig).url });
  await client.connect();
  return client;
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 1));
    });
  });
}

describe('PostgreSQL session', { skip: postgres === undefined }, () => {
  let w: TestWarehouse;
  let s: Session;
  before(async () => {
    w = await postgres!.create();
    s = await w.open();
  });
  after(async () => {
    await s.close();
    await w.drop();
  });

  test('statements on other connections run while one holds a lock: they wait for it, then go on', async () => {
    await s.execute('create table lk(id int)');
    const waiting = 'select count(*) as n from lk -- waits';
    const { counted } = await s.withConnection((a) =>
      a.transaction(async (ta) => {
        await ta.execute('lock table lk in access exclusive mode');
        // A statement on another client of the pool waits for the lock there …
        const counted = s.withConnection((b) => b.query(waiting));
        // … which a third connection sees in pg_stat_activity.
        await until(
          async () =>
            (
              await s.query("select 1 from pg_stat_activity where wait_event_type = 'Lock' and query = $1", {
                params: [waiting],
              })
            ).length > 0,
        );
        await ta.execute('insert into lk values (1)');
        return { counted };
      }),
    );
    assert.deepEqual(await counted, [{ n: 1n }], 'it ran once the lock was released, and saw the commit');
  });

  test('a connection terminated by the server fails its statement saying so; the next one reconnects', async () => {
    const admin = await outsider(w);
    try {
      await s.withConnection(async (pinned) => {
        const [row] = await pinned.query<{ pid: number }>('select pg_backend_pid() as pid');
        const sleeping = pinned.query('select pg_sleep(20)');
        sleeping.catch(() => {});
        await until(
          async () =>
            (
              await admin.query("select 1 from pg_stat_activity where pid = $1 and state = 'active'", [
                row?.pid,
              ])
            ).rowCount === 1,
        );
        await admin.query('select pg_terminate_backend($1)', [row?.pid]);
        await assert.rejects(sleeping, (error: unknown) => {
          assert.ok(error instanceof SqlError);
          assert.match(error.message, /connection to the warehouse was lost/);
          assert.equal(error.sql, 'select pg_sleep(20)');
          return true;
        });
        await assert.rejects(pinned.query('select 1'), /connection to the warehouse was lost/);
      });
      assert.deepEqual(await s.query('select 1 as one'), [{ one: 1 }]);

      // Idle connections of the pool terminated: the next statements get new ones.
      await s.query('select 1');
      await admin.query(
        "select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and application_name = 'vaultline-test'",
      );
      await until(
        async () =>
          (
            await admin.query(
              "select 1 from pg_stat_activity where datname = current_database() and application_name = 'vaultline-test'",
            )
          ).rowCount === 0,
      );
      // The home client may not have read the server's goodbye yet (it arrives as the socket's next
      // event): then this statement is the one that finds the connection dead, fails saying so, and
      // the one after it runs on a new connection. Either way nothing hangs and nothing is retried blindly.
      const afterTermination = await s.query('select 2 as two').catch((error: unknown) => {
        assert.ok(error instanceof SqlError, String(error));
        assert.match(error.message, /connection to the warehouse was lost/);
        return undefined;
      });
      if (afterTermination) assert.deepEqual(afterTermination, [{ two: 2 }]);
      assert.deepEqual(await s.query('select 3 as three'), [{ three: 3 }]);
    } finally {
      await admin.end();
    }
  });

  test('COMMIT of a transaction in which a statement failed is reported, not taken for a commit', async () => {
    await s.execute('create table kept(id int)');
    await assert.rejects(
      s.transaction(async (tx) => {
        await tx.execute('insert into kept values (1)');
        await tx.execute('select * from missing').catch(() => {});
      }),
      /rolled back/,
    );
    assert.deepEqual(await s.query('select count(*) as n from kept'), [{ n: 0n }]);
  });

  test('values render the same whatever the server defaults: UTC, ISO dates, exact numbers, JSON text', async () => {
    const admin = await outsider(w);
    try {
      // A database whose defaults differ: the session's own settings win.
      const database = (await admin.query('select current_database() as d')).rows[0].d as string;
      await admin.query(`alter database "${database}" set timezone = 'America/New_York'`);
      await admin.query(`alter database "${database}" set datestyle = 'SQL, DMY'`);
      await admin.query(`alter database "${database}" set extra_float_digits = -3`);
      const fresh = await w.open();
      try {
        const [found] = await fresh.query(`select
          current_setting('TimeZone') as tz_name,
          timestamptz '2026-03-04 05:06:07.891+02' as tz,
          timestamp '0001-01-01 00:00:00' as ghost,
          date '0044-03-15 BC' as ides,
          'infinity'::timestamp as forever,
          (timestamptz '2026-01-01 00:00:00+00')::text as tz_text,
          12345678901234567890.000000001::numeric as exact,
          0.1::float8 as tenth,
          9223372036854775807::int8 as big,
          array[1, 2]::int8[] as bigs,
          '{"b":1, "a" :2}'::json as j,
          interval '1 day 2 hours' as span`);
        assert.ok(found);
        const row = found;
        assert.equal(row?.tz_name, 'UTC');
        assert.deepEqual(row?.tz, new Date('2026-03-04T03:06:07.891Z'));
        assert.equal((row.ghost as Date).toISOString(), '0001-01-01T00:00:00.000Z');
        assert.equal((row.ides as Date).getUTCFullYear(), -43);
        assert.equal(row?.forever, 'infinity');
        assert.equal(row?.tz_text, '2026-01-01 00:00:00+00');
        assert.equal(row?.exact, '12345678901234567890.000000001');
        assert.equal(row?.tenth, 0.1);
        assert.equal(row?.big, 9223372036854775807n);
        assert.deepEqual(row?.bigs, [1n, 2n]);
        assert.equal(row?.j, '{"b":1, "a" :2}');
        assert.equal(row?.span, 'P1DT2H');
      } finally {
        await fresh.close();
      }
    } finally {
      await admin.end();
    }
  });

  test('close is idempotent, and a closed session refuses statements', async () => {
    const other = await w.open();
    await other.close();
    await other.close();
    await assert.rejects(other.query('select 1'), /closed/);
  });
});

describe('PostgreSQL connect errors', { skip: postgres === undefined }, () => {
  test('nothing listening: names host:port/database and what to check, never the password', async () => {
    const port = await freePort();
    const config = {
      type: 'postgres',
      url: `postgres://someone:sekret-pw@127.0.0.1:${port}/analytics`,
      sslmode: 'disable',
      pool_size: 2,
      connect_timeout: 5,
      application_name: 'vaultline-test',
    } as const;
    await assert.rejects(openPostgresSession(config), (error: unknown) => {
      assert.ok(error instanceof VaultlineError);
      assert.match(error.message, new RegExp(`127\\.0\\.0\\.1:${port}/analytics as user someone`));
      assert.match(error.message, /check that PostgreSQL runs there/);
      assert.doesNotMatch(error.message, /sekret/);
      return true;
    });
  });

  test('a database that does not exist: says to create it', async () => {
    const url = new URL(process.env.VAULTLINE_TEST_POSTGRES_URL ?? 'postgres://localhost/x');
    url.pathname = '/vl_no_such_database';
    await assert.rejects(
      openPostgresSession({
        type: 'postgres',
        url: url.toString(),
        database: 'vl_no_such_database',
        sslmode: 'prefer',
        pool_size: 1,
        connect_timeout: 5,
        application_name: 'vaultline-test',
      }),
      /vl_no_such_database.*does not exist.*create the database first/,
    );
  });
});
