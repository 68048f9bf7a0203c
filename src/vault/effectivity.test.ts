import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import { type TestEngine, testEngines } from '../../test/helpers/engines.ts';
import { day, openVaultFixture, type VaultFixture } from './test-support.ts';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const GHOST = '0'.repeat(64);
const END = new Date('9999-12-31T00:00:00Z');

const YAML = `
vault:
  hubs:
    - { name: hub_customer, business_key: [customer_id], sources: [stg] }
    - { name: hub_address, business_key: [address_id], sources: [stg] }
  links:
    - { name: link_customer_address, hubs: [hub_customer, hub_address], sources: [stg] }
  effectivity_satellites:
    - name: eff_customer_address
      parent: link_customer_address
      driving_key: [hub_customer]
      source: stg
`;

async function fixture(engine: TestEngine) {
  const f = await openVaultFixture(YAML, { engine });
  await f.staging('stg', {
    customer_id: 'text',
    address_id: 'text',
    load_ts: 'timestamp',
    record_source: 'text',
  });
  return f;
}
const row = (customer: string, address: string | null, d: number) => ({
  customer_id: customer,
  address_id: address,
  load_ts: day(d),
  record_source: 'crm',
});
const link = (customer: string, address: string) => sha256(`${customer}||${address}`);

async function eff(f: VaultFixture) {
  return f.rows<{ hk: string; d: number; seq: number; start: Date; end: Date }>(
    `SELECT hk_customer_address AS hk, CAST(EXTRACT(DAY FROM load_ts) AS INTEGER) AS d, load_seq AS seq, start_ts AS start, end_ts AS "end"
     FROM vault.eff_customer_address WHERE hk_customer_address <> '${GHOST}' ORDER BY load_ts, hk_customer_address, load_seq`,
  );
}

type Row = { hk: string; d: number; seq: number; start: Date; end: Date };
const sorted = (rows: Row[]) =>
  [...rows].sort((a, b) => a.d - b.d || (a.hk < b.hk ? -1 : a.hk > b.hk ? 1 : a.seq - b.seq));

const EXPECTED_FLIP = sorted([
  { hk: link('C1', 'A'), d: 1, seq: 0, start: day(1), end: END },
  { hk: link('C1', 'A'), d: 2, seq: 0, start: day(1), end: day(2) },
  { hk: link('C1', 'B'), d: 2, seq: 0, start: day(2), end: END },
  { hk: link('C1', 'B'), d: 3, seq: 0, start: day(2), end: day(3) },
  { hk: link('C1', 'A'), d: 3, seq: 0, start: day(3), end: END },
]);

for (const engine of testEngines()) {
  describe(`${engine.name}: effectivity satellite (driving key)`, () => {
    test('a changed relationship closes the old one (end = new start) and opens the new; changing back reopens the first', async () => {
      const f = await fixture(engine);
      for (const [loadTs, address, inserted] of [
        [day(1), 'A', 1],
        [day(2), 'B', 2],
        [day(2, 12), 'B', 0],
        [day(3), 'A', 2],
      ] as const) {
        await f.stage('stg', [{ ...row('C1', address, 0), load_ts: loadTs }]);
        const r = await f.load('eff_customer_address');
        assert.equal(r.rowsInserted, inserted, `at ${loadTs.toISOString()}`);
      }
      assert.deepEqual(await eff(f), EXPECTED_FLIP);
      await f.close();
    });

    test('the same history in one batch gives the same rows; other driving keys are untouched', async () => {
      const f = await fixture(engine);
      await f.stage('stg', [
        row('C1', 'A', 1),
        row('C1', 'B', 2),
        row('C1', 'A', 3),
        row('C1', 'A', 3),
        row('C2', 'Z', 1),
        row('C2', 'Z', 3),
      ]);
      const r = await f.load('eff_customer_address');
      assert.deepEqual(
        [r.rowsInserted, r.details.opened, r.details.closed, r.duplicates, r.unchanged],
        [6, 4, 2, 1, 1],
      );
      const rows = await eff(f);
      assert.deepEqual(
        rows.filter((x) => x.hk !== link('C2', 'Z')),
        EXPECTED_FLIP,
      );
      assert.deepEqual(
        rows.filter((x) => x.hk === link('C2', 'Z')),
        [{ hk: link('C2', 'Z'), d: 1, seq: 0, start: day(1), end: END }],
      );
      assert.equal((await f.load('eff_customer_address')).rowsInserted, 0);
      await f.close();
    });

    test('two different links for one driving key at one load_ts are both applied, numbered by load_seq', async () => {
      const f = await fixture(engine);
      await f.stage('stg', [row('C1', 'X', 1), row('C1', 'Y', 1), row('C1', null, 1)]);
      const r = await f.load('eff_customer_address');
      assert.equal(r.skippedNullKeys, 1);
      const [first, second] = [link('C1', 'X'), link('C1', 'Y')].sort();
      assert.deepEqual(
        await eff(f),
        sorted([
          { hk: first!, d: 1, seq: 0, start: day(1), end: END },
          { hk: first!, d: 1, seq: 1, start: day(1), end: day(1) },
          { hk: second!, d: 1, seq: 0, start: day(1), end: END },
        ]),
      );
      const dupes = await f.rows(
        'SELECT hk_customer_address, load_ts, load_seq FROM vault.eff_customer_address GROUP BY hk_customer_address, load_ts, load_seq HAVING count(*) > 1',
      );
      assert.deepEqual(dupes, []);
      await f.close();
    });
  });
}
