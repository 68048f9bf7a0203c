/**
 * Golden files for the SQL of `store_failures` (test/golden/<dialect>/store-failures-*.sql), like
 * materializations/golden.test.ts; refresh deliberately with `UPDATE_GOLDEN=1 node scripts/test.js golden`.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { duckdbEngine, postgresEngine } from '../engine/engine.ts';
import {
  storedCountQuery,
  storedFailuresMessage,
  storedSampleQuery,
  storeFailuresStatements,
} from './store-failures.ts';

const root = new URL('../../test/golden/', import.meta.url).pathname;

function golden(dialect: string, name: string, statements: string[]): void {
  const text = `${statements.join(';\n\n')};\n`;
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

const testSql = 'select *\nfrom "staging"."stg_items"\nwhere item_id is null\n-- trailing comment;\n';

for (const { dialect: d } of [duckdbEngine, postgresEngine]) {
  describe(`golden SQL of store_failures: ${d.name}`, () => {
    test('first run, rerun, and a view in the way', () => {
      for (const [name, existing] of [
        ['store-failures-new', undefined],
        ['store-failures-rerun', 'table'],
        ['store-failures-replacing-view', 'view'],
      ] as const) {
        const target = { schema: 'vaultline_test_failures', name: 'not_null_stg_items_item_id', existing };
        golden(d.name, name, [
          ...storeFailuresStatements(d, target, testSql),
          storedCountQuery(d, target),
          storedSampleQuery(d, target),
        ]);
      }
    });

    test('identifiers go through the dialect', () => {
      const target = { schema: 'audit "x"', name: 'odd"name', existing: undefined };
      golden(d.name, 'store-failures-quoting', [
        ...storeFailuresStatements(d, target, 'select 1 as id'),
        storedCountQuery(d, target),
      ]);
    });

    test('the message names the table', () => {
      const target = { schema: 'vaultline_test_failures', name: 'not_null_stg_x_id' };
      assert.equal(
        storedFailuresMessage(12, target),
        '12 failing rows stored in vaultline_test_failures.not_null_stg_x_id',
      );
      assert.equal(
        storedFailuresMessage(1, target),
        '1 failing row stored in vaultline_test_failures.not_null_stg_x_id',
      );
    });
  });
}
