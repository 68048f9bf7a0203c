import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import { type TestEngine, testEngines } from '../../test/helpers/engines.ts';
import { day, openVaultFixture, type VaultFixture } from './test-support.ts';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const GHOST = '0'.repeat(64);
const YAML = `
vault:
  hubs:
    - { name: hub_product, business_key: [sku], sources: [stg_snapshot] }
  record_tracking_satellites:
    - { name: rts_product, parent: hub_product, source: stg_snapshot }
`;

async function fixture(engine: TestEngine) {
  const f = await openVaultFixture(YAML, { engine });
  await f.staging('stg_snapshot', { sku: 'text', load_ts: 'timestamp', record_source: 'text' });
  return f;
}
const snapshot = (d: number, skus: (string | null)[]) =>
  skus.map((sku) => ({ sku, load_ts: day(d), record_source: 'erp' }));

async function tracked(f: VaultFixture) {
  const rows = await f.rows<{ hk: string; d: number; deleted: boolean }>(
    `SELECT hk_product AS hk, CAST(EXTRACT(DAY FROM load_ts) AS INTEGER) AS d, is_deleted AS deleted FROM vault.rts_product
     WHERE hk_product <> '${GHOST}' ORDER BY load_ts, hk_product`,
  );
  const names = new Map(['A', 'B', 'C', 'D'].map((s) => [sha256(s), s]));
  return rows.map((r) => `${r.d}:${names.get(r.hk)}:${r.deleted ? 'deleted' : 'present'}`);
}

const SNAPSHOTS: [number, string[]][] = [
  [1, ['A', 'B', 'C']],
  [2, ['A', 'C']],
  [3, ['A', 'B', 'C', 'D']],
  [4, ['A', 'B', 'C', 'D']],
  [5, ['A', 'B', 'D']],
];
const EXPECTED = [
  '1:A:present',
  '1:B:present',
  '1:C:present',
  '2:B:deleted',
  '3:B:present',
  '3:D:present',
  '5:C:deleted',
].sort(
  (a, b) =>
    Number(a.split(':')[0]) - Number(b.split(':')[0]) ||
    (sha256(a.split(':')[1]!) < sha256(b.split(':')[1]!) ? -1 : 1),
);

for (const engine of testEngines()) {
  describe(`${engine.name}: record tracking satellite`, () => {
    test('a key missing from a full snapshot gets a deletion marker; it reappears with a new row', async () => {
      const f = await fixture(engine);
      const inserted: number[] = [];
      for (const [d, skus] of SNAPSHOTS) {
        await f.stage('stg_snapshot', snapshot(d, skus));
        inserted.push((await f.load('rts_product')).rowsInserted);
      }
      assert.deepEqual(inserted, [3, 1, 2, 0, 1]);
      assert.deepEqual(await tracked(f), EXPECTED);
      await f.close();
    });

    test('all snapshots in one batch give the same rows; counts add up; nothing is ever deleted', async () => {
      const f = await fixture(engine);
      await f.stage('stg_snapshot', [
        ...SNAPSHOTS.flatMap(([d, skus]) => snapshot(d, skus)),
        ...snapshot(4, ['A', null]),
      ]);
      const r = await f.load('rts_product');
      assert.deepEqual(await tracked(f), EXPECTED);
      assert.deepEqual(
        [
          r.rowsRead,
          r.skippedNullKeys,
          r.duplicates,
          r.details.deletion_markers,
          r.details.new_keys,
          r.details.reappeared,
          r.details.snapshots,
        ],
        [18, 1, 1, 2, 4, 1, 5],
      );
      assert.equal(
        r.rowsRead,
        r.skippedNullKeys +
          r.skippedLateRows +
          r.duplicates +
          r.unchanged +
          r.rowsInserted -
          r.details.deletion_markers!,
      );
      assert.equal((await f.load('rts_product')).rowsInserted, 0);
      await f.session.execute('DELETE FROM vaultline_meta.vault_load_state');
      const replay = await f.load('rts_product');
      assert.deepEqual([replay.rowsInserted, replay.skippedLateRows > 0], [0, true]);
      await f.close();
    });
  });
}
