/**
 * Engine errors in models and tests, as a user sees them: the file (and line, when the failing SQL
 * line is a line of the file), where the compiled SQL was written and which of its lines failed, a
 * hint for the common kinds, and all of it in run_results.json. Real DuckDB, real rendering.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../src/config/load.ts';
import { renderNode } from '../src/project/render.ts';
import { selectNodes } from '../src/project/selection/select.ts';
import { loadTempProject } from '../src/project/test-project.ts';
import type { NodeResult } from '../src/project/types.ts';
import { runProject } from '../src/run/run-project.ts';

describe('SQL errors name the file, the line and a hint', () => {
  let dir = '';
  let cleanup: () => Promise<void> = async () => undefined;
  let results: Map<string, NodeResult>;
  let document: { results: { name: string; error: Record<string, unknown> | null; compiled_sql: string }[] };

  before(async () => {
    const project = await loadTempProject({
      'models/items.sql': "{{ config(materialized='table') }}\nselect 1 as id, 'abc' as name",
      'models/bad_column.sql':
        "{{ config(materialized='table') }}\n\nselect id,\n  nme\nfrom {{ ref('items') }}",
      'models/bad_table.sql':
        "{{ config(materialized='table') }}\nselect *\nfrom itemz_unknown\n-- depends_on: {{ ref('items') }}",
      'models/staged.sql': "{{ config(materialized='table', schema='staging') }}\nselect 1 as id",
      'models/raw_name.sql':
        "{{ config(materialized='table') }}\nselect * from staged\n-- depends_on: {{ ref('staged') }}",
      'models/bad_cast.sql':
        "{{ config(materialized='table') }}\nselect cast(name as integer) as n\nfrom {{ ref('items') }}",
    });
    ({ dir, cleanup } = project);
    const config = loadConfig(dir, {});
    const { result } = await runProject({
      config,
      selected: selectNodes(project.graph, {}),
      command: 'run',
      render: renderNode,
      version: 'test',
    });
    results = new Map(result.results.map((r) => [r.uniqueId.split('.').pop()!, r]));
    document = JSON.parse(readFileSync(join(dir, 'target/run_results.json'), 'utf8'));
  });
  after(() => cleanup());

  it('an unknown column: file:line, the compiled line, did-you-mean from the relation read', () => {
    const r = results.get('bad_column')!;
    assert.equal(r.status, 'error');
    const lines = r.message!.split('\n');
    assert.match(lines[0]!, /^models\/bad_column\.sql:4: Binder Error: Referenced column "nme" not found/);
    assert.ok(
      lines.includes('line 2 of the compiled SQL (target/compiled/models/bad_column.sql): nme'),
      r.message,
    );
    assert.ok(lines.includes('hint: did you mean "name"? (a column of main.items)'), r.message);
    assert.ok(!/LINE \d+:/.test(r.message!), "DuckDB's statement line numbers are not shown");
    assert.equal(
      readFileSync(join(dir, 'target/compiled/models/bad_column.sql'), 'utf8'),
      'select id,\n  nme\nfrom "main"."items"\n',
    );
    const stored = document.results.find((x) => x.name === 'bad_column')!;
    assert.equal(stored.compiled_sql, 'select id,\n  nme\nfrom "main"."items"');
    assert.deepEqual(
      { ...stored.error, failed_sql: typeof stored.error?.failed_sql },
      {
        kind: 'unknown-column',
        file: 'models/bad_column.sql',
        line: 4,
        compiled_line: 2,
        compiled_path: 'target/compiled/models/bad_column.sql',
        hint: 'did you mean "name"? (a column of main.items)',
        failed_sql: 'string',
      },
    );
    assert.match(String(stored.error?.failed_sql), /^CREATE OR REPLACE TABLE "main"\."bad_column" AS\n/);
  });

  it('an unknown table: advice to use ref() or source(), naming the model when one matches', () => {
    const unknown = results.get('bad_table')!;
    assert.match(unknown.message!, /^models\/bad_table\.sql:3: Catalog Error: Table with name itemz_unknown/);
    assert.match(unknown.message!, /hint: models are read with \{\{ ref\('name'\) \}\}/);
    assert.equal(unknown.error?.kind, 'unknown-relation');
    // `staged` is built in schema staging: its bare name is not found, and ref() is the fix.
    const raw = results.get('raw_name')!;
    assert.equal(results.get('staged')!.status, 'success');
    assert.match(raw.message!, /^models\/raw_name\.sql:2: Catalog Error/);
    assert.match(raw.message!, /hint: refer to staged as \{\{ ref\('staged'\) \}\}/);
  });

  it('a value that does not convert: the conversion hint', () => {
    const r = results.get('bad_cast')!;
    assert.equal(r.error?.kind, 'conversion');
    assert.match(r.message!, /^models\/bad_cast\.sql:2: Conversion Error: Could not convert string 'abc'/);
    assert.match(r.message!, /hint: a value does not convert .* data_type in the source contract/);
  });

  it('successful models write nothing to target/compiled', () => {
    assert.equal(results.get('items')!.status, 'success');
    assert.equal(existsSync(join(dir, 'target/compiled/models/items.sql')), false);
  });
});
