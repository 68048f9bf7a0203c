/**
 * `vaultline tables` on a warehouse with one broken view (its table dropped under it): every other
 * relation is listed and counted, the broken one is listed with its error, and the exit code is 1.
 */

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { describeRun, vaultline } from './helpers/cli.ts';
import { openProjectWarehouse } from './helpers/warehouse.ts';

const dir = mkdtempSync(join(tmpdir(), 'vaultline-tables-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('a broken view is listed with its error; the others are counted', async () => {
  writeFileSync(join(dir, 'vaultline.yml'), 'name: t\n');
  const session = await openProjectWarehouse(dir);
  for (const sql of [
    'CREATE SCHEMA marts',
    'CREATE TABLE marts.base AS SELECT * FROM range(3) r(id)',
    'CREATE TABLE marts.gone AS SELECT 1 AS id',
    'CREATE VIEW marts.broken AS SELECT id FROM marts.gone',
    'CREATE VIEW marts.fine AS SELECT id FROM marts.base',
    'DROP TABLE marts.gone',
  ])
    await session.execute(sql);
  await session.close();

  // One after the other: each opens the warehouse, which DuckDB lets one process hold at a time.
  const text = await vaultline(['tables'], { cwd: dir });
  const json = await vaultline(['tables', '--json'], { cwd: dir });
  assert.equal(text.code, 1, describeRun(text));
  assert.match(text.out, /marts\s+base\s+table\s+3/);
  assert.match(text.out, /marts\s+fine\s+view\s+3/);
  assert.match(text.out, /marts\s+broken\s+view\s+ERROR/);
  assert.match(text.out, /ERROR marts\.broken: .*gone/);
  assert.match(text.stderr, /1 relation\(s\) cannot be read: marts\.broken/);
  assert.equal(json.code, 1);
  const doc = JSON.parse(json.out) as { relations: { name: string; rows: number | null; error?: string }[] };
  const broken = doc.relations.find((r) => r.name === 'broken');
  assert.equal(broken?.rows, null);
  assert.match(broken?.error ?? '', /gone/);
  assert.equal(doc.relations.find((r) => r.name === 'fine')?.rows, 3);
});
