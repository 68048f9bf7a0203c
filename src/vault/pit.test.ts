import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import { type TestEngine, testEngines } from '../../test/helpers/engines.ts';
import { loadVaultSpecs } from './spec/load.ts';
import { day, openVaultFixture, type VaultFixture } from './test-support.ts';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const GHOST = '0'.repeat(64);
const GHOST_TS = new Date('0001-01-01T00:00:00Z');
const YAML = `
vault:
  hubs:
    - { name: hub_customer, business_key: [id], sources: [stg, stg_extra] }
  satellites:
    - { name: sat_name, parent: hub_customer, source: stg, attributes: [name] }
    - { name: sat_phones, parent: hub_customer, source: stg_phones, child_key: [kind], attributes: [phone] }
  pits:
    - { name: pit_customer, parent: hub_customer, satellites: [sat_name, sat_phones], as_of: daily }
    - { name: pit_custom, parent: hub_customer, satellites: [sat_name], as_of: { model: stg_asof } }
`;
const ENTITIES = ['hub_customer', 'sat_name', 'sat_phones'];

async function fixture(engine: TestEngine) {
  const f = await openVaultFixture(YAML, { engine });
  await f.staging('stg', {
    id: 'integer',
    name: 'text',
    _landing_key: 'text',
    load_ts: 'timestamp',
    record_source: 'text',
  });
  await f.staging('stg_extra', { id: 'integer', load_ts: 'timestamp', record_source: 'text' });
  await f.staging('stg_phones', {
    id: 'integer',
    kind: 'text',
    phone: 'text',
    load_ts: 'timestamp',
    record_source: 'text',
  });
  await f.staging('stg_asof', { as_of_ts: 'timestamp' });
  return f;
}

async function stageDays1to3(f: VaultFixture) {
  await f.stage('stg', [
    { id: 1, name: 'A', load_ts: day(1, 10), record_source: 'crm', _landing_key: 'crm/1' },
    { id: 2, name: 'X', load_ts: day(2, 10), record_source: 'crm', _landing_key: 'crm/2' },
    { id: 1, name: 'B', load_ts: day(3, 10), record_source: 'crm', _landing_key: 'crm/3' },
  ]);
  await f.stage('stg_extra', [
    { id: 3, load_ts: day(1, 9), record_source: 'web' },
    { id: 3, load_ts: day(3, 10), record_source: 'web' },
  ]);
  await f.stage('stg_phones', [
    { id: 1, kind: 'home', phone: '1', load_ts: day(2, 10), record_source: 'crm' },
    { id: 1, kind: 'work', phone: '2', load_ts: day(2, 10), record_source: 'crm' },
    { id: 2, kind: 'home', phone: '3', load_ts: day(3, 10), record_source: 'crm' },
  ]);
}

type PitRow = { id: number; as_of: number; name: Date | string; phones: Date | string };
async function pit(f: VaultFixture): Promise<PitRow[]> {
  const rows = await f.rows<Record<string, unknown>>(
    'SELECT * FROM vault.pit_customer ORDER BY as_of_ts, hk_customer',
  );
  const ids = new Map([1, 2, 3, 4].map((i) => [sha256(String(i)), i]));
  return rows.map((r) => {
    const pointer = (sat: string) => {
      if (r[`${sat}_hk`] === GHOST) {
        assert.deepEqual(r[`${sat}_load_ts`], GHOST_TS, 'a ghost pointer has the ghost load_ts');
        return 'ghost';
      }
      assert.equal(r[`${sat}_hk`], r.hk_customer);
      return r[`${sat}_load_ts`] as Date;
    };
    return {
      id: ids.get(r.hk_customer as string)!,
      as_of: (r.as_of_ts as Date).getUTCDate(),
      name: pointer('sat_name'),
      phones: pointer('sat_phones'),
    };
  });
}

const at = (d: Date) => ({ clock: { now: () => d } });

for (const engine of testEngines()) {
  describe(`${engine.name}: PIT`, () => {
    test('every key at every as-of up to the build time, the ghost before its first row; full refresh identical', async () => {
      const f = await fixture(engine);
      await stageDays1to3(f);
      for (const e of ENTITIES) await f.load(e);
      const first = await f.load('pit_customer', at(day(3, 12)));
      assert.deepEqual([first.details.as_of_added, first.rowsInserted], [3, 9]);
      const sorted = (rows: PitRow[]) =>
        rows.sort((a, b) => a.as_of - b.as_of || cmp(sha256(String(a.id)), sha256(String(b.id))));
      assert.deepEqual(
        await pit(f),
        sorted([
          { id: 1, as_of: 1, name: 'ghost', phones: 'ghost' },
          { id: 2, as_of: 1, name: 'ghost', phones: 'ghost' },
          { id: 3, as_of: 1, name: 'ghost', phones: 'ghost' },
          { id: 1, as_of: 2, name: day(1, 10), phones: 'ghost' },
          { id: 2, as_of: 2, name: 'ghost', phones: 'ghost' },
          { id: 3, as_of: 2, name: 'ghost', phones: 'ghost' },
          { id: 1, as_of: 3, name: day(1, 10), phones: day(2, 10) },
          { id: 2, as_of: 3, name: day(2, 10), phones: 'ghost' },
          { id: 3, as_of: 3, name: 'ghost', phones: 'ghost' },
        ]),
      );
      const [row] = await f.rows(
        `SELECT sat_name_load_seq FROM vault.pit_customer WHERE sat_name_hk <> '${GHOST}' LIMIT 1`,
      );
      assert.deepEqual(row, { sat_name_load_seq: 0 });
      assert.equal(
        (await f.load('pit_customer', at(day(3, 18)))).rowsInserted,
        0,
        'nothing new: nothing added',
      );

      // Two days later with nothing loaded: the as-ofs up to the build time are computed from what is loaded.
      const later = await f.load('pit_customer', at(day(5, 1)));
      assert.deepEqual(
        [later.details.as_of_added, later.rowsInserted, later.details.rows_recomputed],
        [2, 6, 0],
      );
      assert.deepEqual(
        (await pit(f)).filter((r) => r.as_of === 5).sort((a, b) => a.id - b.id),
        [
          { id: 1, as_of: 5, name: day(3, 10), phones: day(2, 10) },
          { id: 2, as_of: 5, name: day(2, 10), phones: day(3, 10) },
          { id: 3, as_of: 5, name: 'ghost', phones: 'ghost' },
        ],
      );
      const after = await f.table('vault.pit_customer');
      await f.load('pit_customer', { fullRefresh: true, ...at(day(5, 1)) });
      assert.deepEqual(await f.table('vault.pit_customer'), after, 'full refresh: identical');
      await f.close();
    });

    test('a late version recomputes the rows of its key it is in effect for; a new key gets its earlier rows', async () => {
      const f = await fixture(engine);
      await stageDays1to3(f);
      for (const e of ENTITIES) await f.load(e);
      await f.load('pit_customer', at(day(5, 1)));
      // Extracted on day 1 at noon, committed after everything else.
      await f.stage('stg', [
        { id: 2, name: 'EARLY', load_ts: day(1, 12), record_source: 'crm', _landing_key: 'crm/late' },
        { id: 4, name: 'NEW', load_ts: day(4, 12), record_source: 'crm', _landing_key: 'crm/late' },
      ]);
      for (const e of ENTITIES) await f.load(e);
      const r = await f.load('pit_customer', at(day(5, 2)));
      // Key 2 at days 2..5 (4 rows), new key 4 at days 1..5 (5 rows).
      assert.deepEqual([r.details.rows_recomputed, r.details.as_of_added, r.rowsInserted], [9, 0, 9]);
      const rows = await pit(f);
      assert.deepEqual(
        rows.filter((x) => x.id === 2).map((x) => [x.as_of, x.name]),
        [
          [1, 'ghost'],
          [2, day(1, 12)],
          [3, day(2, 10)],
          [4, day(2, 10)],
          [5, day(2, 10)],
        ],
      );
      assert.deepEqual(
        rows.filter((x) => x.id === 4).map((x) => [x.as_of, x.name]),
        [
          [1, 'ghost'],
          [2, 'ghost'],
          [3, 'ghost'],
          [4, 'ghost'],
          [5, day(4, 12)],
        ],
      );
      assert.equal(rows.length, 4 * 5, 'one row per key and as-of, no stale copies');
      const after = await f.table('vault.pit_customer');
      for (const e of ENTITIES) await f.load(e, { fullRefresh: true });
      await f.load('pit_customer', { fullRefresh: true, ...at(day(5, 2)) });
      assert.deepEqual(await f.table('vault.pit_customer'), after, 'full refresh: identical');
      await f.close();
    });

    test('as-of timestamps from a model: up to the build time, a backfill computed, a moved snapshot replaced', async () => {
      const f = await fixture(engine);
      await stageDays1to3(f);
      for (const e of ENTITIES) await f.load(e);
      await f.stage('stg_asof', [{ as_of_ts: day(2, 12) }, { as_of_ts: day(9) }, { as_of_ts: day(2, 12) }]);
      const r = await f.load('pit_custom', at(day(5)));
      assert.deepEqual([r.details.as_of_added, r.rowsInserted], [1, 3]);
      // A backfill: an as-of before the newest one.
      await f.stage('stg_asof', [{ as_of_ts: day(1, 12) }]);
      const backfill = await f.load('pit_custom', at(day(5)));
      assert.deepEqual([backfill.details.as_of_added, backfill.rowsInserted], [1, 3]);
      assert.deepEqual(
        (
          await f.rows<{ n: bigint }>(
            `SELECT count(*) AS n FROM vault.pit_custom WHERE sat_name_hk <> '${GHOST}' AND EXTRACT(DAY FROM as_of_ts) = 1`,
          )
        )[0],
        { n: 1n },
        'key 1 has its day-1 version at day 1 noon',
      );
      // Day 9 passes.
      const later = await f.load('pit_custom', at(day(9, 1)));
      assert.deepEqual([later.details.as_of_added, later.rowsInserted], [1, 3]);
      // The same day's snapshot moves (a rebuild of the as-of model): the old one goes, no stale copy.
      await f.session.execute(
        `UPDATE staging.stg_asof SET as_of_ts = TIMESTAMP '2024-01-02 18:00:00' WHERE as_of_ts = TIMESTAMP '2024-01-02 12:00:00'`,
      );
      const moved = await f.load('pit_custom', at(day(9, 2)));
      assert.deepEqual([moved.details.as_of_added, moved.details.as_of_removed], [1, 1]);
      const snapshots = await f.rows<{ as_of_ts: Date; n: bigint }>(
        'SELECT as_of_ts, count(*) AS n FROM vault.pit_custom GROUP BY as_of_ts ORDER BY as_of_ts',
      );
      const rows = snapshots.map((r) => ({
        t: r.as_of_ts.toISOString().slice(8, 13).replace('T', ' '),
        n: r.n,
      }));
      assert.deepEqual(rows, [
        { t: '01 12', n: 3n },
        { t: '02 18', n: 3n },
        { t: '09 00', n: 3n },
      ]);
      // The moved snapshot is computed from the pointers in effect, not left with ghosts (keys 1 and 2
      // have a name by day 2 at 18:00).
      assert.deepEqual(
        await f.rows(
          `SELECT count(*) AS n FROM vault.pit_custom WHERE as_of_ts = TIMESTAMP '2024-01-02 18:00:00' AND sat_name_hk <> '${GHOST}'`,
        ),
        [{ n: 2n }],
      );
      // The newest snapshot moves too: computed from the rows in effect at the one it replaces.
      await f.session.execute(
        `UPDATE staging.stg_asof SET as_of_ts = TIMESTAMP '2024-01-09 06:00:00' WHERE as_of_ts = TIMESTAMP '2024-01-09 00:00:00'`,
      );
      await f.load('pit_custom', at(day(9, 7)));
      assert.deepEqual(
        await f.rows(
          `SELECT count(*) AS n FROM vault.pit_custom WHERE as_of_ts = TIMESTAMP '2024-01-09 06:00:00' AND sat_name_hk <> '${GHOST}'`,
        ),
        [{ n: 2n }],
      );
      await f.close();
    });

    test('effective_from: the version in effect is the newest by the source clock, every landed version kept', async () => {
      const f = await openVaultFixture(
        `
vault:
  hubs:
    - { name: hub_country, business_key: [code], sources: [stg_wb] }
  satellites:
    - { name: sat_values, parent: hub_country, source: stg_wb, attributes: [value, lastupdated], effective_from: lastupdated }
  pits:
    - { name: pit_country, parent: hub_country, satellites: [sat_values], as_of: daily }
`,
        { engine },
      );
      await f.staging('stg_wb', {
        code: 'text',
        value: 'integer',
        lastupdated: 'date',
        _landing_key: 'text',
        load_ts: 'timestamp',
        record_source: 'text',
      });
      const vintage = (key: string, value: number, lastupdated: string, loadTs: Date) =>
        f.stage('stg_wb', [
          { code: 'ZA', value, lastupdated, _landing_key: key, load_ts: loadTs, record_source: key },
        ]);
      await vintage('wb/1', 100, '2024-06-28', day(1, 9));
      await vintage('wb/2', 90, '2023-12-18', day(2, 9)); // an older vintage landed later
      await vintage('wb/3', 110, '2024-07-01', day(3, 9));
      for (const e of ['hub_country', 'sat_values']) await f.load(e);
      await f.load('pit_country', at(day(4)));
      assert.equal((await f.rows('SELECT * FROM vault.sat_values WHERE value IS NOT NULL')).length, 3);
      const inEffect = await f.rows<{ d: number; value: number }>(
        `SELECT CAST(EXTRACT(DAY FROM p.as_of_ts) AS INTEGER) AS d, s.value FROM vault.pit_country p
       JOIN vault.sat_values s ON s.hk_country = p.sat_values_hk AND s.load_ts = p.sat_values_load_ts AND s.load_seq = p.sat_values_load_seq
       ORDER BY 1`,
      );
      assert.deepEqual(inEffect, [
        { d: 1, value: null }, // the ghost: nothing loaded by day 1 00:00
        { d: 2, value: 100 },
        { d: 3, value: 100 },
        { d: 4, value: 110 },
      ]);
      await f.close();
    });

    test('effective_from must be one of the attributes', () => {
      const { diagnostics } = loadVaultSpecs({
        files: [
          {
            file: 'models/vault.yml',
            text: `
vault:
  hubs: [{ name: hub_c, business_key: [code], sources: [stg] }]
  satellites: [{ name: sat_c, parent: hub_c, source: stg, attributes: [value], effective_from: lastupdated }]
`,
          },
        ],
      });
      assert.match(
        diagnostics.map((d) => d.message).join('\n'),
        /effective_from: lastupdated is not one of the attributes/,
      );
    });
  });
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
