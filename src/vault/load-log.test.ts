import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { testEngines } from '../../test/helpers/engines.ts';
import { day, openVaultFixture } from './test-support.ts';

const YAML = `
vault:
  hubs:
    - { name: hub_country, business_key: [country_code], sources: [stg_a, { name: stg_b, business_key: [iso] }] }
  satellites:
    - { name: sat_country, parent: hub_country, source: stg_a, attributes: [label] }
  pits:
    - { name: pit_country, parent: hub_country, satellites: [sat_country], as_of: daily }
`;

for (const engine of testEngines()) {
  describe(`${engine.name}: vault_load_log`, () => {
    test('each row names the inputs read and the high-water mark after the load; no column is always NULL', async () => {
      const f = await openVaultFixture(YAML, { engine });
      await f.staging('stg_a', {
        country_code: 'text',
        label: 'text',
        load_ts: 'timestamp',
        record_source: 'text',
      });
      await f.staging('stg_b', { iso: 'text', _load_ts: 'timestamp', _record_source: 'text' });
      await f.stage('stg_a', [{ country_code: 'FR', label: 'France', load_ts: day(1), record_source: 'a' }]);
      await f.stage('stg_b', [{ iso: 'NL', _load_ts: day(3), _record_source: 'b' }]);
      await f.load('hub_country');
      await f.load('hub_country'); // nothing new: the mark stays where it is
      await f.load('sat_country');
      await f.load('pit_country');
      const rows = await f.rows(
        `SELECT entity, source, CAST(high_water_load_ts AS VARCHAR) AS high_water, rows_read
       FROM vaultline_meta.vault_load_log ORDER BY loaded_at`,
      );
      assert.deepEqual(rows, [
        {
          entity: 'vault.hub_country',
          source: 'stg_a, stg_b',
          high_water: '2024-01-03 00:00:00',
          rows_read: 2n,
        },
        {
          entity: 'vault.hub_country',
          source: 'stg_a, stg_b',
          high_water: '2024-01-03 00:00:00',
          rows_read: 0n,
        },
        { entity: 'vault.sat_country', source: 'stg_a', high_water: '2024-01-01 00:00:00', rows_read: 1n },
        {
          entity: 'vault.pit_country',
          source: 'hub_country, sat_country',
          // A daily PIT runs to the build time: the fixture's clock starts at 2024-01-20.
          high_water: '2024-01-20 00:00:00',
          rows_read: rows[3]?.rows_read,
        },
      ]);
      const [nulls] = await f.rows(
        `SELECT count(*) FILTER (WHERE source IS NULL) AS no_source,
              count(*) FILTER (WHERE high_water_load_ts IS NULL) AS no_mark
       FROM vaultline_meta.vault_load_log`,
      );
      assert.deepEqual(nulls, { no_source: 0n, no_mark: 0n });
      await f.close();
    });
  });
}
