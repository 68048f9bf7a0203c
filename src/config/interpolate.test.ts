// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} here is vaultline.yml syntax, not a JS template
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { interpolateEnv } from './interpolate.ts';

test('${X} is replaced by the environment variable', () => {
  const r = interpolateEnv({ a: 'x-${HOST}-y', n: 3, b: true, list: ['${HOST}'] }, { HOST: 'db.local' });
  assert.deepEqual(r.value, { a: 'x-db.local-y', n: 3, b: true, list: ['db.local'] });
  assert.deepEqual(r.missing, []);
  assert.deepEqual(r.secretPaths, []);
});

test('${X:-default} falls back when the variable is unset or empty', () => {
  const r = interpolateEnv(
    { a: '${REGION:-eu-west-1}', b: '${EMPTY:-fallback}', c: '${SET:-unused}', d: '${NONE:-}' },
    {
      EMPTY: '',
      SET: 'given',
    },
  );
  assert.deepEqual(r.value, { a: 'eu-west-1', b: 'fallback', c: 'given', d: '' });
  assert.deepEqual(r.missing, []);
});

test('$${X} escapes to a literal ${X}', () => {
  const r = interpolateEnv({ a: 'cost: $${PRICE} and ${PRICE}', b: '$${X:-y}' }, { PRICE: '5' });
  assert.deepEqual(r.value, { a: 'cost: ${PRICE} and 5', b: '${X:-y}' });
});

test('a missing variable is reported with its path', () => {
  const r = interpolateEnv({ landing: { bucket: '${BUCKET}' }, list: ['ok', '${ALSO_MISSING}'] }, {});
  assert.deepEqual(r.missing, [
    { path: ['landing', 'bucket'], variable: 'BUCKET' },
    { path: ['list', 1], variable: 'ALSO_MISSING' },
  ]);
});

test('a set-but-empty variable without default is reported too', () => {
  const r = interpolateEnv({ a: '${EMPTY}' }, { EMPTY: '' });
  assert.deepEqual(r.missing, [{ path: ['a'], variable: 'EMPTY' }]);
});

test('values from secret-looking variables or under secret-named keys are secrets', () => {
  const r = interpolateEnv(
    {
      connectors: {
        github: { token: '${GH}', base_url: 'https://api.github.com' },
        crm: { headers: { Authorization: 'Bearer ${CRM_KEY_VALUE}' } },
        db: { url: 'postgres://u:${DB_PASSWORD}@h/db' },
      },
      plain: '${HOME}',
    },
    { GH: 'gh-token-1234', CRM_KEY_VALUE: 'crm-5678', DB_PASSWORD: 'pw-9999', HOME: '/home/u' },
  );
  assert.deepEqual(r.secretPaths.sort(), [
    'connectors.crm.headers.Authorization',
    'connectors.db.url',
    'connectors.github.token',
  ]);
  // The whole value under a secret key and each secret variable on its own, so either form is scrubbed.
  const values = r.secretValues.map((s) => s.value);
  for (const value of ['gh-token-1234', 'Bearer crm-5678', 'crm-5678', 'pw-9999']) {
    assert.ok(values.includes(value), value);
  }
  assert.ok(!values.includes('/home/u'));
  // Where each came from, for errors that must name it (a view refused for holding a secret).
  assert.ok(
    r.secretValues.some((s) => s.value === 'pw-9999' && s.origin === 'environment variable DB_PASSWORD'),
  );
});

test('a literal value under a secret-named key is a secret too (it should not be in the file, but is masked)', () => {
  const r = interpolateEnv({ connectors: { x: { api_key: 'literal-key-42' } } }, {});
  assert.deepEqual(r.secretPaths, ['connectors.x.api_key']);
  assert.deepEqual(r.secretValues, [
    { value: 'literal-key-42', origin: 'connectors.x.api_key in vaultline.yml' },
  ]);
});
