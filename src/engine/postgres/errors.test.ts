/**
 * describePostgresError on the server's real errors (the shared kinds are in
 * test/engine-conformance.test.ts): qualified names, hints with several candidates, positions counted
 * in characters, and which failures mean a lost connection.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type TestWarehouse, testEngines } from '../../../test/helpers/engines.ts';
import { type Session, SqlError } from '../dialect.ts';
import { describePostgresError, isConnectionLost } from './errors.ts';

const postgres = testEngines().find((e) => e.name === 'postgres');

describe('describePostgresError on PostgreSQL 15', { skip: postgres === undefined }, () => {
  let w: TestWarehouse;
  let s: Session;
  before(async () => {
    w = await postgres!.create();
    s = await w.open();
    await s.execute('create table t (id int, name text, named text)');
    await s.execute('create table u (id int, name text)');
  });
  after(async () => {
    await s.close();
    await w.drop();
  });

  const info = async (sql: string) => {
    try {
      await s.execute(sql);
    } catch (error) {
      assert.ok(error instanceof SqlError);
      return describePostgresError(error.cause);
    }
    throw new Error(`${sql} did not fail`);
  };

  test('a qualified unknown column: its own name; the hint gives the candidates without their table', async () => {
    const column = await info('select t.nme\nfrom t');
    assert.deepEqual([column.kind, column.name, column.line], ['unknown-column', 'nme', 1]);
    assert.deepEqual(column.candidates, ['name']);
    const ambiguous = await info('select\n\nnam from t join u on true');
    assert.equal(ambiguous.line, 3);
    assert.ok((ambiguous.candidates ?? []).every((c) => !c.includes('.')));
  });

  test('an INSERT naming a column the table does not have', async () => {
    const column = await info('insert into t (id, nope) values (1, 2)');
    assert.deepEqual([column.kind, column.name], ['unknown-column', 'nope']);
  });

  test('the line counts characters as the server does (astral characters are one)', async () => {
    const column = await info("select '😀😀😀😀😀😀😀😀', 'x',\n missing from t");
    assert.deepEqual([column.kind, column.line], ['unknown-column', 2]);
  });

  test('a schema-qualified unknown relation', async () => {
    const relation = await info('select * from\n  nowhere.tt');
    assert.deepEqual([relation.kind, relation.name, relation.line], ['unknown-relation', 'nowhere.tt', 2]);
  });

  test('conversions: text to number, out of range, bad dates', async () => {
    for (const sql of [
      "select 'x'::int",
      'select 99999999999::int',
      "select '2026-13-01'::date",
      "select '24:61'::time",
    ]) {
      assert.equal((await info(sql)).kind, 'conversion', sql);
    }
  });

  test('a lost connection is told apart from other failures', () => {
    const withCode = (code: string, message = 'x') => Object.assign(new Error(message), { code });
    assert.equal(isConnectionLost(withCode('57P01')), true);
    assert.equal(isConnectionLost(withCode('08006')), true);
    assert.equal(isConnectionLost(withCode('ECONNRESET')), true);
    assert.equal(isConnectionLost(new Error('Connection terminated unexpectedly')), true);
    assert.equal(isConnectionLost(withCode('42P01')), false);
    assert.equal(isConnectionLost(withCode('57014', 'canceling statement due to user request')), false);
  });

  test("a lost connection's description says the connection was lost, not only the server's words", () => {
    const terminated = Object.assign(new Error('terminating connection due to administrator command'), {
      code: '57P01',
    });
    const info = describePostgresError(terminated);
    assert.equal(info.kind, 'other');
    assert.match(
      info.message,
      /^the connection to the warehouse was lost \(terminating connection due to administrator command\)/,
    );
  });
});
