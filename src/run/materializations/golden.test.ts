/**
 * Golden files for every piece of SQL the run layer generates, per dialect: test/golden/<dialect>/*.sql.
 * A change to generated SQL shows up as a diff here; refresh deliberately with
 * `UPDATE_GOLDEN=1 node scripts/test.js golden`.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { model } from '../../../test/helpers/run-graph.ts';
import { duckdbEngine, type Engine, postgresEngine } from '../../engine/engine.ts';
import { auditStatements } from '../meta/load-audit.ts';
import { metaSchemaStatements } from '../meta/schema.ts';
import { withEphemerals } from './ephemeral.ts';
import { addColumnStatements, applyStatements, duplicateKeysQuery, stageStatements } from './incremental.ts';
import { seedStatements } from './seed.ts';
import { tableStatements } from './table.ts';
import { viewStatements } from './view.ts';

const root = new URL('../../../test/golden/', import.meta.url).pathname;

function golden(dialect: string, name: string, statements: string[] | string): void {
  const text = `${(Array.isArray(statements) ? statements : [statements]).join(';\n\n')};\n`;
  const dir = join(root, dialect);
  const path = join(dir, `${name}.sql`);
  if (process.env.UPDATE_GOLDEN === '1' || !existsSync(path)) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(path, text);
    if (process.env.UPDATE_GOLDEN !== '1')
      assert.fail(`${path} did not exist: written now, review it and run again`);
    return;
  }
  assert.equal(text, readFileSync(path, 'utf8'), `${path} differs (UPDATE_GOLDEN=1 to accept the new SQL)`);
}

/**
 * What the generators are given that comes from the warehouse, as each engine's catalog spells it:
 * the types of columns an incremental model gained, and the JSON structure of a source's records
 * (an opaque text per engine: DuckDB's json_structure, PostgreSQL's kinds per top-level field).
 */
const FROM_THE_WAREHOUSE: Record<Engine['dialect']['name'], { gained: [string, string]; structure: string }> =
  {
    duckdb: {
      gained: ['DECIMAL(10,2)', 'VARCHAR[]'],
      structure: '{"id":"UBIGINT","name":"VARCHAR","tags":["VARCHAR"],"dims":{"w":"DOUBLE","unit":"NULL"}}',
    },
    postgres: {
      gained: ['numeric(10,2)', 'text[]'],
      structure:
        '{"record":["object"],"fields":[["id",["bigint"]],["name",["string"]],["tags",["array"]],["dims",["object"]]]}',
    },
  };

const select = 'select id, name, updated_at from "staging"."stg_items"';

for (const engine of [duckdbEngine, postgresEngine]) {
  const d = engine.dialect;
  const warehouse = FROM_THE_WAREHOUSE[d.name];
  describe(`golden SQL: ${d.name}`, () => {
    test('view', () => {
      golden(
        d.name,
        'view-new',
        viewStatements(d, { schema: 'staging', name: 'stg_items', existing: undefined }, select),
      );
      golden(
        d.name,
        'view-replacing-table',
        viewStatements(d, { schema: 'staging', name: 'stg_items', existing: 'table' }, select),
      );
    });

    test('table', () => {
      golden(
        d.name,
        'table-new',
        tableStatements(d, { schema: 'marts', name: 'dim_items', existing: undefined }, select),
      );
      golden(
        d.name,
        'table-replacing-view',
        tableStatements(d, { schema: 'marts', name: 'dim_items', existing: 'view' }, select),
      );
    });

    test('replacing where views bind early (PostgreSQL-like capabilities, spelled by this dialect)', () => {
      const early = {
        ...d,
        capabilities: {
          ...d.capabilities,
          createOrReplace: { table: false, view: true },
          lateBoundViews: false,
        },
      };
      const at = { schema: 'staging', name: 'stg_items' };
      golden(d.name, 'early-bound-view-new', viewStatements(early, { ...at, existing: undefined }, select));
      golden(
        d.name,
        'early-bound-view-columns-kept',
        viewStatements(early, { ...at, existing: 'view', viewColumnsKept: true }, select),
      );
      golden(
        d.name,
        'early-bound-view-swapped',
        viewStatements(early, { ...at, existing: 'view', viewColumnsKept: false }, select),
      );
      golden(
        d.name,
        'early-bound-view-replacing-table',
        viewStatements(early, { ...at, existing: 'table' }, select),
      );
      golden(
        d.name,
        'early-bound-table-rebuilt',
        tableStatements(early, { ...at, existing: 'table' }, select),
      );
      // A name that fits, but not with the swap suffixes: they are fitted to the engine's limit.
      golden(
        d.name,
        'early-bound-table-long-name',
        tableStatements(
          early,
          { schema: 'staging', name: `stg_${'x'.repeat(56)}`, existing: 'table' },
          select,
        ),
      );
      golden(
        d.name,
        'early-bound-table-replacing-view',
        tableStatements(early, { ...at, existing: 'view' }, select),
      );
    });

    test('incremental', () => {
      const target = { schema: 'staging', name: 'stg_items', existing: 'table' as const };
      const base = {
        dialect: d,
        target,
        temp: '__vl_new__model_p_stg_items',
        columns: ['id', 'name', 'updated_at'],
      };
      golden(d.name, 'incremental-stage', stageStatements(d, base.temp, select));
      golden(d.name, 'incremental-append', applyStatements({ ...base, strategy: 'append', uniqueKey: [] }));
      golden(d.name, 'incremental-merge', applyStatements({ ...base, strategy: 'merge', uniqueKey: ['id'] }));
      golden(
        d.name,
        'incremental-merge-keys-only',
        applyStatements({ ...base, columns: ['id', 'day'], strategy: 'merge', uniqueKey: ['id', 'day'] }),
      );
      golden(
        d.name,
        'incremental-delete-insert',
        applyStatements({ ...base, strategy: 'delete+insert', uniqueKey: ['id', 'day'] }),
      );
      const noMerge = { ...d, capabilities: { ...d.capabilities, supportsMerge: false } };
      golden(
        d.name,
        'incremental-merge-without-merge',
        applyStatements({ ...base, dialect: noMerge, strategy: 'merge', uniqueKey: ['id'] }),
      );
      golden(
        d.name,
        'incremental-add-columns',
        addColumnStatements(d, target, [
          { name: 'price', dataType: warehouse.gained[0] },
          { name: 'tags', dataType: warehouse.gained[1] },
        ]),
      );
      golden(d.name, 'incremental-duplicate-keys', duplicateKeysQuery(d, base.temp, ['id']));
    });

    test('ephemeral', () => {
      const a = model('eph_a', 'select 1 as id');
      const b = model('eph_b', 'select * from eph_a');
      golden(
        d.name,
        'ephemeral',
        withEphemerals(
          [
            { node: a, sql: 'select 1 as id' },
            { node: b, sql: 'select * from __vl_ephemeral__eph_a -- trailing' },
          ],
          'select * from __vl_ephemeral__eph_b',
        ),
      );
      golden(
        d.name,
        'ephemeral-into-with',
        withEphemerals(
          [{ node: a, sql: 'select 1 as id' }],
          'with x as (select * from __vl_ephemeral__eph_a)\nselect * from x',
        ),
      );
    });

    test('seed', () => {
      golden(
        d.name,
        'seed',
        seedStatements(
          d,
          engine.files,
          { schema: 'seeds', name: 'categories', existing: undefined },
          '/p/seeds/categories.csv',
          { code: 'VARCHAR', rate: 'DECIMAL(5,2)' },
        ),
      );
      golden(
        d.name,
        'seed-no-types',
        seedStatements(
          d,
          engine.files,
          { schema: 'seeds', name: "o'brien", existing: 'table' },
          "/p/seeds/o'brien.csv",
          {},
        ),
      );
    });

    test('sources over raw records tables', () => {
      const { structure } = warehouse;
      const raw = d.relation('vaultline_raw', 'demo__items__g1');
      golden(d.name, 'source-structure', engine.landedJson.recordsStructure(raw, 7));
      const inferred = engine.landedJson.inferredColumns(structure, []);
      golden(d.name, 'source-inferred', [inferred.record ?? '', ...inferred.columns].join(',\n'));
      golden(
        d.name,
        'source-never-landed',
        engine.landedJson.inferredColumns(null, [{ name: 'id' }, { name: 'name' }]).columns.join(',\n'),
      );
      golden(
        d.name,
        'source-compacted-payload',
        engine.landedJson.compactedPayload("/p/it's.parquet", "k'1"),
      );
    });

    test('vaultline_meta', () => {
      golden(d.name, 'meta-schema', metaSchemaStatements(d));
      golden(
        d.name,
        'load-audit',
        auditStatements(d, {
          modelUniqueId: 'model.p.stg_items',
          runId: 'run-1',
          loadedAt: new Date(Date.UTC(2026, 0, 3)),
          replace: true,
          entries: [
            {
              sourceUniqueId: 'source.p.demo.items',
              key: 'demo/items/a.json.gz',
              sha256: 'ab'.repeat(32),
              loadTs: new Date(Date.UTC(2026, 0, 1)),
              rowCount: 3,
              status: 'loaded',
            },
            {
              sourceUniqueId: 'source.p.demo.items',
              key: "demo/items/b'.json.gz",
              sha256: 'cd'.repeat(32),
              loadTs: new Date(Date.UTC(2026, 0, 2)),
              rowCount: 0,
              status: 'skipped',
              message: 'does not parse',
            },
          ],
        }),
      );
    });
  });
}
