import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type TestEngine, testEngines } from '../../test/helpers/engines.ts';
import { day, openVaultFixture, type VaultFixture } from './test-support.ts';
import { vaultTests } from './tests.ts';

const YAML = `
vault:
  hubs:
    - { name: hub_c, business_key: [c], sources: [stg] }
    - { name: hub_d, business_key: [d], sources: [stg] }
  links:
    - { name: link_cd, hubs: [hub_c, hub_d], sources: [stg] }
  satellites:
    - { name: sat_c, parent: hub_c, source: stg, attributes: [x] }
    - { name: sat_c_multi, parent: hub_c, source: stg, child_key: [d], attributes: [x] }
  effectivity_satellites:
    - { name: eff_cd, parent: link_cd, driving_key: [hub_c], source: stg }
  record_tracking_satellites:
    - { name: rts_c, parent: hub_c, source: stg }
  pits:
    - { name: pit_c, parent: hub_c, satellites: [sat_c, sat_c_multi], as_of: daily }
`;
const ORDER = ['hub_c', 'hub_d', 'link_cd', 'sat_c', 'sat_c_multi', 'eff_cd', 'rts_c', 'pit_c'];

async function loaded(engine: TestEngine): Promise<VaultFixture> {
  const f = await openVaultFixture(YAML, { engine });
  await f.staging('stg', {
    c: 'text',
    d: 'text',
    x: 'integer',
    load_ts: 'timestamp',
    record_source: 'text',
  });
  await f.stage('stg', [
    { c: 'c1', d: 'd1', x: 1, load_ts: day(1, 6), record_source: 's' },
    { c: 'c1', d: 'd2', x: 2, load_ts: day(2, 6), record_source: 's' },
    { c: 'c2', d: 'd1', x: 1, load_ts: day(3, 6), record_source: 's' },
  ]);
  for (const name of ORDER) await f.load(name);
  return f;
}

async function failing(f: VaultFixture): Promise<string[]> {
  const out: string[] = [];
  for (const name of ORDER) {
    for (const t of vaultTests(f.specs.get(name)!, f.session.dialect, f.relationOf)) {
      if ((await f.rows(t.sql)).length > 0) out.push(t.name);
    }
  }
  return out;
}

for (const engine of testEngines()) {
  describe(`${engine.name}: automatic vault tests`, () => {
    test('every entity gets its tests, and they pass on a loaded vault', async () => {
      const f = await loaded(engine);
      const all = ORDER.flatMap((n) => vaultTests(f.specs.get(n)!, f.session.dialect, f.relationOf));
      assert.deepEqual(
        all.map((t) => t.name),
        [
          'not_null_hub_c_hk_c',
          'unique_hub_c_hk_c',
          'not_null_hub_d_hk_d',
          'unique_hub_d_hk_d',
          'not_null_link_cd_hk_cd',
          'unique_link_cd_hk_cd',
          'not_null_link_cd_hk_c',
          'relationships_link_cd_hk_c__hub_c',
          'not_null_link_cd_hk_d',
          'relationships_link_cd_hk_d__hub_d',
          'unique_sat_c_hk_c__load_ts__load_seq',
          'not_null_sat_c_hk_c',
          'relationships_sat_c_hk_c__hub_c',
          'ghost_record_sat_c',
          'unique_sat_c_multi_hk_c__load_ts__d',
          'not_null_sat_c_multi_hk_c',
          'relationships_sat_c_multi_hk_c__hub_c',
          'ghost_record_sat_c_multi',
          'unique_eff_cd_hk_cd__load_ts__load_seq',
          'not_null_eff_cd_hk_cd',
          'relationships_eff_cd_hk_cd__link_cd',
          'ghost_record_eff_cd',
          'unique_rts_c_hk_c__load_ts',
          'not_null_rts_c_hk_c',
          'relationships_rts_c_hk_c__hub_c',
          'ghost_record_rts_c',
          'unique_pit_c_hk_c__as_of_ts',
          'relationships_pit_c_hk_c__hub_c',
        ],
      );
      assert.ok((await f.rows<{ n: bigint }>('SELECT count(*) AS n FROM vault.pit_c'))[0]!.n > 0n);
      assert.deepEqual(await failing(f), []);
      await f.close();
    });

    test('they fail on duplicates, orphans, null keys and a missing or doubled ghost', async () => {
      const f = await loaded(engine);
      for (const statement of [
        'INSERT INTO vault.hub_c SELECT * FROM vault.hub_c LIMIT 1',
        "INSERT INTO vault.sat_c (hk_c, load_ts, load_seq, record_source, hashdiff, x) VALUES ('orphan', TIMESTAMP '2024-02-01', 0, 's', 'h', 1)",
        "INSERT INTO vault.link_cd (hk_cd, hk_c, hk_d, load_ts, record_source) VALUES ('l', 'nohub', 'nohub', TIMESTAMP '2024-02-01', 's')",
        "DELETE FROM vault.rts_c WHERE record_source = 'vaultline.ghost'",
        "INSERT INTO vault.sat_c_multi SELECT * FROM vault.sat_c_multi WHERE record_source = 'vaultline.ghost'",
      ])
        await f.session.execute(statement);
      assert.deepEqual(await failing(f), [
        'unique_hub_c_hk_c',
        'relationships_link_cd_hk_c__hub_c',
        'relationships_link_cd_hk_d__hub_d',
        'relationships_sat_c_hk_c__hub_c',
        'unique_sat_c_multi_hk_c__load_ts__d',
        'ghost_record_sat_c_multi',
        'ghost_record_rts_c',
      ]);
      await f.close();
    });
  });
}
