/**
 * Property: loading a generated sequence of staged rows in one batch, or in ten consecutive batches
 * (same load_ts values), gives identical vault tables — hubs, links, every satellite kind, their
 * current-state tables and a PIT; and loading the same data again adds nothing.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { type TestEngine, testEngines } from '../../test/helpers/engines.ts';
import { day, openVaultFixture, type VaultFixture } from './test-support.ts';

const YAML = `
vault:
  hubs:
    - { name: hub_a, business_key: [a], sources: [stg] }
    - { name: hub_b, business_key: [b], sources: [stg] }
  links:
    - { name: link_ab, hubs: [hub_a, hub_b], sources: [stg] }
  satellites:
    - { name: sat_a, parent: hub_a, source: stg, attributes: [x, y] }
    - { name: sat_a_seq, parent: hub_a, source: stg, attributes: [x], sequence: [seq] }
    - { name: sat_a_multi, parent: hub_a, source: stg, child_key: [b], attributes: [x] }
  effectivity_satellites:
    - { name: eff_ab, parent: link_ab, driving_key: [hub_a], source: stg }
  record_tracking_satellites:
    - { name: rts_a, parent: hub_a, source: stg }
  pits:
    - { name: pit_a, parent: hub_a, satellites: [sat_a, sat_a_multi, rts_a], as_of: daily }
`;
const ENTITIES = [
  'hub_a',
  'hub_b',
  'link_ab',
  'sat_a',
  'sat_a_seq',
  'sat_a_multi',
  'eff_ab',
  'rts_a',
  'pit_a',
];
const TABLES = [
  ...ENTITIES.map((e) => `vault.${e}`),
  ...ENTITIES.filter((e) => !e.startsWith('hub') && !e.startsWith('link') && !e.startsWith('pit')).map(
    (e) => `vaultline_meta.vault_current__vault__${e}`,
  ),
];

const stagedRow = fc.record({
  a: fc.constantFrom('k1', 'K1 ', 'k2', 'k3', '', null),
  b: fc.constantFrom('p', 'q', null),
  x: fc.constantFrom('A', 'B', 'C', null),
  y: fc.constantFrom(1, 2, null),
  seq: fc.integer({ min: 0, max: 2 }),
  slot: fc.integer({ min: 0, max: 11 }),
});

async function loadAll(f: VaultFixture): Promise<number> {
  let inserted = 0;
  for (const e of ENTITIES) inserted += (await f.load(e)).rowsInserted;
  return inserted;
}

async function snapshot(f: VaultFixture): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const t of TABLES) out[t] = await f.table(t);
  return out;
}

async function stagingFixture(engine: TestEngine): Promise<VaultFixture> {
  const f = await openVaultFixture(YAML, { engine });
  await f.staging('stg', {
    a: 'text',
    b: 'text',
    x: 'text',
    y: 'integer',
    seq: 'integer',
    load_ts: 'timestamp',
    record_source: 'text',
  });
  return f;
}

for (const engine of testEngines()) {
  test(`${engine.name}: one batch or ten batches give identical vault tables; loading twice adds nothing`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(stagedRow, { minLength: 1, maxLength: 30 }), async (generated) => {
        // Twelve load_ts slots over six days, two a day, so PIT as-of midnights fall between batches.
        const rows = generated.map(({ slot, ...r }) => ({
          ...r,
          load_ts: day(1 + Math.floor(slot / 2), slot % 2 ? 15 : 9),
          record_source: slot % 3 ? 'src_a' : 'src_b',
        }));
        const slots = [...new Set(generated.map((r) => r.slot))].sort((p, q) => p - q);

        const once = await stagingFixture(engine);
        const batched = await stagingFixture(engine);
        try {
          await once.stage('stg', rows);
          await loadAll(once);
          assert.equal(await loadAll(once), 0, 'loading the same data twice adds nothing');

          // Ten consecutive batches: the sorted load_ts slots cut into ten runs (some empty).
          for (let i = 0; i < 10; i++) {
            const part = slots.filter((_, j) => Math.floor((j * 10) / slots.length) === i);
            await batched.stage(
              'stg',
              rows.filter((_, j) => part.includes(generated[j]!.slot)),
            );
            await loadAll(batched);
          }
          assert.deepEqual(await snapshot(batched), await snapshot(once));
        } finally {
          await once.close();
          await batched.close();
        }
      }),
      // Each run is ~110 loads; VAULT_PROPERTY_RUNS=100 for a deeper search (on every engine). The
      // PostgreSQL side runs half as many cases by default: the SQL is DuckDB's, whose runs search
      // the input space; PostgreSQL's check the server keeps the same tables (and npm test short).
      { numRuns: Number(process.env.VAULT_PROPERTY_RUNS ?? (engine.name === 'duckdb' ? 6 : 3)) },
    );
  });
}
