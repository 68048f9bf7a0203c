import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { testEngines } from '../../test/helpers/engines.ts';
import { test as dataTest, graphOf, model, seed, selectAll } from '../../test/helpers/run-graph.ts';
import { tempProject } from '../../test/helpers/run-project.ts';

for (const engine of testEngines()) {
  describe(`${engine.name}: data tests and skip propagation (build)`, () => {
    const p = tempProject({ engine });
    before(() => p.ready());
    after(() => p.cleanup());
    writeFileSync(
      join(p.dir, 'people.csv'),
      'id,name,status\n1,ann,active\n2,,active\n3,cy,gone\n3,dup,active\n',
    );
    const people = seed('seed_people', join(p.dir, 'people.csv'), { id: 'INTEGER' });
    const stg = model('stg_x', "select * from {{ ref('seed_people') }}", { materialized: 'view' });
    const mart = model('mart_x', "select count(*) as n from {{ ref('stg_x') }}");
    const downstream = model('mart_y', "select * from {{ ref('mart_x') }}");
    const other = model('other', "select 1 as one from {{ ref('seed_people') }} limit 1");

    test('a failing error-severity test skips the downstream nodes, naming the test', async () => {
      const notNull = dataTest('not_null_stg_x_name', 'stg_x', { testName: 'not_null', columnName: 'name' });
      const unique = dataTest('unique_stg_x_id', 'stg_x', {
        testName: 'unique',
        columnName: 'id',
        severity: 'warn',
      });
      const accepted = dataTest('accepted_values_stg_x_status', 'stg_x', {
        testName: 'accepted_values',
        columnName: 'status',
        values: ['active', 'gone'],
      });
      const singular = dataTest('assert_mart_positive', 'mart_x', {
        rawSql: "select * from {{ ref('mart_x') }} where n <= 0",
      });
      const graph = graphOf([people, stg, mart, downstream, other, notNull, unique, accepted, singular]);
      const { result } = await p.run('build', selectAll(graph));
      const by = new Map(result.results.map((r) => [r.uniqueId.split('.').pop(), r]));
      assert.equal(by.get('seed_people')!.status, 'success');
      assert.equal(by.get('stg_x')!.status, 'success');
      const nn = by.get('not_null_stg_x_name')!;
      assert.equal(nn.status, 'fail');
      assert.equal(nn.failures, 1);
      assert.deepEqual(nn.sample, [{ id: 2, name: null, status: 'active' }]);
      const un = by.get('unique_stg_x_id')!;
      assert.equal(un.status, 'warn');
      assert.equal(un.failures, 1);
      assert.deepEqual(un.sample, [{ unique_field: 3, n_records: 2 }]);
      assert.equal(by.get('accepted_values_stg_x_status')!.status, 'pass');
      assert.equal(by.get('mart_x')!.status, 'skipped');
      assert.equal(by.get('mart_x')!.message, 'skipped: upstream test not_null_stg_x_name failed');
      assert.equal(by.get('mart_y')!.status, 'skipped');
      assert.equal(by.get('mart_y')!.message, 'skipped: upstream test not_null_stg_x_name failed');
      assert.equal(by.get('assert_mart_positive')!.status, 'skipped');
      assert.equal(by.get('other')!.status, 'success', 'a sibling branch still runs');
      assert.equal(result.success, false);
      // Order: every test of stg_x runs before mart_x would have.
      const order = result.results.map((r) => r.uniqueId.split('.').pop());
      assert.ok(order.indexOf('not_null_stg_x_name') < order.indexOf('mart_x'));
      const stored = await p.query(
        "select status, message, failures from vaultline_meta.node_results where run_id = 'run-1' and unique_id = 'model.p.mart_x'",
      );
      assert.deepEqual(stored, [
        { status: 'skipped', message: 'skipped: upstream test not_null_stg_x_name failed', failures: null },
      ]);
      const run = await p.query(
        "select command, status, success from vaultline_meta.runs where run_id = 'run-1'",
      );
      assert.deepEqual(run, [{ command: 'build', status: 'failed', success: false }]);
    });

    test('a model error skips its descendants with the model named; warn-only tests do not skip', async () => {
      const broken = { ...stg, rawSql: 'select * from nowhere' };
      const unique = dataTest('unique_stg_x_id', 'stg_x', {
        testName: 'unique',
        columnName: 'id',
        severity: 'warn',
      });
      const graph = graphOf([people, broken, mart, downstream, unique]);
      const { result } = await p.run('build', selectAll(graph), { threads: 4 });
      const by = new Map(result.results.map((r) => [r.uniqueId.split('.').pop(), r]));
      assert.equal(by.get('stg_x')!.status, 'error');
      assert.match(by.get('stg_x')!.message!, /nowhere/);
      assert.equal(by.get('unique_stg_x_id')!.message, 'skipped: upstream model stg_x errored');
      assert.equal(by.get('mart_x')!.message, 'skipped: upstream model stg_x errored');
      assert.equal(by.get('mart_y')!.message, 'skipped: upstream model stg_x errored');
    });

    test('`run` does not run tests and `test` runs only tests', async () => {
      const graph = graphOf([
        people,
        stg,
        mart,
        dataTest('not_null_stg_x_name', 'stg_x', { testName: 'not_null', columnName: 'name' }),
      ]);
      const run = (await p.run('run', selectAll(graph))).result;
      assert.deepEqual(
        run.results.map((r) => [r.uniqueId, r.status]),
        [
          ['model.p.stg_x', 'success'],
          ['model.p.mart_x', 'success'],
        ],
      );
      const t = (await p.run('test', selectAll(graph))).result;
      assert.deepEqual(
        t.results.map((r) => [r.uniqueId, r.status]),
        [['test.p.not_null_stg_x_name', 'fail']],
      );
      assert.equal(t.success, false);
    });

    test('with warn severity only, the build succeeds', async () => {
      const graph = graphOf([
        people,
        stg,
        dataTest('unique_stg_x_id', 'stg_x', { testName: 'unique', columnName: 'id', severity: 'warn' }),
      ]);
      const { result } = await p.run('build', selectAll(graph));
      assert.equal(result.success, true);
    });
  });
}
