import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import { type TestEngine, testEngines } from '../../test/helpers/engines.ts';
import { day, openVaultFixture } from './test-support.ts';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

const YAML = `
vault:
  hubs:
    - name: hub_country
      business_key: [country_code]
      sources: [stg_a, { name: stg_b, business_key: [iso] }]
    - name: hub_indicator
      business_key: [indicator]
      sources: [stg_a]
    - name: hub_person
      business_key: [person_id]
      sources: [stg_people]
  links:
    - name: link_country_indicator
      hubs: [hub_country, hub_indicator]
      sources: [stg_a]
    - name: link_reports_to
      hubs:
        - { hub: hub_person, hash_key: hk_employee }
        - { hub: hub_person, business_key: [manager_id], hash_key: hk_manager }
      sources: [stg_people]
`;

async function fixture(engine: TestEngine) {
  const f = await openVaultFixture(YAML, { engine });
  await f.staging('stg_a', {
    country_code: 'text',
    indicator: 'text',
    load_ts: 'timestamp',
    record_source: 'text',
  });
  await f.staging('stg_b', { iso: 'text', _load_ts: 'timestamp', _record_source: 'text' });
  await f.staging('stg_people', {
    person_id: 'integer',
    manager_id: 'integer',
    load_ts: 'timestamp',
    record_source: 'text',
  });
  return f;
}

for (const engine of testEngines()) {
  describe(`${engine.name}: hub`, () => {
    test('one row per business key: earliest load_ts, ties by record_source, sources unioned', async () => {
      const f = await fixture(engine);
      await f.stage('stg_a', [
        { country_code: 'FR', indicator: 'POP', load_ts: day(2), record_source: 'a' },
        { country_code: 'de', indicator: 'POP', load_ts: day(1), record_source: 'z' },
      ]);
      await f.stage('stg_b', [
        { iso: 'fr ', _load_ts: day(1), _record_source: 'y' },
        { iso: 'FR', _load_ts: day(1), _record_source: 'x' },
        { iso: 'NL', _load_ts: day(3), _record_source: 'x' },
      ]);
      const result = await f.load('hub_country');
      assert.equal(result.rowsInserted, 3);
      assert.equal(result.rowsRead, 5);
      assert.equal(result.duplicates, 2);
      const rows = await f.rows(
        'SELECT hk_country, country_code, load_ts, record_source FROM vault.hub_country ORDER BY lower(country_code)',
      );
      assert.deepEqual(rows, [
        { hk_country: sha256('DE'), country_code: 'de', load_ts: day(1), record_source: 'z' },
        { hk_country: sha256('FR'), country_code: 'FR', load_ts: day(1), record_source: 'x' },
        { hk_country: sha256('NL'), country_code: 'NL', load_ts: day(3), record_source: 'x' },
      ]);
      assert.deepEqual(
        result.sources.map((s) => [s.source, s.rowsRead, s.highWater]),
        [
          ['stg_a', 2, '2024-01-02 00:00:00'],
          ['stg_b', 3, '2024-01-03 00:00:00'],
        ],
      );
      await f.close();
    });

    test('ties go by code point, whatever the collation: record_source, then the key as spelled', async () => {
      // Byte order puts upper case first ('B' < 'a', 'FR' < 'fr'); a linguistic collation such as
      // the test server's en-US would not, and the hub would keep another row than on DuckDB.
      const f = await fixture(engine);
      await f.stage('stg_a', [
        { country_code: 'FR', indicator: 'X', load_ts: day(1), record_source: 'a' },
        { country_code: 'FR', indicator: 'X', load_ts: day(1), record_source: 'B' },
        { country_code: 'de', indicator: 'X', load_ts: day(1), record_source: 'z' },
        { country_code: 'DE', indicator: 'X', load_ts: day(1), record_source: 'z' },
      ]);
      await f.load('hub_country');
      assert.deepEqual(
        await f.rows('SELECT country_code, record_source FROM vault.hub_country ORDER BY hk_country'),
        [
          { country_code: 'DE', record_source: 'z' },
          { country_code: 'FR', record_source: 'B' },
        ].sort((a, b) => cmp(sha256(a.country_code), sha256(b.country_code))),
      );
      await f.close();
    });

    test('null and empty keys are skipped and counted, per source', async () => {
      const f = await fixture(engine);
      await f.stage('stg_a', [
        { country_code: null, indicator: 'X', load_ts: day(1), record_source: 'a' },
        { country_code: '', indicator: 'X', load_ts: day(1), record_source: 'a' },
        { country_code: '   ', indicator: 'X', load_ts: day(1), record_source: 'a' },
        { country_code: 'BE', indicator: 'X', load_ts: day(1), record_source: 'a' },
      ]);
      await f.stage('stg_b', [{ iso: null, _load_ts: day(1), _record_source: 'b' }]);
      const result = await f.load('hub_country');
      assert.equal(result.skippedNullKeys, 4);
      assert.equal(result.rowsInserted, 1);
      assert.deepEqual(
        result.sources.map((s) => [s.source, s.skippedNullKeys]),
        [
          ['stg_a', 3],
          ['stg_b', 1],
        ],
      );
      const [log] = await f.rows(
        'SELECT rows_read, rows_inserted, skipped_null_keys FROM vaultline_meta.vault_load_log',
      );
      assert.deepEqual(log, { rows_read: 5n, rows_inserted: 1n, skipped_null_keys: 4n });
      await f.close();
    });

    test('a re-run adds nothing; keys already in the hub are counted as unchanged', async () => {
      const f = await fixture(engine);
      await f.stage('stg_a', [{ country_code: 'FR', indicator: 'X', load_ts: day(1), record_source: 'a' }]);
      assert.equal((await f.load('hub_country')).rowsInserted, 1);
      const again = await f.load('hub_country');
      assert.equal(again.rowsRead, 0, 'nothing above the high-water mark');
      assert.equal(again.rowsInserted, 0);
      await f.stage('stg_a', [
        { country_code: 'fr', indicator: 'X', load_ts: day(2), record_source: 'a' },
        { country_code: 'IT', indicator: 'X', load_ts: day(2), record_source: 'a' },
      ]);
      const next = await f.load('hub_country');
      assert.deepEqual([next.rowsRead, next.unchanged, next.rowsInserted], [2, 1, 1]);
      const rows = await f.rows<{ n: bigint }>('SELECT count(*) AS n FROM vault.hub_country');
      assert.equal(rows[0]?.n, 2n);
      await f.close();
    });
  });

  describe(`${engine.name}: link`, () => {
    test('one row per key combination with each hub key; a null hub key gives no row and is counted', async () => {
      const f = await fixture(engine);
      await f.stage('stg_a', [
        { country_code: 'FR', indicator: 'POP', load_ts: day(1), record_source: 'a' },
        { country_code: 'fr', indicator: 'pop', load_ts: day(2), record_source: 'a' },
        { country_code: 'FR', indicator: 'GDP', load_ts: day(2), record_source: 'a' },
        { country_code: 'FR', indicator: null, load_ts: day(2), record_source: 'a' },
        { country_code: '', indicator: 'GDP', load_ts: day(2), record_source: 'a' },
      ]);
      const result = await f.load('link_country_indicator');
      assert.deepEqual([result.rowsInserted, result.skippedNullKeys, result.duplicates], [2, 2, 1]);
      const rows = await f.rows(
        'SELECT hk_country_indicator, hk_country, hk_indicator, load_ts FROM vault.link_country_indicator ORDER BY load_ts',
      );
      assert.deepEqual(rows, [
        {
          hk_country_indicator: sha256('FR||POP'),
          hk_country: sha256('FR'),
          hk_indicator: sha256('POP'),
          load_ts: day(1),
        },
        {
          hk_country_indicator: sha256('FR||GDP'),
          hk_country: sha256('FR'),
          hk_indicator: sha256('GDP'),
          load_ts: day(2),
        },
      ]);
      assert.equal((await f.load('link_country_indicator')).rowsInserted, 0);
      await f.close();
    });

    test('the same hub twice, with a hash_key per role', async () => {
      const f = await fixture(engine);
      await f.stage('stg_people', [
        { person_id: 1, manager_id: 2, load_ts: day(1), record_source: 'hr' },
        { person_id: 2, manager_id: null, load_ts: day(1), record_source: 'hr' },
      ]);
      const result = await f.load('link_reports_to');
      assert.deepEqual([result.rowsInserted, result.skippedNullKeys], [1, 1]);
      const rows = await f.rows('SELECT hk_reports_to, hk_employee, hk_manager FROM vault.link_reports_to');
      assert.deepEqual(rows, [
        { hk_reports_to: sha256('1||2'), hk_employee: sha256('1'), hk_manager: sha256('2') },
      ]);
      await f.close();
    });
  });
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
