import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import { redactor } from '../shared/redact.ts';
import { buildMetadata, checkJson, type LandingMetadataInput, selectHeaders, sha256Hex } from './metadata.ts';

const key = 'github/issues/load_date=2026-11-22/20261122T101500123Z_0123456789abcdef.json.gz';

function input(overrides: Partial<LandingMetadataInput> = {}): LandingMetadataInput {
  return {
    source: 'github',
    resource: 'issues',
    request: { method: 'get', url: 'https://api.github.com/repos/o/r/issues?state=all&page=2' },
    response: { status: 200, headers: { 'Content-Type': 'application/json', ETag: '"abc"' } },
    loadTs: new Date('2026-11-22T10:15:00.123Z'),
    recordCount: 2,
    connector: { name: 'github', version: '1.2.3' },
    runId: 'run-000001',
    ...overrides,
  };
}

describe('buildMetadata', () => {
  test('hashes and measures the uncompressed body, byte for byte', () => {
    // Multi-byte UTF-8, a BOM and trailing whitespace: the sidecar describes the exact bytes, not a re-encoding.
    const body = Buffer.from('\uFEFF[{"title":"Zürich ☃"},{"title":"x"}]  \n', 'utf8');
    const meta = buildMetadata(key, body, 42, input());
    assert.equal(meta.sha256, createHash('sha256').update(body).digest('hex'));
    assert.equal(meta.sha256, sha256Hex(body));
    assert.equal(meta.bytes, body.byteLength);
    assert.notEqual(meta.bytes, body.toString('utf8').length);
    assert.equal(meta.compressed_bytes, 42);
  });

  test('fills in the documented fields', () => {
    const meta = buildMetadata(key, Buffer.from('[1,2]'), 10, input());
    assert.deepEqual(meta, {
      format_version: 1,
      key,
      source: 'github',
      resource: 'issues',
      request: { method: 'GET', url: 'https://api.github.com/repos/o/r/issues?state=all&page=2', params: {} },
      response: { status: 200, headers: { 'content-type': 'application/json', etag: '"abc"' } },
      load_ts: '2026-11-22T10:15:00.123Z',
      load_date: '2026-11-22',
      sha256: sha256Hex(Buffer.from('[1,2]')),
      bytes: 5,
      compressed_bytes: 10,
      record_count: 2,
      valid_json: true,
      connector: { name: 'github', version: '1.2.3' },
      run_id: 'run-000001',
    });
  });

  test('a body that is not JSON is kept and marked valid_json false with the parse error', () => {
    const meta = buildMetadata(
      key,
      Buffer.from('<html>rate limited</html>'),
      30,
      input({ recordCount: undefined }),
    );
    assert.equal(meta.valid_json, false);
    assert.match(meta.parse_error ?? '', /JSON/);
    assert.equal(meta.record_count, null);
    const valid = buildMetadata(key, Buffer.from('{}'), 10, input());
    assert.equal(valid.valid_json, true);
    assert.equal('parse_error' in valid, false);
  });

  test('an empty body is not valid JSON but is still described exactly', () => {
    const meta = buildMetadata(key, Buffer.alloc(0), 20, input());
    assert.equal(meta.valid_json, false);
    assert.equal(meta.bytes, 0);
    assert.equal(meta.sha256, 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  test('no response (a file landed by hand) gives response null', () => {
    assert.equal(buildMetadata(key, Buffer.from('[]'), 1, input({ response: null })).response, null);
    assert.equal(buildMetadata(key, Buffer.from('[]'), 1, input({ response: undefined })).response, null);
  });

  test('secret params, URL query values, URL passwords and headers are redacted', () => {
    redactor.addSecret('sk-live-registered-4242');
    const meta = buildMetadata(
      key,
      Buffer.from('[]'),
      1,
      input({
        request: {
          method: 'GET',
          url: 'https://user:hunter22@api.example.com/v1/items?api_key=k-123456&page=3&q=sk-live-registered-4242',
          params: {
            access_token: 'tok-abcdef',
            page: '3',
            since: '2026-01-01',
            note: 'sk-live-registered-4242',
          },
        },
        response: {
          status: 200,
          headers: {
            'Set-Cookie': 'session=s-99999',
            Authorization: 'Bearer tok-abcdef',
            'Content-Type': 'application/json',
            Link: '<https://api.example.com/v1/items?page=4&api_key=k-123456>; rel="next"',
          },
        },
      }),
    );
    const text = JSON.stringify(meta);
    for (const secret of ['hunter22', 'k-123456', 'tok-abcdef', 's-99999', 'sk-live-registered-4242']) {
      assert.ok(!text.includes(secret), `${secret} leaked into ${text}`);
    }
    assert.equal(meta.request.params.access_token, '***');
    assert.equal(meta.request.params.page, '3');
    assert.equal(meta.request.params.since, '2026-01-01');
    assert.equal(meta.request.params.note, '***');
    const url = new URL(meta.request.url);
    assert.equal(url.searchParams.get('page'), '3');
    assert.equal(url.searchParams.get('api_key'), '***');
    assert.equal(url.password, '***');
    assert.equal(url.username, 'user');
  });

  test('keeps only the selected response headers, with lowercase names', () => {
    const meta = buildMetadata(
      key,
      Buffer.from('[]'),
      1,
      input({
        response: {
          status: 200,
          headers: {
            'Content-Type': 'application/json',
            'X-RateLimit-Remaining': '4999',
            'X-Internal-Trace': 'abc',
            Server: 'nginx',
            'Set-Cookie': 'a=b',
          },
        },
      }),
    );
    assert.deepEqual(meta.response, {
      status: 200,
      headers: { 'content-type': 'application/json', 'x-ratelimit-remaining': '4999' },
    });
  });
});

test('selectHeaders drops cookies and auth even though they are common', () => {
  assert.deepEqual(selectHeaders({ cookie: 'a', authorization: 'b', 'www-authenticate': 'c', etag: 'e' }), {
    etag: 'e',
  });
});

test('checkJson parses JSON and reports why not', () => {
  assert.deepEqual(checkJson(Buffer.from('{"a":[1]}')), { valid: true, value: { a: [1] } });
  const bad = checkJson(Buffer.from('{"a":'));
  assert.equal(bad.valid, false);
});
