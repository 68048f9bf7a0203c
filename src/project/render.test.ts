import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { engineFor } from '../engine/engine.ts';
import { prependCtes, renderWithEphemerals } from './ephemeral.ts';
import { RenderError } from './errors.ts';
import { defaultRelationFor, relationName } from './relations.ts';
import { renderNode } from './render.ts';
import { loadTempProject } from './test-project.ts';
import type { GraphNode, ProjectGraph, RenderContext } from './types.ts';

let graph: ProjectGraph;
let cleanup: () => Promise<void>;
before(async () => {
  ({ graph, cleanup } = await loadTempProject({
    'models/base.sql': 'select 1 as id, 5 as amount',
    'models/other.sql': 'select 2 as id',
    'models/inc.sql': [
      "{{ config(materialized='incremental', unique_key='id') }}",
      "select * from {{ ref('base') }}",
      '{% if is_incremental() %}',
      'where id > (select max(id) from {{ this }})',
      '{% endif %};',
      '',
    ].join('\n'),
    'models/hidden_dep.sql': [
      "{{ config(materialized='incremental') }}",
      "select * from {{ ref('base') }}",
      "{% if is_incremental() %}union all select * from {{ ref('other') }}{% endif %}",
    ].join('\n'),
    'models/declared_dep.sql': [
      "-- depends_on: {{ ref('other') }}",
      "{{ config(materialized='incremental') }}",
      "select * from {{ ref('base') }}",
      "{% if is_incremental() %}union all select * from {{ ref('other') }}{% endif %}",
    ].join('\n'),
    'models/needs_var.sql':
      "select {{ var('threshold') }} as t, '{{ target.name }}' as target_name from {{ source('s', 't') }}",
    'models/eph.sql': "{{ config(materialized='ephemeral') }}\nselect id from {{ ref('base') }}",
    'models/eph2.sql': "{{ config(materialized='ephemeral') }}\nselect id from {{ ref('eph') }}",
    'models/uses_eph.sql': "with x as (select 1) select * from {{ ref('eph2') }}, {{ ref('eph') }}",
    'models/schema.yml': [
      'sources:',
      '  - name: s',
      '    tables: [{name: t}]',
      'models:',
      '  - name: base',
      '    columns:',
      '      - name: amount',
      '        data_tests:',
      '          - not_null:',
      '              config: {where: "amount > {{ var(\'min_amount\', 0) }}"}',
      '  - name: eph',
      '    columns:',
      '      - name: id',
      '        data_tests: [unique]',
    ].join('\n'),
    'tests/no_negative.sql': "select * from {{ ref('base') }} where amount < 0",
  }));
});
after(() => cleanup());

const node = (id: string): GraphNode => graph.nodes.get(id)!;
const context = (overrides: Partial<RenderContext> = {}): RenderContext => ({
  relationFor: (id) => `<${id}>`,
  isIncremental: false,
  thisRelation: '"main"."this"',
  target: { name: 'ci', type: 'duckdb', schema: 'main' },
  vars: {},
  dialect: 'duckdb',
  literal: (value) => engineFor('duckdb').dialect.literal(value),
  ...overrides,
});

describe('renderNode', () => {
  it('the project loads cleanly', () => {
    assert.deepEqual(
      graph.diagnostics.filter((d) => d.severity === 'error'),
      [],
    );
  });

  it('resolves ref() through relationFor; strips the trailing semicolon', () => {
    assert.equal(renderNode(graph, node('model.p.inc'), context()), 'select * from <model.p.base>');
  });

  it('renders the is_incremental() branch and {{ this }} when the run is incremental', () => {
    assert.equal(
      renderNode(graph, node('model.p.inc'), context({ isIncremental: true })),
      'select * from <model.p.base>\n\nwhere id > (select max(id) from "main"."this")',
    );
  });

  it('a ref() only inside is_incremental() was not seen at parse time: a clear error with the fix', () => {
    assert.deepEqual(node('model.p.hidden_dep').dependsOn, ['model.p.base']);
    assert.throws(
      () => renderNode(graph, node('model.p.hidden_dep'), context({ isIncremental: true })),
      (e: unknown) =>
        e instanceof RenderError &&
        e.exitCode === 1 &&
        /models\/hidden_dep.sql:3:\d+: model hidden_dep: ref\('other'\) was not seen when the project was parsed/.test(
          e.message,
        ) &&
        /add a line "-- depends_on: \{\{ ref\('other'\) \}\}"/.test(e.message),
    );
    assert.deepEqual(node('model.p.declared_dep').dependsOn, ['model.p.other', 'model.p.base']);
    assert.match(
      renderNode(graph, node('model.p.declared_dep'), context({ isIncremental: true })),
      /union all select \* from <model.p.other>/,
    );
  });

  it('var() without a value is an error naming the model; vars and target come from the context', () => {
    assert.throws(
      () => renderNode(graph, node('model.p.needs_var'), context()),
      (e: unknown) =>
        e instanceof RenderError &&
        e.node === 'model.p.needs_var' &&
        e.line === 1 &&
        /var\('threshold'\) has no value \(model needs_var, models\/needs_var.sql\)/.test(e.message),
    );
    assert.equal(
      renderNode(graph, node('model.p.needs_var'), context({ vars: { threshold: 7 } })),
      "select 7 as t, 'ci' as target_name from <source.p.s.t>",
    );
  });

  it('generic tests: where filters the tested relation, rendered with Jinja', () => {
    assert.equal(
      renderNode(graph, node('test.p.not_null_base_amount'), context({ vars: { min_amount: 3 } })),
      'select *\nfrom (select * from <model.p.base> where amount > 3) dbt_subquery\nwhere amount is null',
    );
  });

  it('singular tests render their SQL', () => {
    assert.equal(
      renderNode(graph, node('test.p.no_negative'), context()),
      'select * from <model.p.base> where amount < 0',
    );
  });

  it('sources and seeds do not render', () => {
    assert.throws(() => renderNode(graph, node('source.p.s.t'), context()), /only models and tests render/);
  });
});

describe('renderWithEphemerals', () => {
  const compile = (id: string) => {
    const n = node(id);
    return renderWithEphemerals(graph, n, {
      ...context(),
      relationFor: defaultRelationFor(graph),
      thisRelation: n.resourceType === 'test' ? '' : relationName(n),
    });
  };

  it('inlines ephemeral models (and their ephemeral parents) as CTEs, spliced into an existing WITH', () => {
    assert.equal(
      compile('model.p.uses_eph'),
      [
        'with __vl_ephemeral__eph as (',
        '  select id from "main"."base"',
        '),',
        '__vl_ephemeral__eph2 as (',
        '  select id from __vl_ephemeral__eph',
        '),',
        'x as (select 1) select * from __vl_ephemeral__eph2, __vl_ephemeral__eph',
      ].join('\n'),
    );
  });

  it('tests on ephemeral models get the CTE too', () => {
    assert.match(
      compile('test.p.unique_eph_id'),
      /^with __vl_ephemeral__eph as \(\n {2}select id from "main"."base"\n\)\nselect\n {4}id as unique_field/,
    );
  });

  it('prependCtes keeps leading comments on top and handles WITH RECURSIVE', () => {
    assert.equal(
      prependCtes('-- note\nselect 1', ['a as (select 1)']),
      '-- note\nwith a as (select 1)\nselect 1',
    );
    assert.equal(
      prependCtes('WITH RECURSIVE r as (select 1) select * from r', ['a as (x)']),
      'with recursive a as (x),\nr as (select 1) select * from r',
    );
    assert.equal(prependCtes('select 1', []), 'select 1');
  });
});
