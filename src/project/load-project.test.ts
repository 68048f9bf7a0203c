import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../config/load.ts';
import { type Diagnostic, formatDiagnostic } from '../shared/diagnostics.ts';
import { DiagnosticsError } from '../shared/errors.ts';
import { assertNoErrors } from './assert-no-errors.ts';
import { loadProject } from './load-project.ts';
import { loadTempProject } from './test-project.ts';
import type { ModelNode, ProjectGraph, SeedNode, SourceNode, TestNode } from './types.ts';

const BASIC = new URL('../../test/projects/basic', import.meta.url).pathname;
const BROKEN = new URL('../../test/projects/broken', import.meta.url).pathname;

describe('loadProject: the basic fixture', () => {
  let graph: ProjectGraph;
  before(async () => {
    graph = await loadProject(loadConfig(BASIC, {}));
  });
  const node = <T>(id: string) => {
    const found = graph.nodes.get(id);
    assert.ok(found, `${id} missing; have ${[...graph.nodes.keys()].join(', ')}`);
    return found as T;
  };

  it('loads with no diagnostics', () => {
    assert.deepEqual(graph.diagnostics, []);
    assert.doesNotThrow(() => assertNoErrors(graph));
  });

  it('has every node, dbt unique ids', () => {
    const count = (type: string) => [...graph.nodes.values()].filter((n) => n.resourceType === type).length;
    assert.deepEqual([count('model'), count('source'), count('seed'), count('test')], [5, 1, 1, 16]);
    assert.deepEqual(
      graph.macros.map((m) => m.name),
      ['hash_key', 'default__hash_key', 'hash_diff', 'to_cents', 'test_positive_value'],
    );
  });

  it('resolves folder configs, YAML and config(): incremental staging', () => {
    const stg = node<ModelNode>('model.basic.stg_items');
    assert.equal(stg.materialized, 'incremental');
    assert.deepEqual(stg.incremental, {
      strategy: 'merge',
      uniqueKey: ['item_id'],
      onSchemaChange: 'append_new_columns',
    });
    assert.equal(stg.schema, 'staging');
    assert.equal(stg.alias, 'stg_items');
    assert.deepEqual(stg.tags, ['staging']);
    assert.deepEqual(stg.fqn, ['staging', 'stg_items']);
    assert.equal(stg.file, 'models/staging/stg_items.sql');
    assert.deepEqual(stg.dependsOn, ['source.basic.demo.items']);
    assert.equal(stg.description, 'Items from the demo API, one row per item (latest landed version).');
    assert.deepEqual(
      stg.columns.map((c) => c.name),
      ['item_id', 'category_code', 'price'],
    );
  });

  it('ephemeral, view and table models, tags accumulating', () => {
    assert.equal(node<ModelNode>('model.basic.int_items_priced').materialized, 'ephemeral');
    assert.equal(node<ModelNode>('model.basic.stg_categories').materialized, 'view');
    const summary = node<ModelNode>('model.basic.category_summary');
    assert.equal(summary.materialized, 'table');
    assert.equal(summary.schema, 'marts');
    assert.deepEqual(summary.tags, ['marts', 'reporting']);
    assert.deepEqual(node<ModelNode>('model.basic.int_items_priced').dependsOn, [
      'model.basic.stg_items',
      'model.basic.stg_categories',
    ]);
  });

  it('sources over landing prefixes', () => {
    const items = node<SourceNode>('source.basic.demo.items');
    assert.equal(items.landingPrefix, 'demo/items');
    assert.equal(items.recordsPath, '$[*]');
    assert.equal(items.sql, undefined);
    assert.deepEqual(items.fqn, ['staging', 'demo', 'items']);
  });

  it('seeds with schema, column types and the CSV header', () => {
    const seed = node<SeedNode>('seed.basic.categories');
    assert.equal(seed.schema, 'seeds');
    assert.equal(seed.path, `${BASIC}/seeds/categories.csv`);
    assert.deepEqual(seed.columnTypes, {
      category_code: 'varchar',
      category_name: 'varchar',
      is_active: 'boolean',
    });
    assert.deepEqual(
      seed.columns?.map((c) => c.name),
      ['category_code', 'category_name', 'is_active'],
    );
  });

  it('generic tests: dbt names, arguments, severity, where, dependencies', () => {
    const notNull = node<TestNode>('test.basic.not_null_stg_items_item_id');
    assert.equal(notNull.testType, 'generic');
    assert.equal(notNull.testName, 'not_null');
    assert.equal(notNull.attachedNode, 'model.basic.stg_items');
    assert.equal(notNull.columnName, 'item_id');
    assert.equal(notNull.severity, 'error');
    assert.equal(notNull.file, 'models/staging/_staging.yml');
    assert.equal(notNull.line, 10);

    const accepted = node<TestNode>(
      'test.basic.accepted_values_stg_items_category_code__tools__garden__kitchen',
    );
    assert.deepEqual(accepted.arguments, { values: ['tools', 'garden', 'kitchen'] });

    const relationships = [...graph.nodes.values()].find(
      (n): n is TestNode => n.resourceType === 'test' && n.testName === 'relationships',
    )!;
    assert.match(relationships.name, /^relationships_stg_items_category_code__category_code_[0-9a-f]{10}$/);
    assert.ok(relationships.name.length <= 63);
    assert.deepEqual(relationships.dependsOn, ['model.basic.stg_items', 'model.basic.stg_categories']);

    const warn = node<TestNode>('test.basic.positive_value_stg_items_price');
    assert.equal(warn.severity, 'warn');
    const where = node<TestNode>('test.basic.positive_value_dim_items_price_cents__true');
    assert.equal(where.where, "category_code <> 'toys'");
    assert.deepEqual(where.arguments, { allow_zero: true });

    const onSource = node<TestNode>('test.basic.source_not_null_demo_items_id');
    assert.equal(onSource.attachedNode, 'source.basic.demo.items');
    const onSeed = node<TestNode>('test.basic.unique_categories_category_code');
    assert.equal(onSeed.attachedNode, 'seed.basic.categories');
  });

  it('singular tests depend on what they read', () => {
    const singular = node<TestNode>('test.basic.assert_summary_matches_items');
    assert.equal(singular.testType, 'singular');
    assert.deepEqual(singular.dependsOn, ['model.basic.category_summary', 'model.basic.dim_items']);
    assert.equal(singular.attachedNode, undefined);
  });

  it('children are the reverse edges', () => {
    assert.deepEqual(graph.children.get('model.basic.stg_categories'), [
      'model.basic.int_items_priced',
      'test.basic.not_null_stg_categories_category_code',
      graph.children.get('model.basic.stg_categories')!.find((id) => id.includes('relationships'))!,
      'test.basic.unique_stg_categories_category_code',
    ]);
  });
});

describe('loadProject: the broken fixture', () => {
  it('reports the cycle, the unknown ref and the YAML error, each with file and line', async () => {
    const graph = await loadProject(loadConfig(BROKEN, {}));
    const lines = graph.diagnostics.map(
      (d) => `${d.severity} ${d.file}:${d.line} ${d.message}${d.hint ? ` (${d.hint})` : ''}`,
    );
    assert.equal(lines.length, 3, lines.join('\n'));
    assert.match(lines[0]!, /^error models\/orders\.sql:1 dependency cycle: orders → customers → orders/);
    assert.match(
      lines[1]!,
      /^error models\/revenue\.sql:2 ref\('order'\): no model or seed named "order" \(did you mean ref\('orders'\)\?\)/,
    );
    assert.match(lines[2]!, /^error models\/schema\.yml:4 YAML syntax: this quoted string is never closed/);
    assert.throws(
      () => assertNoErrors(graph),
      (e: unknown) => e instanceof DiagnosticsError && e.diagnostics.length === 3 && e.exitCode === 2,
    );
  });
});

describe('loadProject: diagnostics', () => {
  let graph: ProjectGraph;
  let cleanup: () => Promise<void>;
  before(async () => {
    ({ graph, cleanup } = await loadTempProject({
      'vaultline.yml': [
        'name: p',
        'vars:',
        '  known: 1',
        'models:',
        '  p:',
        '    staging:',
        '      +materialised: table',
        '    stagign:',
        '      +schema: x',
        '',
      ].join('\n'),
      'models/staging/a.sql':
        "{{ config(materialized='tables') }}\nselect {{ var('unknown_var') }} from {{ source('raw', 'orderz') }}",
      'models/staging/b.sql': 'select 1 as id\n{% if %}',
      'models/other/dup.sql': 'select 2',
      'models/staging/dup.sql': 'select 3',
      'models/c.sql':
        "{{ config(materialized='incremental', incremental_strategy='merge') }}\nselect * from {{ ref('off') }}",
      'models/off.sql': '{{ config(enabled=false) }}\nselect 1',
      'models/d.sql': "select 1 as id, 'x' as kind",
      'models/schema.yml': [
        'version: 2',
        'sources:',
        '  - name: raw',
        '    tables:',
        '      - name: orders',
        '        landing: Raw/Orders',
        '        records: "$.data[*]"',
        '        sql: select 1',
        'models:',
        '  - name: d',
        '    descripton: typo',
        '  - name: dd',
        '  - name: c',
        '    columns:',
        '      - name: id',
        '        data_tests:',
        '          - not_nul',
        '          - accepted_values:',
        '              values: [a, b]',
        '              severity: warn',
        '          - accepted_values:',
        '              arguments: {valuez: [a]}',
        '    data_tests:',
        '      - unique:',
        '          column_name: not_declared',
        '      - relationships:',
        "          arguments: {to: ref('d')}",
        'seeds:',
        '  - name: s',
        '    columns:',
        '      - name: no_such_column',
        '        data_tests: [not_null]',
        '',
      ].join('\n'),
      'seeds/s.csv': 'code,name\na,A\n',
    }));
  });
  after(() => cleanup());

  const find = (pattern: RegExp): Diagnostic => {
    const found = graph.diagnostics.find((d) => pattern.test(`${d.message} ${d.hint ?? ''}`));
    assert.ok(
      found,
      `no diagnostic matching ${pattern}; got:\n${graph.diagnostics.map((d) => `${d.file}:${d.line} ${d.message} (${d.hint})`).join('\n')}`,
    );
    return found;
  };
  const at = (
    d: Diagnostic,
    file: string,
    line: number | undefined,
    severity: 'error' | 'warning' = 'error',
  ) => {
    assert.deepEqual([d.file, d.line, d.severity], [file, line, severity]);
  };

  it('unknown folder config keys, with a did-you-mean and the vaultline.yml line', () => {
    const d = find(/unknown model config "materialised"/);
    at(d, 'vaultline.yml', 7);
    assert.equal(d.hint, 'did you mean "materialized"?');
  });

  it('folder configs for folders that hold no models are errors naming the nearest folder', () => {
    const d = find(/no folder "stagign"/);
    at(d, 'vaultline.yml', 8);
    assert.equal(d.hint, 'did you mean "staging"?');
  });

  it('config() values are checked, with the line of the call', () => {
    const d = find(/config materialized must be one of/);
    at(d, 'models/staging/a.sql', 1);
    assert.equal(d.hint, 'did you mean "table"?');
  });

  it('Jinja syntax errors, with their line', () => {
    at(find(/Jinja syntax/), 'models/staging/b.sql', 2);
  });

  it('duplicate model names', () => {
    const d = find(/a model named dup is already defined in models\/other\/dup.sql/);
    at(d, 'models/staging/dup.sql', 1);
  });

  it('unknown sources with a did-you-mean; vars without a value warn', () => {
    const d = find(/source\('raw', 'orderz'\): no such source table/);
    at(d, 'models/staging/a.sql', 2);
    assert.equal(d.hint, "did you mean source('raw', 'orders')?");
    at(find(/var\('unknown_var'\) has no value/), 'models/staging/a.sql', 2, 'warning');
  });

  it('refs to disabled models, and merge without unique_key', () => {
    at(find(/ref\('off'\): model off is disabled/), 'models/c.sql', 2);
    at(find(/incremental_strategy merge needs a unique_key/), 'models/c.sql', 1);
  });

  it('source landing prefixes and records/sql are checked', () => {
    at(find(/landing prefix "Raw\/Orders"/), 'models/schema.yml', 6);
    at(find(/records: and sql: are alternatives/), 'models/schema.yml', 7);
  });

  it('YAML schema: unknown keys with a did-you-mean, properties for missing models', () => {
    const typo = find(/models.0.descripton is not a known key/);
    at(typo, 'models/schema.yml', 11);
    assert.equal(typo.hint, 'did you mean "description"?');
    const missing = find(/properties for model dd/);
    at(missing, 'models/schema.yml', 12);
    assert.equal(missing.hint, 'did you mean d?');
  });

  it('tests: unknown test, bad and missing arguments, undeclared and missing columns', () => {
    const unknown = find(/unknown test "not_nul"/);
    at(unknown, 'models/schema.yml', 17);
    assert.equal(unknown.hint, 'did you mean "not_null"?');
    at(find(/test accepted_values has no argument "valuez"/), 'models/schema.yml', 21);
    at(find(/test accepted_values needs the argument "values"/), 'models/schema.yml', 21);
    at(
      find(/is on column "not_declared", which is not among the declared columns/),
      'models/schema.yml',
      24,
      'warning',
    );
    at(find(/test relationships needs the argument "field"/), 'models/schema.yml', 26);
    at(find(/test not_null is on column "no_such_column", which s does not have/), 'models/schema.yml', 32);
  });

  it('the pre-1.10 test form works with a deprecation warning', () => {
    at(find(/values, severity at the top level of a test is deprecated/), 'models/schema.yml', 18, 'warning');
    const test = graph.nodes.get('test.p.accepted_values_c_id__a__b') as TestNode | undefined;
    assert.ok(test);
    assert.deepEqual(test.arguments, { values: ['a', 'b'] });
    assert.equal(test.severity, 'warn');
  });

  it('keeps going: the good parts of the project are in the graph', () => {
    assert.ok(graph.nodes.has('model.p.d'));
    assert.ok(graph.nodes.has('test.p.unique_c_not_declared'));
    assert.ok(!graph.nodes.has('model.p.off'));
  });
});

describe('loadProject: smaller cases', () => {
  it('duplicate macros are errors naming both places', async () => {
    const { graph, cleanup } = await loadTempProject({
      'macros/a.sql': '{% macro m() %}1{% endmacro %}',
      'macros/b.sql': '\n{% macro m() %}2{% endmacro %}',
    });
    try {
      const d = graph.diagnostics.find((x) =>
        /macro m is already defined at macros\/a.sql:1/.test(x.message),
      );
      assert.equal(d?.file, 'macros/b.sql');
      assert.equal(d?.line, 2);
    } finally {
      await cleanup();
    }
  });

  it('a ref to itself, a ref to another project, and --vars silencing the var warning', async () => {
    const { graph, cleanup } = await loadTempProject(
      {
        'models/a.sql': "select * from {{ ref('a') }} join {{ ref('other', 'b') }} on {{ var('v') }}",
        'models/b.sql': 'select 1',
      },
      { vars: { v: 'true' } },
    );
    try {
      const messages = graph.diagnostics.map((d) => d.message);
      assert.ok(
        messages.some((m) => /a model cannot ref itself/.test(m)),
        messages.join('\n'),
      );
      assert.ok(
        messages.some((m) => /no project named "other"/.test(m)),
        messages.join('\n'),
      );
      assert.ok(!messages.some((m) => /var/.test(m)), messages.join('\n'));
    } finally {
      await cleanup();
    }
  });

  it('a three-model cycle is reported once, in data-flow order', async () => {
    const { graph, cleanup } = await loadTempProject({
      'models/a.sql': "select * from {{ ref('c') }}",
      'models/b.sql': "select * from {{ ref('a') }}",
      'models/c.sql': "select * from {{ ref('b') }}",
    });
    try {
      const cycles = graph.diagnostics.filter((d) => /cycle/.test(d.message));
      assert.equal(cycles.length, 1);
      assert.match(cycles[0]!.message, /dependency cycle: (a → b → c → a|b → c → a → b|c → a → b → c)/);
    } finally {
      await cleanup();
    }
  });

  it('sql: sources and the default landing prefix', async () => {
    const { graph, cleanup } = await loadTempProject({
      'models/sources.yml': [
        'sources:',
        '  - name: usgs',
        '    tables:',
        '      - name: earthquakes',
        '        records: "$.features[*]"',
        '      - name: summary',
        "        sql: select json->>'$.metadata.count' as n from payload",
      ].join('\n'),
    });
    try {
      assert.deepEqual(graph.diagnostics, []);
      const quakes = graph.nodes.get('source.p.usgs.earthquakes') as SourceNode;
      assert.equal(quakes.landingPrefix, 'usgs/earthquakes');
      assert.equal(quakes.recordsPath, '$.features[*]');
      const summary = graph.nodes.get('source.p.usgs.summary') as SourceNode;
      assert.equal(summary.sql, "select json->>'$.metadata.count' as n from payload");
      assert.equal(summary.recordsPath, undefined);
    } finally {
      await cleanup();
    }
  });

  const diagnosticsOf = async (files: Record<string, string>) => {
    const { graph, cleanup } = await loadTempProject(files);
    await cleanup();
    return graph.diagnostics.map((d) => formatDiagnostic(d));
  };

  it('Jinja errors name file:line:column, also where nunjucks gives no position', async () => {
    const lines = await diagnosticsOf({
      'models/a.sql': 'select 1 as id',
      'models/filter.sql': "select 1\n\n{{ ref('a') | nosuchfilter }}\n",
      'models/unclosed.sql': 'select 1\n{% for x in [1] %}\n{% if true %}{% endif %}\nb',
      'models/token.sql': 'select 1\n  from {{ foo( }}\n',
    });
    assert.ok(
      lines.some((l) => l.startsWith('models/filter.sql:3:15: filter: unknown filter "nosuchfilter"')),
      lines.join('\n'),
    );
    assert.ok(
      lines.includes(
        'models/unclosed.sql:2:1: unclosed: Jinja syntax: {% for %} is never closed (add {% endfor %})',
      ),
      lines.join('\n'),
    );
    assert.ok(
      lines.includes('models/token.sql:2:16: token: Jinja syntax: unexpected token: }}'),
      lines.join('\n'),
    );
  });

  it('model_paths naming a folder that does not exist: one error with a did-you-mean, nothing cascaded', async () => {
    const lines = await diagnosticsOf({
      'vaultline.yml': 'name: p\nmodel_paths: [modelz]\n',
      'models/a.sql': "select * from {{ ref('b') }}",
      'models/_models.yml':
        'models:\n  - name: a\n    columns:\n      - {name: id, data_tests: [not_null]}\n',
    });
    assert.equal(lines.length, 1, lines.join('\n'));
    assert.match(
      lines[0]!,
      /^vaultline\.yml:2: model_paths: the folder "modelz" does not exist in \S+ \(did you mean "models"\?\)$/,
    );
  });

  it('connectors: an unknown option or source is an error of the project (parse and build)', async () => {
    const lines = await diagnosticsOf({
      'vaultline.yml': 'name: p\nconnectors:\n  usgs:\n    feedz: [all_day]\n  usgss: {}\n',
    });
    assert.ok(
      lines.includes(
        'vaultline.yml:4: connectors.usgs: feedz is not an option of the usgs connector (did you mean "feeds"?)',
      ),
      lines.join('\n'),
    );
    assert.ok(
      lines.includes('vaultline.yml:5: connectors: "usgss" is not a known source (did you mean "usgs"?)'),
      lines.join('\n'),
    );
  });

  it('vault YAML: "an array", and as_of errors list the allowed forms', async () => {
    const lines = await diagnosticsOf({
      'vaultline.yml': [
        'name: p',
        'vault:',
        '  hubs: [{name: hub_a, business_key: [id], sources: [a]}]',
        '  satellites: [{name: sat_a, parent: hub_a, source: a, attributes: id}]',
        '  pits: [{name: pit_a, parent: hub_a, satellites: [sat_a], as_of: [2024-01-01]}]',
        '',
      ].join('\n'),
      'models/a.sql': 'select 1 as id',
    });
    const text = lines.join('\n');
    assert.match(text, /vault\.satellites\.0\.attributes must be an array \(got "id"\)/);
    assert.match(
      text,
      /vault\.pits\.0\.as_of must be daily \(one as-of time per day\) or \{model: .*, column: .*\}/,
    );
  });
});
