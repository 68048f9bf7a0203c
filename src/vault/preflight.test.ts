import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formatDiagnostic } from '../shared/diagnostics.ts';
import { checkStagingColumns, preflightRelations } from './preflight.ts';
import { specsFromYaml } from './test-support.ts';

const YAML = `vault:
  hubs:
    - name: hub_country
      business_key: [country_code]
      sources:
        - stg_a
        - name: stg_b
          business_key: [iso]
    - name: hub_indicator
      business_key: [indicator]
      sources: [stg_a]
  links:
    - name: link_ci
      hubs:
        - hub_country
        - {hub: hub_indicator, business_key: [indicator_code]}
      sources: [stg_a]
  satellites:
    - name: sat_values
      parent: link_ci
      source: stg_a
      attributes: [value, unit]
      child_key: [year]
    - name: sat_country
      parent: hub_country
      source: stg_b
      business_key: [isocode]
      attributes: [name]
      sequence: [seq]
  pits:
    - name: pit_country
      parent: hub_country
      satellites: [sat_country]
      as_of: {model: stg_dates}
`;

const COLUMNS: Record<string, string[]> = {
  stg_a: ['COUNTRY_CODE', 'indicator', 'value', 'year', 'load_ts', 'record_source'],
  stg_b: ['iso', 'name', '_load_ts'],
};

describe('vault preflight: staging columns the YAML names', () => {
  test('every missing column is reported once, at the YAML line naming it, with how to fix it', () => {
    const specs = [...specsFromYaml(YAML).values()];
    assert.deepEqual(preflightRelations(specs).sort(), ['stg_a', 'stg_b', 'stg_dates']);
    const diagnostics = checkStagingColumns(specs, (name) => COLUMNS[name]);
    assert.deepEqual(diagnostics.map(formatDiagnostic), [
      'models/vault.yml:7: hub_country: stg_b has no column record_source or _record_source (record source) (every staging relation a vault entity reads carries it: select _record_source from the source in stg_b)',
      'models/vault.yml:16: link_ci: stg_a has no column indicator_code (business key of hub_indicator) (select it in stg_a, or name one of its columns: COUNTRY_CODE, indicator, value, year, load_ts, record_source)',
      'models/vault.yml:20: sat_values: stg_a has no column indicator_code (business key of parent link_ci) (select it in stg_a, or name one of its columns: COUNTRY_CODE, indicator, value, year, load_ts, record_source)',
      'models/vault.yml:22: sat_values: stg_a has no column unit (attribute) (select it in stg_a, or name one of its columns: COUNTRY_CODE, indicator, value, year, load_ts, record_source)',
      'models/vault.yml:27: sat_country: stg_b has no column isocode (business key of parent hub_country) (select it in stg_b, or name one of its columns: iso, name, _load_ts)',
      'models/vault.yml:29: sat_country: stg_b has no column seq (sequence column) (select it in stg_b, or name one of its columns: iso, name, _load_ts)',
      'models/vault.yml:26: sat_country: stg_b has no column record_source or _record_source (record source) (every staging relation a vault entity reads carries it: select _record_source from the source in stg_b)',
    ]);
  });

  test('a relation whose columns cannot be known is not checked; a PIT as_of column is', () => {
    const specs = [...specsFromYaml(YAML).values()].filter((s) => s.name === 'pit_country');
    assert.deepEqual(
      checkStagingColumns(specs, () => undefined),
      [],
    );
    assert.deepEqual(checkStagingColumns(specs, () => ['as_of']).map(formatDiagnostic), [
      'models/vault.yml:34: pit_country: stg_dates has no column as_of_ts (as_of column) (select it in stg_dates, or name one of its columns: as_of)',
    ]);
  });
});
