import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isSecretName, REDACTED, Redactor } from './redact.ts';

describe('isSecretName', () => {
  test('flags credential-like names in any case and separator style', () => {
    for (const name of [
      'token',
      'access_token',
      'GITHUB_TOKEN',
      'api_key',
      'apiKey',
      'X-API-Key',
      'Authorization',
      'password',
      'db.password',
      'client_secret',
      'Cookie',
      'private_key',
      'secret_access_key',
      'signature',
      'X-Amz-Signature',
      'STRIPE_KEY',
      'SSH_KEY',
      'DB_PASS',
    ]) {
      assert.ok(isSecretName(name), name);
    }
  });

  test('leaves ordinary names, identifiers and pagination cursors alone', () => {
    for (const name of [
      'page',
      'limit',
      'since',
      'state',
      'author',
      'kms_key_id',
      'access_key_id',
      'page_token',
      'pageToken',
      'nextPageToken',
      'next_page_token',
      'continuation_token',
      'base_url',
      'bucket',
      'unique_key',
      'hash_key',
      'landing_key',
      'KMS_KEY_ID',
      'BYPASS',
    ]) {
      assert.ok(!isSecretName(name), name);
    }
  });
});

describe('Redactor', () => {
  test('text scrubs registered values, URL-encoded and JSON-escaped forms included', () => {
    const r = new Redactor();
    r.addSecret('p@ss w"rd/1');
    const out = r.text(
      `raw p@ss w"rd/1 encoded ${encodeURIComponent('p@ss w"rd/1')} json ${JSON.stringify({ v: 'p@ss w"rd/1' })}`,
    );
    assert.equal(out, 'raw *** encoded *** json {"v":"***"}');
  });

  test('text scrubs the SQL-quoted spelling too (a quote doubled inside a literal of compiled SQL)', () => {
    const r = new Redactor();
    r.addSecret("it's-a-secret");
    assert.equal(r.text("select 'it''s-a-secret' as x"), "select '***' as x");
  });

  test('secretIn names where a secret found in any spelling came from', () => {
    const r = new Redactor();
    r.addSecret('ghp_canary-77', 'environment variable GITHUB_TOKEN');
    r.addSecret('ghp_canary-77', 'connector option token');
    r.addSecret('other-secret');
    assert.equal(r.secretIn("where t = 'ghp_canary-77'"), 'environment variable GITHUB_TOKEN');
    assert.equal(r.secretIn(`x=${encodeURIComponent('other-secret')}`), 'a secret');
    assert.equal(r.secretIn('nothing here'), undefined);
  });

  test('bytes scrubs UTF-8 and Latin-1 spellings from a buffer, and leaves a clean one as it was', () => {
    const r = new Redactor();
    r.addSecret('tok-12345');
    r.addSecret('clé-secrète');
    const latin1 = Buffer.from('a tok-12345 b clé-secrète c', 'latin1');
    assert.equal(r.bytes(latin1).toString('latin1'), 'a *** b *** c');
    const utf8 = Buffer.from('clé-secrète/clé-secrète', 'utf8');
    assert.equal(r.bytes(utf8).toString('utf8'), '***/***');
    const clean = Buffer.from([0xff, 0x00, 0x41]);
    assert.equal(r.bytes(clean), clean);
  });

  test('ignores values too short to be secrets (they would mangle ordinary text)', () => {
    const r = new Redactor();
    r.addSecret('abc');
    r.addSecret('');
    r.addSecret(undefined);
    assert.equal(r.secretCount, 0);
    assert.equal(r.text('abc abc'), 'abc abc');
  });

  test('url masks secret query parameters and the password, keeps the rest', () => {
    const r = new Redactor();
    const out = r.url(
      'https://bob:hunter22@api.example.com/v1/x?api_key=k1234&page=2&pageToken=CAE%3D&q=a+b',
    );
    const url = new URL(out);
    assert.equal(url.username, 'bob');
    assert.equal(url.password, REDACTED);
    assert.equal(url.searchParams.get('api_key'), REDACTED);
    assert.equal(url.searchParams.get('page'), '2');
    assert.equal(url.searchParams.get('pageToken'), 'CAE=');
    assert.equal(url.searchParams.get('q'), 'a b');
    assert.ok(!out.includes('hunter22') && !out.includes('k1234'));
  });

  test('url on something that is not a URL still scrubs registered values', () => {
    const r = new Redactor();
    r.addSecret('tok-12345');
    assert.equal(r.url('not a url tok-12345'), 'not a url ***');
  });

  test('text masks secret query parameters of URLs inside free text', () => {
    const r = new Redactor();
    const out = r.text(
      'GET https://api.example.com/items?access_token=zzz999&page=1 failed; see https://docs.example.com/',
    );
    assert.equal(
      out,
      'GET https://api.example.com/items?access_token=***&page=1 failed; see https://docs.example.com/',
    );
  });

  test('headers masks secret-named headers and scrubs values of the others', () => {
    const r = new Redactor();
    r.addSecret('tok-12345');
    assert.deepEqual(
      r.headers({
        Authorization: 'Bearer anything',
        'X-Api-Key': 'k',
        'Content-Type': 'application/json',
        'X-Echo': 'you sent tok-12345',
        Link: '<https://api.example.com/x?page=2&api_key=kk99>; rel="next"',
      }),
      {
        Authorization: REDACTED,
        'X-Api-Key': REDACTED,
        'Content-Type': 'application/json',
        'X-Echo': 'you sent ***',
        Link: '<https://api.example.com/x?page=2&api_key=***>; rel="next"',
      },
    );
  });

  test('object masks secret-named fields at any depth and scrubs values everywhere, without mutating', () => {
    const r = new Redactor();
    r.addSecret('tok-12345');
    const input = {
      name: 'demo',
      connectors: { github: { token: 'abc-unregistered', base_url: 'https://api.github.com', retries: 3 } },
      auth: { type: 'basic', password: 'pw-777' },
      list: ['tok-12345', { api_key: 42 }],
      empty_token: '',
      when: new Date('2026-01-01T00:00:00Z'),
    };
    const out = r.object(input);
    assert.deepEqual(out, {
      name: 'demo',
      connectors: { github: { token: REDACTED, base_url: 'https://api.github.com', retries: 3 } },
      auth: { type: 'basic', password: REDACTED },
      list: [REDACTED, { api_key: REDACTED }],
      empty_token: '',
      when: new Date('2026-01-01T00:00:00Z'),
    });
    assert.equal(input.connectors.github.token, 'abc-unregistered');
  });
});

test('a URL inside JSON text followed by an escaped quote keeps the JSON valid', () => {
  const r = new Redactor();
  const json = JSON.stringify({ msg: 'see "https://x.example/a?token=abc123"' });
  const out = r.text(json);
  assert.deepEqual(JSON.parse(out), { msg: 'see "https://x.example/a?token=***"' });
});
