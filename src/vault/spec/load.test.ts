import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formatDiagnostic } from '../../shared/diagnostics.ts';
import { DEFAULT_HASHING } from '../hashing.ts';
import { loadVaultSpecs } from './load.ts';

const ISSUE_EXAMPLE = `models: []
vault:
  hubs:
    - name: hub_country
      business_key: [country_code]
      sources: [stg_worldbank]
    - name: hub_indicator
      business_key: [indicator_code]
      sources: [stg_worldbank]
  links:
    - name: link_country_indicator
      hubs: [hub_country, hub_indicator]
      sources: [stg_worldbank]
  satellites:
    - name: sat_country_indicator_values
      parent: link_country_indicator
      source: stg_worldbank
      attributes: [value, unit, obs_status, decimal]
      child_key: [year]
  pits:
    - name: pit_country_indicator_year
      parent: link_country_indicator
      satellites: [sat_country_indicator_values]
      as_of: daily
`;

function load(text: string, options: { config?: string; knownModels?: string[] } = {}) {
  return loadVaultSpecs({
    files: [{ file: 'models/vault.yml', text }],
    ...(options.config ? { config: { file: 'vaultline.yml', text: options.config } } : {}),
    ...(options.knownModels ? { knownModels: options.knownModels } : {}),
  });
}
const messages = (r: ReturnType<typeof load>) => r.diagnostics.map(formatDiagnostic);

describe('loadVaultSpecs', () => {
  test("the issue's example resolves: kinds, hash key names, a satellite knows its parent's key columns", () => {
    const r = load(ISSUE_EXAMPLE, { knownModels: ['stg_worldbank'] });
    assert.deepEqual(messages(r), []);
    assert.deepEqual(
      r.entities.map((e) => [e.name, e.kind, e.line]),
      [
        ['hub_country', 'hub', 4],
        ['hub_indicator', 'hub', 7],
        ['link_country_indicator', 'link', 11],
        ['sat_country_indicator_values', 'multi_active_satellite', 15],
        ['pit_country_indicator_year', 'pit', 21],
      ],
    );
    const sat = r.entities.find((e) => e.kind === 'multi_active_satellite');
    assert.ok(sat && sat.kind === 'multi_active_satellite');
    assert.deepEqual(sat.parent, {
      entity: 'link_country_indicator',
      kind: 'link',
      hashKey: 'hk_country_indicator',
      groups: [['country_code'], ['indicator_code']],
    });
    assert.deepEqual(sat.childKey, ['year']);
    assert.deepEqual(r.hashing, DEFAULT_HASHING);
  });

  test('a misspelt key: file:line and did-you-mean', () => {
    const r = load(`vault:
  hubs:
    - name: hub_a
      busines_key: [a]
      sources: [stg]
`);
    assert.deepEqual(
      messages(r),
      [
        'models/vault.yml:4: hub_a: vault.hubs.0.busines_key is not a known key (did you mean "business_key"?)',
        'models/vault.yml:3: hub_a: vault.hubs.0.business_key is required (an array)',
      ].sort((a, b) => Number(a.split(':')[1]) - Number(b.split(':')[1])),
    );
  });

  test('unknown or wrong-kind references get did-you-mean diagnostics at their line', () => {
    const r = load(
      `vault:
  hubs:
    - { name: hub_country, business_key: [code], sources: [stg_worldbnk] }
  links:
    - { name: link_x, hubs: [hub_contry, sat_x], sources: [stg_worldbank] }
  satellites:
    - { name: sat_x, parent: hub_countri, source: stg_worldbank, attributes: [a] }
    - { name: sat_y, parent: sat_x, source: stg_worldbank, attributes: [a] }
`,
      { knownModels: ['stg_worldbank'] },
    );
    assert.deepEqual(messages(r), [
      'models/vault.yml:3: hub_country: source stg_worldbnk is not a model of this project (did you mean "stg_worldbank"?)',
      'models/vault.yml:5: link_x: hub hub_contry is not declared (did you mean "hub_country"?)',
      'models/vault.yml:5: link_x: hub sat_x is a satellite, not a hub',
      'models/vault.yml:7: sat_x: parent hub_countri is not declared (did you mean "hub_country"?)',
      'models/vault.yml:8: sat_y: parent sat_x is a satellite, not a hub or a link',
    ]);
  });

  test('hashing: project-wide from vaultline.yml; refused in model files; bad values reported', () => {
    const ok = load('vault: {}\n', {
      config: 'name: p\nvault:\n  hashing:\n    algorithm: md5\n    case: preserve\n',
    });
    assert.deepEqual(messages(ok), []);
    assert.deepEqual(ok.hashing, { algorithm: 'md5', case: 'preserve', delimiter: '||', nullToken: '^^' });

    const bad = load('vault:\n  hashing: { algorithm: md5 }\n', {
      config: 'name: p\nvault:\n  hashing:\n    algorithm: sha512\n',
    });
    assert.deepEqual(messages(bad), [
      'vaultline.yml:4: vault.hashing.algorithm must be one of md5, sha1, sha256 (got "sha512")',
      'models/vault.yml:2: vault.hashing is project-wide and only read from vaultline.yml (move it to the vault: section of vaultline.yml)',
    ]);
  });

  test('duplicate names, reserved columns, a hub used twice without roles', () => {
    const r = loadVaultSpecs({
      files: [
        {
          file: 'models/a.yml',
          text: 'vault:\n  hubs:\n    - { name: hub_a, business_key: [a], sources: [stg] }\n',
        },
        {
          file: 'models/b.yml',
          text: `vault:
  hubs:
    - { name: hub_a, business_key: [load_ts], sources: [stg] }
  links:
    - { name: link_aa, hubs: [hub_a, hub_a], sources: [stg] }
  satellites:
    - { name: sat_a, parent: hub_a, source: stg, attributes: [x, record_source], child_key: [x] }
`,
        },
      ],
    });
    assert.deepEqual(messages(r), [
      'models/b.yml:3: hub_a: hub_a is declared twice (first declared at models/a.yml:3)',
      'models/b.yml:5: link_aa: hash key column hk_a appears twice in the link (give each use of the hub its own hash_key: (e.g. hk_customer_parent))',
      'models/b.yml:7: sat_a: record_source is a column vaultline adds to vault tables (rename it in the staging model)',
      'models/b.yml:7: sat_a: x is both a child key and an attribute (list it in one of them)',
    ]);
  });

  test('effectivity and PIT rules', () => {
    const r = load(`vault:
  hubs:
    - { name: hub_c, business_key: [c], sources: [stg] }
    - { name: hub_d, business_key: [d], sources: [stg] }
  links:
    - { name: link_cd, hubs: [hub_c, hub_d], sources: [stg] }
  satellites:
    - { name: sat_c, parent: hub_c, source: stg, attributes: [x] }
  effectivity_satellites:
    - { name: eff_hub, parent: hub_c, driving_key: [hub_c], source: stg }
    - { name: eff_typo, parent: link_cd, driving_key: [hub_cc], source: stg }
    - { name: eff_all, parent: link_cd, driving_key: [hub_c, hub_d], source: stg }
    - { name: eff_ok, parent: link_cd, driving_key: [hk_c], source: stg }
  pits:
    - { name: pit_cd, parent: link_cd, satellites: [sat_c], as_of: daily }
    - { name: pit_c, parent: hub_c, satellites: [sat_c], as_of: { model: stg_dates } }
`);
    assert.deepEqual(messages(r), [
      "models/vault.yml:10: eff_hub: an effectivity satellite's parent must be a link; hub_c is a hub",
      'models/vault.yml:11: eff_typo: hub_cc is not a hub of link_cd (did you mean "hub_c"?)',
      'models/vault.yml:12: eff_all: the driving key names every hub of the link (leave at least one hub out: the one that changes)',
      'models/vault.yml:15: pit_cd: sat_c hangs off hub_c, not link_cd (a PIT combines satellites of one parent)',
    ]);
    const eff = r.entities.find((e) => e.name === 'eff_ok');
    assert.ok(eff?.kind === 'effectivity_satellite');
    assert.deepEqual([eff.drivingKey, eff.drivingHubs], [[0], ['hub_c']]);
    const pit = r.entities.find((e) => e.name === 'pit_c');
    assert.ok(pit?.kind === 'pit');
    assert.deepEqual(pit.asOf, { kind: 'model', model: 'stg_dates', column: 'as_of_ts' });
  });

  test('files without a vault: section, and YAML syntax errors', () => {
    assert.deepEqual(messages(load('models:\n  - name: x\n')), []);
    assert.deepEqual(messages(load('vault:\n  hubs: [\n')).length, 1);
  });
});
