/**
 * Where `store_failures` can be set and how it lands on a TestNode: YAML `config:`, the deprecated
 * top-level key, `+store_failures` / `+schema` under `tests:` in vaultline.yml, `{{ config() }}` in a
 * singular test; bad values are errors with the file and line.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { selectNodes } from './selection/select.ts';
import { loadTempProject } from './test-project.ts';
import type { ProjectGraph, TestNode } from './types.ts';

describe('store_failures config', () => {
  let graph: ProjectGraph;
  let cleanup: () => Promise<void>;
  before(async () => {
    ({ graph, cleanup } = await loadTempProject({
      'vaultline.yml': [
        'name: p',
        'tests:',
        '  qa:',
        '    +store_failures: true',
        '    +schema: qa_audit',
        '',
      ].join('\n'),
      'models/items.sql': 'select 1 as id, 2 as code',
      'models/schema.yml': [
        'version: 2',
        'models:',
        '  - name: items',
        '    columns:',
        '      - name: id',
        '        data_tests:',
        '          - not_null:',
        '              config: {severity: warn, store_failures: true}',
        '          - unique:',
        '              config: {store_failures: true, schema: audit}',
        '      - name: code',
        '        data_tests:',
        '          - not_null',
        '          - unique:',
        '              store_failures: true',
        '',
      ].join('\n'),
      'tests/assert_one.sql':
        "{{ config(store_failures=true) }}\nselect * from {{ ref('items') }} where id <> 1",
      'tests/qa/assert_two.sql': "select * from {{ ref('items') }} where id <> 1",
      'tests/qa/assert_three.sql':
        "{{ config(store_failures=false) }}\nselect * from {{ ref('items') }} where id <> 1",
    }));
  });
  after(() => cleanup());

  const test = (name: string): TestNode => {
    const node = graph.nodes.get(`test.p.${name}`);
    assert.ok(node?.resourceType === 'test', `no test ${name}`);
    return node;
  };

  it('YAML config: on a generic test, with the default schema or schema:', () => {
    assert.deepEqual(test('not_null_items_id').storeFailures, {
      schema: 'vaultline_test_failures',
      name: 'not_null_items_id',
    });
    assert.equal(test('not_null_items_id').severity, 'warn');
    assert.deepEqual(test('unique_items_id').storeFailures, { schema: 'audit', name: 'unique_items_id' });
    assert.equal(test('not_null_items_code').storeFailures, undefined);
    assert.equal(test('not_null_items_code').config.store_failures, undefined);
  });

  it('the deprecated top-level key works, with the usual deprecation warning', () => {
    assert.deepEqual(test('unique_items_code').storeFailures?.schema, 'vaultline_test_failures');
    const warning = graph.diagnostics.find((d) => /store_failures at the top level/.test(d.message));
    assert.equal(warning?.severity, 'warning');
  });

  it('singular tests: config(), and +store_failures/+schema folder configs that config() overrides', () => {
    assert.deepEqual(test('assert_one').storeFailures, {
      schema: 'vaultline_test_failures',
      name: 'assert_one',
    });
    assert.deepEqual(test('assert_two').storeFailures, { schema: 'qa_audit', name: 'assert_two' });
    assert.equal(test('assert_three').storeFailures, undefined);
  });

  it('config.store_failures: selects them', () => {
    const selected = selectNodes(graph, { select: ['config.store_failures:true'], exclude: [] });
    assert.deepEqual(
      [...selected.selected].sort(),
      ['assert_one', 'assert_two', 'not_null_items_id', 'unique_items_code', 'unique_items_id'].map(
        (n) => `test.p.${n}`,
      ),
    );
  });

  it('no error diagnostics in this project', () => {
    assert.deepEqual(
      graph.diagnostics.filter((d) => d.severity === 'error'),
      [],
    );
  });
});

describe('store_failures config errors', () => {
  it('a non-boolean store_failures and a bad schema are errors with their line', async () => {
    const { graph, cleanup } = await loadTempProject({
      'models/items.sql': 'select 1 as id',
      'models/schema.yml': [
        'version: 2',
        'models:',
        '  - name: items',
        '    columns:',
        '      - name: id',
        '        data_tests:',
        '          - not_null:',
        '              config: {store_failures: "yes"}',
        '          - unique:',
        '              config: {store_failures: true, schema: "bad schema"}',
        '',
      ].join('\n'),
      'tests/assert_x.sql': "{{ config(store_faliures=true) }}\nselect * from {{ ref('items') }}",
    });
    try {
      const errors = graph.diagnostics.filter((d) => d.severity === 'error');
      const find = (pattern: RegExp) => {
        const found = errors.find((d) => pattern.test(`${d.message} ${d.hint ?? ''}`));
        assert.ok(found, `no error matching ${pattern}; got ${errors.map((e) => e.message).join('; ')}`);
        return found;
      };
      assert.deepEqual(
        [find(/config store_failures is not valid/).file, find(/config store_failures is not valid/).line],
        ['models/schema.yml', 7],
      );
      assert.equal(find(/config schema is not valid/).line, 9);
      assert.match(find(/unknown test config "store_faliures"/).hint ?? '', /did you mean "store_failures"/);
    } finally {
      await cleanup();
    }
  });
});
