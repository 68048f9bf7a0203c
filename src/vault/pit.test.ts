import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import { day, openVaultFixture } from './test-support.ts';

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

async function fixture() {
  const f = await openVaultFixture(YAML);
  await f.staging('stg', { id: 'INTEGER', name: 'VARCHAR', load_ts: 'TIMESTAMP', record_source: 'VARCHAR' });
  await f.staging('stg_extra', { id: 'INTEGER', load_ts: 'TIMESTAMP', record_source: 'VARCHAR' });
  await f.staging('stg_phones', {
    id: 'INTEGER',
    kind: 'VARCHAR',
    phone: 'VARCHAR',
    load_ts: 'TIMESTAMP',
    record_source: 'VARCHAR',
  });
  await f.staging('stg_asof', { as_of_ts: 'TIMESTAMP' });
  return f;
}

async function stageDays1to3(f: Awaited<ReturnType<typeof fixture>>) {
  await f.stage('stg', [
    { id: 1, name: 'A', load_ts: day(1, 10), record_source: 'crm' },
    { id: 2, name: 'X', load_ts: day(2, 10), record_source: 'crm' },
    { id: 1, name: 'B', load_ts: day(3, 10), record_source: 'crm' },
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
async function pit(f: Awaited<ReturnType<typeof fixture>>): Promise<PitRow[]> {
  const rows = await f.rows<Record<string, unknown>>(
    'SELECT * FROM vault.pit_customer ORDER BY as_of_ts, hk_customer',
  );
  const ids = new Map([1, 2, 3].map((i) => [sha256(String(i)), i]));
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

describe('PIT', () => {
  test("each key and as-of points at each satellite's row in effect, or the ghost; new as-of rows only append", async () => {
    const f = await fixture();
    await stageDays1to3(f);
    for (const e of ENTITIES) await f.load(e);
    const first = await f.load('pit_customer');
    assert.equal(first.details.as_of_added, 3);
    assert.deepEqual(
      await pit(f),
      [
        { id: 1, as_of: 2, name: day(1, 10), phones: 'ghost' },
        { id: 3, as_of: 2, name: 'ghost', phones: 'ghost' },
        { id: 1, as_of: 3, name: day(1, 10), phones: day(2, 10) },
        { id: 2, as_of: 3, name: day(2, 10), phones: 'ghost' },
        { id: 3, as_of: 3, name: 'ghost', phones: 'ghost' },
      ].sort((a, b) => a.as_of - b.as_of || cmp(sha256(String(a.id)), sha256(String(b.id)))),
    );
    const [row] = await f.rows(
      `SELECT sat_name_load_seq FROM vault.pit_customer WHERE sat_name_hk <> '${GHOST}' LIMIT 1`,
    );
    assert.deepEqual(row, { sat_name_load_seq: 0 });

    assert.equal((await f.load('pit_customer')).rowsInserted, 0, 'nothing new: nothing added');
    const before = await f.rows('SELECT * FROM vault.pit_customer ORDER BY ALL');

    await f.stage('stg', [{ id: 1, name: 'C', load_ts: day(4, 10), record_source: 'crm' }]);
    await f.stage('stg_extra', [{ id: 3, load_ts: day(4, 10), record_source: 'web' }]);
    await f.stage('stg_phones', [
      { id: 3, kind: 'home', phone: '9', load_ts: day(4, 10), record_source: 'crm' },
    ]);
    for (const e of ENTITIES) await f.load(e);
    const next = await f.load('pit_customer');
    assert.deepEqual([next.details.as_of_added, next.rowsInserted], [1, 3]);
    const after = await f.rows('SELECT * FROM vault.pit_customer ORDER BY ALL');
    for (const row of before)
      assert.ok(
        after.some((a) => JSON.stringify(a) === JSON.stringify(row)),
        'old rows unchanged',
      );
    const day4 = (await pit(f)).filter((r) => r.as_of === 4);
    assert.deepEqual(
      day4.sort((a, b) => a.id - b.id),
      [
        { id: 1, as_of: 4, name: day(3, 10), phones: day(2, 10) },
        { id: 2, as_of: 4, name: day(2, 10), phones: day(3, 10) },
        { id: 3, as_of: 4, name: 'ghost', phones: 'ghost' },
      ],
    );

    await f.load('pit_customer', { fullRefresh: true });
    assert.deepEqual(
      await f.rows('SELECT * FROM vault.pit_customer ORDER BY ALL'),
      after,
      'full refresh: identical',
    );
    await f.close();
  });

  test('the PIT waits for its slowest input (watermark) and says so', async () => {
    const f = await fixture();
    await stageDays1to3(f);
    const phones = await f.rows('SELECT * FROM staging.stg_phones');
    await f.session.execute('DELETE FROM staging.stg_phones');
    for (const e of ENTITIES) await f.load(e);
    const waiting = await f.load('pit_customer');
    assert.equal(waiting.rowsInserted, 0);
    assert.match(waiting.message ?? '', /sat_phones has not loaded any rows yet/);
    await f.stage('stg_phones', phones);
    await f.load('sat_phones');
    const r = await f.load('pit_customer');
    assert.match(r.message ?? '', /watermark held by/);
    assert.equal(r.details.as_of_added, 3);
    await f.close();
  });

  test('as-of timestamps from a model: only those up to the watermark, later ones once it passes', async () => {
    const f = await fixture();
    await stageDays1to3(f);
    for (const e of ENTITIES) await f.load(e);
    await f.stage('stg_asof', [{ as_of_ts: day(2, 12) }, { as_of_ts: day(9) }, { as_of_ts: day(2, 12) }]);
    const r = await f.load('pit_custom');
    assert.deepEqual([r.details.as_of_added, r.rowsInserted], [1, 3]);
    await f.stage('stg', [{ id: 2, name: 'Y', load_ts: day(10), record_source: 'crm' }]);
    await f.load('sat_name');
    await f.stage('stg_extra', [{ id: 3, load_ts: day(10), record_source: 'web' }]);
    await f.load('hub_customer');
    const later = await f.load('pit_custom');
    assert.deepEqual([later.details.as_of_added, later.rowsInserted], [1, 3]);
    const rows = await f.rows<{ d: number; n: bigint }>(
      'SELECT CAST(day(as_of_ts) AS INTEGER) AS d, count(*) AS n FROM vault.pit_custom GROUP BY 1 ORDER BY 1',
    );
    assert.deepEqual(rows, [
      { d: 2, n: 3n },
      { d: 9, n: 3n },
    ]);
    await f.close();
  });
});

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
