import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { redactor } from '../../shared/redact.ts';
import { type OptionSpec, resolveOptions } from './options.ts';

const specs: OptionSpec[] = [
  {
    key: 'per_page',
    flag: 'per-page',
    type: 'integer',
    min: 1,
    default: 50,
    env: 'TEST_PER_PAGE',
    description: 'rows',
  },
  { key: 'countries', flag: 'country', type: 'strings', required: true, description: 'countries' },
  { key: 'mode', flag: 'mode', type: 'string', choices: ['fast', 'slow'], description: 'mode' },
  {
    key: 'api_key',
    type: 'string',
    secret: true,
    env: 'TEST_API_KEY',
    requiredLive: true,
    description: 'key',
  },
];
const label = (key: string) => `vaultline.yml:3 connectors.test.${key}`;

describe('option resolution', () => {
  it('takes flag over environment over config over default', () => {
    const inputs = { configLabel: label, live: false };
    const pick = (
      flags: Record<string, unknown>,
      env: Record<string, string>,
      config: Record<string, unknown>,
    ) =>
      resolveOptions(specs, { ...inputs, flags: { countries: ['ZA'], ...flags }, env, config }).values.raw(
        'per_page',
      );
    assert.equal(pick({ per_page: '10' }, { TEST_PER_PAGE: '20' }, { per_page: 30 }), 10);
    assert.equal(pick({}, { TEST_PER_PAGE: '20' }, { per_page: 30 }), 20);
    assert.equal(pick({}, {}, { per_page: 30 }), 30);
    assert.equal(pick({}, {}, {}), 50);
  });

  it('splits lists given repeatedly, comma-separated or as YAML lists', () => {
    const resolve = (flags: Record<string, unknown>, config: Record<string, unknown> = {}) =>
      resolveOptions(specs, { flags, env: {}, config, configLabel: label, live: false }).values.strings(
        'countries',
      );
    assert.deepEqual(resolve({ countries: ['ZA', 'BR,DE'] }), ['ZA', 'BR', 'DE']);
    assert.deepEqual(resolve({}, { countries: ['ZA', 'BR'] }), ['ZA', 'BR']);
  });

  it('reports every problem, naming where the value came from', () => {
    const { problems } = resolveOptions(specs, {
      flags: { mode: 'fst' },
      env: {},
      config: { per_page: 'many' },
      configLabel: label,
      live: true,
    });
    assert.equal(problems.length, 4, problems.join('\n'));
    assert.match(
      problems[0]!,
      /^vaultline\.yml:3 connectors\.test\.per_page: must be a whole number \(got "many"\)/,
    );
    assert.match(problems[1]!, /countries is required.*--country/);
    assert.match(problems[2]!, /--mode: "fst" is not one of fast, slow \(did you mean "fast"\?\)/);
    assert.match(problems[3]!, /api_key is required to call the live API.*TEST_API_KEY/);
  });

  it('needs requiredLive options only for live calls, and registers secret values with the redactor', () => {
    const replay = resolveOptions(specs, {
      flags: { countries: ['ZA'] },
      env: {},
      config: {},
      configLabel: label,
      live: false,
    });
    assert.deepEqual(replay.problems, []);
    const live = resolveOptions(specs, {
      flags: { countries: ['ZA'] },
      env: { TEST_API_KEY: 'opt-secret-4711' },
      config: {},
      configLabel: label,
      live: true,
    });
    assert.deepEqual(live.problems, []);
    assert.equal(live.values.optionalString('api_key'), 'opt-secret-4711');
    assert.equal(redactor.text('key opt-secret-4711 here'), 'key *** here');
  });
});
