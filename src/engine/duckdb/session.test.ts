import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { SqlError } from '../dialect.ts';
import { openDuckDbSession } from './session.ts';
import { WarehouseLockedError } from './warehouse-lock.ts';

const dir = mkdtempSync(join(tmpdir(), 'vaultline-session-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('DuckDB session', () => {
  test('execute, query rows as objects, BIGINT as bigint', async () => {
    const s = await openDuckDbSession(':memory:');
    await s.execute('create table t(id bigint, v varchar)');
    await s.execute('insert into t values (1, $$a$$), (2, NULL)');
    const rows = await s.query('select * from t order by id');
    assert.deepEqual(rows, [
      { id: 1n, v: 'a' },
      { id: 2n, v: null },
    ]);
    await s.close();
  });

  test('runtime failures throw SqlError with the SQL and cause', async () => {
    const s = await openDuckDbSession(':memory:');
    await assert.rejects(s.query('select * from nowhere'), (error: unknown) => {
      assert.ok(error instanceof SqlError);
      assert.equal(error.sql, 'select * from nowhere');
      assert.match(error.message, /nowhere/);
      assert.ok(error.cause instanceof Error);
      return true;
    });
    await s.close();
  });

  test('transaction commits, and rolls back DDL and DML when work throws', async () => {
    const s = await openDuckDbSession(':memory:');
    await s.execute('create table t as select 1 as id');
    await s.transaction(async (tx) => {
      await tx.execute('insert into t values (2)');
    });
    await assert.rejects(
      s.transaction(async (tx) => {
        await tx.execute('drop table t');
        await tx.execute('create table t as select 99 as id');
        await tx.execute('select * from missing_relation');
      }),
      SqlError,
    );
    assert.deepEqual(await s.query('select id from t order by id'), [{ id: 1 }, { id: 2 }]);
    await s.close();
  });

  test('MERGE INTO works (supportsMerge)', async () => {
    const s = await openDuckDbSession(':memory:');
    assert.equal(s.dialect.capabilities.supportsMerge, true);
    for (const statement of [
      'create table t(id int, v varchar)',
      "insert into t values (1, 'a'), (2, 'b')",
      'create table src(id int, v varchar)',
      "insert into src values (2, 'B'), (3, 'c')",
    ])
      await s.execute(statement);
    await s.execute(`merge into t using src on t.id = src.id
      when matched then update set v = src.v when not matched then insert (id, v) values (src.id, src.v)`);
    assert.deepEqual(await s.query('select * from t order by id'), [
      { id: 1, v: 'a' },
      { id: 2, v: 'B' },
      { id: 3, v: 'c' },
    ]);
    await s.close();
  });

  test('creates the warehouse folder on first use', async () => {
    const path = join(dir, 'nested', 'deeper', 'w.duckdb');
    const s = await openDuckDbSession(path);
    await s.execute('create table t as select 1 as x');
    await s.close();
    const again = await openDuckDbSession(path);
    assert.deepEqual(await again.query('select x from t'), [{ x: 1 }]);
    await again.close();
  });

  test('a file held by another process fails fast naming the holder', async () => {
    const path = join(dir, 'held.duckdb');
    const holderScript = `
      import { DuckDBInstance } from '@duckdb/node-api';
      const instance = await DuckDBInstance.create(${JSON.stringify(path)});
      await instance.connect();
      process.stdout.write('ready\\n');
      setInterval(() => {}, 1000);
    `;
    const holder = spawn(
      process.execPath,
      ['--title=vaultline-test-holder', '--input-type=module', '-e', holderScript],
      {
        cwd: process.cwd(),
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    try {
      await new Promise<void>((resolve, reject) => {
        holder.stdout.on('data', (chunk: Buffer) => {
          if (chunk.toString().includes('ready')) resolve();
        });
        holder.on('exit', (code) => reject(new Error(`holder exited early with ${code}`)));
      });
      await assert.rejects(openDuckDbSession(path), (error: unknown) => {
        assert.ok(error instanceof WarehouseLockedError);
        assert.equal(error.holder.pid, holder.pid);
        assert.match(error.message, new RegExp(`in use by process ${holder.pid} \\(`));
        assert.match(error.message, /vaultline-test-holder/);
        assert.match(error.message, /Wait for that command to finish or stop it/);
        assert.equal(error.exitCode, 1);
        return true;
      });
    } finally {
      holder.kill();
    }
  });
});
