import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UsageError } from '../../shared/errors.ts';
import { childrenOf } from '../resolve-graph.ts';
import type { GraphNode, ModelNode, ProjectGraph, SourceNode, TestNode } from '../types.ts';
import { SelectorError } from './parse.ts';
import { selectNodes } from './select.ts';

/*
 * A tiny graph:
 *   source demo.items ─► stg_items ─► int_items (ephemeral) ─► dim_items ─► summary
 *   seed categories ───► stg_categories ───────────────────────┘
 *   source demo.orders (nothing reads it)
 * tests: not_null_stg_items_id (generic on stg_items), relationships (stg_items → stg_categories),
 * assert_summary (singular, reads summary)
 */
function model(
  name: string,
  folders: string[],
  dependsOn: string[],
  extra: Partial<ModelNode> = {},
): ModelNode {
  const materialized = extra.materialized ?? 'view';
  return {
    uniqueId: `model.p.${name}`,
    resourceType: 'model',
    name,
    file: `models/${[...folders, name].join('/')}.sql`,
    fqn: [...folders, name],
    tags: extra.tags ?? [],
    dependsOn,
    config: { materialized, ...(extra.tags ? { tags: extra.tags } : {}) },
    rawSql: '',
    materialized,
    schema: 'main',
    alias: name,
    columns: [],
  };
}

function source(table: string): SourceNode {
  return {
    uniqueId: `source.p.demo.${table}`,
    resourceType: 'source',
    name: table,
    file: 'models/staging/_sources.yml',
    fqn: ['staging', 'demo', table],
    tags: [],
    dependsOn: [],
    config: {},
    records: { layout: 'rows', missing: 'quarantine', maxDepth: 256 },
    tolerance: { maxRejects: 0, maxQuarantined: 0 },
    sourceName: 'demo',
    tableName: table,
    landingPrefix: `demo/${table}`,
    columns: [],
  };
}

function test(name: string, dependsOn: string[], extra: Partial<TestNode>): TestNode {
  return {
    uniqueId: `test.p.${name}`,
    resourceType: 'test',
    name,
    file: extra.file ?? 'models/staging/_staging.yml',
    fqn: [name],
    tags: [],
    dependsOn,
    config: { severity: extra.severity ?? 'error' },
    testType: 'generic',
    arguments: {},
    severity: 'error',
    ...extra,
  };
}

function graph(): ProjectGraph {
  const nodes: GraphNode[] = [
    source('items'),
    source('orders'),
    {
      uniqueId: 'seed.p.categories',
      resourceType: 'seed',
      name: 'categories',
      file: 'seeds/categories.csv',
      fqn: ['categories'],
      tags: [],
      dependsOn: [],
      config: {},
      path: '/x/seeds/categories.csv',
      schema: 'seeds',
      alias: 'categories',
      columnTypes: {},
    },
    model('stg_items', ['staging'], ['source.p.demo.items'], {
      materialized: 'incremental',
      tags: ['staging', 'hourly'],
    }),
    model('stg_categories', ['staging'], ['seed.p.categories'], { tags: ['staging'] }),
    model('int_items', ['intermediate'], ['model.p.stg_items'], { materialized: 'ephemeral' }),
    model('dim_items', ['marts'], ['model.p.int_items', 'model.p.stg_categories'], {
      materialized: 'table',
      tags: ['marts'],
    }),
    model('summary', ['marts'], ['model.p.dim_items'], { materialized: 'table', tags: ['marts'] }),
    test('not_null_stg_items_id', ['model.p.stg_items'], {
      testName: 'not_null',
      attachedNode: 'model.p.stg_items',
      columnName: 'id',
    }),
    test('relationships_stg_items', ['model.p.stg_items', 'model.p.stg_categories'], {
      testName: 'relationships',
      attachedNode: 'model.p.stg_items',
      severity: 'warn',
    }),
    test('assert_summary', ['model.p.summary'], { testType: 'singular', file: 'tests/assert_summary.sql' }),
  ];
  const map = new Map(nodes.map((n) => [n.uniqueId, n]));
  return {
    projectName: 'p',
    projectDir: '/x',
    nodes: map,
    children: childrenOf(map),
    macros: [],
    diagnostics: [],
  };
}

const g = graph();
const names = (select?: string[], exclude?: string[]) =>
  [...selectNodes(g, { select, exclude }).selected].map((id) => g.nodes.get(id)!.name).sort();
const warningsOf = (select: string[]) => selectNodes(g, { select }).warnings;

describe('selectNodes: methods', () => {
  it('selects everything without --select', () => {
    assert.equal(selectNodes(g).selected.size, g.nodes.size);
  });

  it('selects by name, with globs, and pulls in attached tests (eager indirect selection)', () => {
    assert.deepEqual(names(['stg_items']), ['not_null_stg_items_id', 'relationships_stg_items', 'stg_items']);
    assert.deepEqual(names(['dim_*']), ['dim_items']);
  });

  it('selects by fqn: folder, dotted path, project prefix', () => {
    assert.deepEqual(names(['marts']), ['assert_summary', 'dim_items', 'summary']);
    assert.deepEqual(names(['staging.stg_categories']), ['relationships_stg_items', 'stg_categories']);
    assert.deepEqual(names(['p.intermediate']), ['int_items']);
    assert.deepEqual(names(['fqn:p.marts.summary']), ['assert_summary', 'summary']);
  });

  it('selects by path: folder, file, trailing slash, ./ and globs', () => {
    assert.deepEqual(names(['path:models/marts']), ['assert_summary', 'dim_items', 'summary']);
    assert.deepEqual(names(['path:./models/marts/']), ['assert_summary', 'dim_items', 'summary']);
    assert.deepEqual(names(['path:models/marts/dim_items.sql']), ['dim_items']);
    assert.deepEqual(names(['path:seeds/*.csv']), ['categories']);
    assert.deepEqual(names(['path:tests']), ['assert_summary']);
    // no method but looks like a path
    assert.deepEqual(names(['models/intermediate']), ['int_items']);
  });

  it('selects by file name', () => {
    assert.deepEqual(names(['file:summary.sql']), ['assert_summary', 'summary']);
    assert.deepEqual(names(['file:stg_categories']), ['relationships_stg_items', 'stg_categories']);
  });

  it('selects sources: source:demo, source:demo.items, globs', () => {
    assert.deepEqual(names(['source:demo']), ['items', 'orders']);
    assert.deepEqual(names(['source:demo.orders']), ['orders']);
    assert.deepEqual(names(['source:demo.it*']), ['items']);
  });

  it('selects by tag, config.X, resource_type, test_type, test_name, package', () => {
    assert.deepEqual(names(['tag:hourly']), [
      'not_null_stg_items_id',
      'relationships_stg_items',
      'stg_items',
    ]);
    assert.deepEqual(names(['tag:marts'], ['resource_type:test']), ['dim_items', 'summary']);
    assert.deepEqual(names(['config.materialized:ephemeral']), ['int_items']);
    assert.deepEqual(names(['config.materialized:incremental'], ['resource_type:test']), ['stg_items']);
    assert.deepEqual(names(['config.severity:warn']), ['relationships_stg_items']);
    assert.deepEqual(names(['config.tags:staging'], ['resource_type:test']), ['stg_categories', 'stg_items']);
    assert.deepEqual(names(['resource_type:seed']), ['categories']);
    assert.deepEqual(names(['resource_type:source']), ['items', 'orders']);
    assert.deepEqual(names(['test_type:singular']), ['assert_summary']);
    assert.deepEqual(names(['test_type:generic']), ['not_null_stg_items_id', 'relationships_stg_items']);
    assert.deepEqual(names(['test_name:not_null']), ['not_null_stg_items_id']);
    assert.equal(selectNodes(g, { select: ['package:p'] }).selected.size, g.nodes.size);
  });
});

describe('selectNodes: graph operators', () => {
  const models = (select: string[]) => names(select, ['resource_type:test']);

  it('+x selects all ancestors, x+ all descendants', () => {
    assert.deepEqual(models(['+dim_items']), [
      'categories',
      'dim_items',
      'int_items',
      'items',
      'stg_categories',
      'stg_items',
    ]);
    assert.deepEqual(models(['stg_items+']), ['dim_items', 'int_items', 'stg_items', 'summary']);
  });

  it('N+x and x+N limit the depth', () => {
    assert.deepEqual(models(['1+dim_items']), ['dim_items', 'int_items', 'stg_categories']);
    assert.deepEqual(models(['2+dim_items']), [
      'categories',
      'dim_items',
      'int_items',
      'stg_categories',
      'stg_items',
    ]);
    assert.deepEqual(models(['stg_items+1']), ['int_items', 'stg_items']);
    assert.deepEqual(models(['1+int_items+1']), ['dim_items', 'int_items', 'stg_items']);
  });

  it('@x selects x, its descendants and every ancestor of those', () => {
    assert.deepEqual(models(['@stg_items']), [
      'categories',
      'dim_items',
      'int_items',
      'items',
      'stg_categories',
      'stg_items',
      'summary',
    ]);
  });

  it('operators combine with methods: +source:, path:…+', () => {
    assert.deepEqual(models(['source:demo.items+']), [
      'dim_items',
      'int_items',
      'items',
      'stg_items',
      'summary',
    ]);
    assert.deepEqual(models(['path:seeds+1']), ['categories', 'stg_categories']);
  });

  it('x+ reaches tests downstream of x', () => {
    assert.ok(names(['dim_items+']).includes('assert_summary'));
  });
});

describe('selectNodes: set operations', () => {
  it('space is a union, in one argument or several', () => {
    assert.deepEqual(names(['int_items summary']), ['assert_summary', 'int_items', 'summary']);
    assert.deepEqual(names(['int_items', 'summary']), ['assert_summary', 'int_items', 'summary']);
  });

  it('comma is an intersection', () => {
    assert.deepEqual(names(['tag:staging,config.materialized:incremental']), [
      'not_null_stg_items_id',
      'relationships_stg_items',
      'stg_items',
    ]);
    assert.deepEqual(names(['+summary,resource_type:seed']), ['categories']);
  });

  it('--exclude removes nodes and the tests attached to them', () => {
    assert.deepEqual(names(['path:models/staging'], ['stg_categories']), [
      'items',
      'not_null_stg_items_id',
      'orders',
      'stg_items',
    ]);
    assert.deepEqual(names(undefined, ['resource_type:test', 'path:models']), ['categories']);
  });
});

describe('selectNodes: warnings and errors', () => {
  it('warns when an intersection matches nothing although each part matches, and suggests a union', () => {
    const warnings = warningsOf(['path:models/staging,path:models/marts']);
    assert.equal(warnings.length, 1);
    assert.match(
      warnings[0]!,
      /"path:models\/staging,path:models\/marts" matches nothing: a comma means AND/,
    );
    assert.match(warnings[0]!, /separate with spaces: --select "path:models\/staging path:models\/marts"/);
    assert.equal(selectNodes(g, { select: ['path:models/staging,path:models/marts'] }).selected.size, 0);
  });

  it('does not give the union hint when a part matches nothing itself', () => {
    const warnings = warningsOf(['path:models/staging,tag:nope']);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /"tag:nope" matches no node/);
  });

  it('warns about a value that matches nothing, with a did-you-mean', () => {
    assert.deepEqual(warningsOf(['stg_itmes']), [
      '--select "stg_itmes" matches no node (did you mean stg_items?)',
    ]);
    assert.deepEqual(warningsOf(['tag:mart']), [
      '--select "tag:mart" matches no node (did you mean tag:marts?)',
    ]);
    assert.deepEqual(warningsOf(['source:dmo']), [
      '--select "source:dmo" matches no node (did you mean source:demo?)',
    ]);
    assert.deepEqual(selectNodes(g, { exclude: ['nothing_here'] }).warnings, [
      '--exclude "nothing_here" matches no node',
    ]);
  });

  it('rejects an unknown method with the right one: sources: → source:', () => {
    assert.throws(
      () => selectNodes(g, { select: ['sources:raw_vault'] }),
      (error: unknown) =>
        error instanceof SelectorError &&
        error instanceof UsageError &&
        error.exitCode === 2 &&
        /unknown selector method "sources:" — did you mean source:\?/.test(error.message),
    );
    assert.throws(() => selectNodes(g, { select: ['tags:marts'] }), /did you mean tag:\?/);
  });

  it('rejects dbt methods vaultline does not have, saying why', () => {
    assert.throws(() => selectNodes(g, { select: ['state:modified'] }), /state: method is not supported/);
  });

  it('rejects unknown values of closed methods and malformed selectors', () => {
    assert.throws(
      () => selectNodes(g, { select: ['resource_type:models'] }),
      /did you mean resource_type:model\?/,
    );
    assert.throws(
      () => selectNodes(g, { select: ['test_type:unit'] }),
      /test_type is one of generic, singular/,
    );
    assert.throws(() => selectNodes(g, { select: ['config:table'] }), /config needs the key/);
    assert.throws(() => selectNodes(g, { select: ['@+dim_items'] }), /@ already includes every ancestor/);
  });
});
