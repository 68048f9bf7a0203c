import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { test as dataTest, graphOf, model, seed, selectAll, source } from '../../test/helpers/run-graph.ts';
import { COMMAND_RESOURCE_TYPES, planExecution } from './plan.ts';

const src = source('s', 't');
const sd = seed('seed_a', '/x.csv');
const e1 = model('e1', "select * from {{ source('s', 't') }}", { materialized: 'ephemeral' });
const e2 = model('e2', "select * from {{ ref('e1') }} join {{ ref('seed_a') }} using (id)", {
  materialized: 'ephemeral',
});
const stg = model('stg', "select * from {{ ref('e2') }}");
const mid = model('mid', "select * from {{ ref('stg') }}", { materialized: 'view' });
const mart = model('mart', "select * from {{ ref('mid') }}");
const side = model('side', "select * from {{ ref('seed_a') }}");
const tStg = dataTest('not_null_stg_id', 'stg', { testName: 'not_null', columnName: 'id' });
const rel = {
  ...dataTest('relationships_mart_stg', 'mart', { testName: 'relationships' }),
  dependsOn: ['model.p.mart', 'model.p.stg'],
};
const graph = graphOf([src, sd, e1, e2, stg, mid, mart, side, tStg, rel]);
const ids = (p: ReturnType<typeof planExecution>) => p.steps.map((s) => s.uniqueId.split('.').pop());

describe('planExecution', () => {
  test('build: seeds, models and tests in dependency order; ephemerals and sources never run', () => {
    const plan = planExecution(selectAll(graph), {
      resourceTypes: COMMAND_RESOURCE_TYPES.build,
      testsGate: true,
    });
    assert.deepEqual(ids(plan), [
      'seed_a',
      'stg',
      'side',
      'not_null_stg_id',
      'mid',
      'mart',
      'relationships_mart_stg',
    ]);
    assert.deepEqual(
      plan.levels.map((l) => l.map((id) => id.split('.').pop())),
      [['seed_a'], ['stg', 'side'], ['not_null_stg_id'], ['mid'], ['mart'], ['relationships_mart_stg']],
    );
  });

  test('a step inlines ephemerals of ephemerals, dependencies first, and reads their sources', () => {
    const plan = planExecution(selectAll(graph), { resourceTypes: COMMAND_RESOURCE_TYPES.run });
    const step = plan.steps.find((s) => s.uniqueId === 'model.p.stg')!;
    assert.deepEqual(step.ephemerals, ['model.p.e1', 'model.p.e2']);
    assert.deepEqual(step.sources, ['source.p.s.t']);
    assert.deepEqual(plan.steps.find((s) => s.uniqueId === 'model.p.mid')!.sources, []);
  });

  test("build: nodes downstream of a tested model wait for its tests; a test never waits for its own parents' descendants", () => {
    const plan = planExecution(selectAll(graph), {
      resourceTypes: COMMAND_RESOURCE_TYPES.build,
      testsGate: true,
    });
    const after = (name: string) =>
      plan.steps
        .find((s) => s.uniqueId.endsWith(`.${name}`))!
        .after.map((a) => a.split('.').pop())
        .sort();
    assert.deepEqual(after('mid'), ['not_null_stg_id', 'seed_a', 'stg']);
    // mart is downstream of stg (a parent of the relationships test) but also that test's own parent.
    assert.ok(!after('mart').includes('relationships_mart_stg'));
    assert.deepEqual(after('relationships_mart_stg'), ['mart', 'mid', 'seed_a', 'stg']);
  });

  test('run without testsGate: no waiting for tests; order kept through unselected nodes', () => {
    const selected = selectAll(graph, ['model.p.stg', 'model.p.mart']);
    const plan = planExecution(selected, { resourceTypes: COMMAND_RESOURCE_TYPES.run });
    assert.deepEqual(ids(plan), ['stg', 'mart']);
    assert.deepEqual(plan.steps[1]!.after, ['model.p.stg'], 'mart waits for stg through the unselected mid');
  });

  test('commands pick their resource types', () => {
    assert.deepEqual(ids(planExecution(selectAll(graph), { resourceTypes: COMMAND_RESOURCE_TYPES.seed })), [
      'seed_a',
    ]);
    assert.deepEqual(ids(planExecution(selectAll(graph), { resourceTypes: COMMAND_RESOURCE_TYPES.test })), [
      'not_null_stg_id',
      'relationships_mart_stg',
    ]);
  });
});
