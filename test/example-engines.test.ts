/**
 * The same landing store built into DuckDB and into PostgreSQL gives the same warehouse: every hub,
 * link, satellite, PIT and mart of examples/cloud-dw-datavault, row by row — hash keys and hashdiffs
 * byte-identical, text and timestamps equal, doubles within 1e-9 (relative). The payloads are
 * extracted once from the bundled cassettes; both builds run through bin/vaultline.js on the same
 * shifted clock, so PIT as-ofs (which run up to the build time) agree too.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Row } from '../src/engine/dialect.ts';
import { describeRun, vaultline } from './helpers/cli.ts';
import { type TestWarehouse, testEngines } from './helpers/engines.ts';
import { copyExample, pointAtWarehouse } from './helpers/example-project.ts';

const shiftedClock = new URL('./fixtures/shifted-clock.mjs', import.meta.url).href;
const NOW = '2030-03-01T08:00:00Z';

const engines = testEngines();

/** A value as both engines' rows can be compared: numbers as numbers, instants as ISO text. */
function normalize(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'string' && /^-?\d+(\.\d+)?(e[+-]?\d+)?$/i.test(value)) return Number(value);
  if (typeof value === 'object') return JSON.stringify(value);
  return value;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'number') {
    if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
    return a === b || Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
  }
  return a === b;
}

/** Rows normalized and sorted by their text, so both engines' scans compare in one order. */
function canonicalRows(rows: Row[]): Record<string, unknown>[] {
  return rows
    .map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, normalize(v)])))
    .sort((x, y) => {
      const a = JSON.stringify(x, (_k, v) => (typeof v === 'number' ? v.toPrecision(12) : v));
      const b = JSON.stringify(y, (_k, v) => (typeof v === 'number' ? v.toPrecision(12) : v));
      return a < b ? -1 : a > b ? 1 : 0;
    });
}

describe('the example on every engine: identical warehouses', { skip: engines.length < 2 }, () => {
  const dirs: string[] = [];
  const warehouses: TestWarehouse[] = [];

  before(async () => {
    const landing = mkdtempSync(join(tmpdir(), 'vaultline-engines-'));
    dirs.push(landing);
    copyExample(landing);
    const env = { NODE_OPTIONS: `--import ${shiftedClock}`, VAULTLINE_TEST_NOW: NOW };
    const extract = await vaultline(['extract', '--all', '--rate-limit', '0'], { cwd: landing, env });
    assert.equal(extract.code, 0, describeRun(extract));
    const config = readFileSync(join(landing, 'vaultline.yml'), 'utf8');
    for (const engine of engines) {
      // One project folder per engine, all reading the one landing store.
      const dir = mkdtempSync(join(tmpdir(), `vaultline-engines-${engine.name}-`));
      dirs.push(dir);
      copyExample(dir, landing);
      const warehouse = await engine.create(dir);
      warehouses.push(warehouse);
      const landingBlock = `landing:\n  type: local\n  path: ${join(landing, '.vaultline/raw')}\n`;
      const yml = pointAtWarehouse(
        config.replace(/landing:\n {2}type: local\n {2}path: \.vaultline\/raw\n/, landingBlock),
        warehouse,
      );
      assert.ok(yml.includes(landingBlock), 'the example landing block changed shape: update this test');
      writeFileSync(join(dir, 'vaultline.yml'), yml);
      const build = await vaultline(['--json', 'build'], { cwd: dir, env });
      assert.equal(build.code, 0, `${engine.name}: ${describeRun(build)}`);
    }
  });
  after(async () => {
    for (const warehouse of warehouses) await warehouse.drop().catch(() => undefined);
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  test('every vault table and mart holds the same rows on every engine', async () => {
    const sessions = await Promise.all(warehouses.map((w) => w.open()));
    try {
      const [first, ...others] = sessions;
      const tables = await first!.query<{ schema: string; name: string }>(
        `SELECT table_schema AS schema, table_name AS name FROM information_schema.tables
         WHERE table_schema IN ('vault', 'marts') ORDER BY table_schema, table_name`,
      );
      assert.ok(tables.length >= 40, `expected the example's vault and marts, got ${tables.length}`);
      let rows = 0;
      for (const { schema, name } of tables) {
        const sql = `SELECT * FROM "${schema}"."${name}"`;
        const expected = canonicalRows(await first!.query(sql));
        assert.ok(expected.length > 0, `${schema}.${name} is empty`);
        rows += expected.length;
        for (const [i, session] of others.entries()) {
          const actual = canonicalRows(await session.query(sql));
          const engine = engines[i + 1]!.name;
          assert.equal(actual.length, expected.length, `${schema}.${name}: row count on ${engine}`);
          assert.deepEqual(
            Object.keys(actual[0] ?? {}).sort(),
            Object.keys(expected[0] ?? {}).sort(),
            `${schema}.${name}: columns on ${engine}`,
          );
          for (const [r, want] of expected.entries()) {
            const got = actual[r]!;
            for (const [column, value] of Object.entries(want)) {
              assert.ok(
                sameValue(got[column], value),
                `${schema}.${name} row ${r} column ${column}: ${engines[0]!.name} ${JSON.stringify(value)}, ${engine} ${JSON.stringify(got[column])}`,
              );
            }
          }
        }
      }
      assert.ok(rows >= 500, `compared only ${rows} rows: the example holds more`);
    } finally {
      await Promise.all(sessions.map((s) => s.close()));
    }
  });
});
