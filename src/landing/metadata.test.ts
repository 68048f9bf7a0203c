import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import { redactor } from '../shared/redact.ts';
import {
  buildMetadata,
  checkJson,
  firstInvalidUtf8Byte,
  type LandingMetadataInput,
  selectHeaders,
  sha256Hex,
} from './metadata.ts';

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
    assert.equal(meta.valid_json, true, 'a UTF-8 BOM is accepted');
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

describe('checkJson on real-world bytes', () => {
  test('accepts a UTF-8 BOM (the value is parsed; the bytes are never changed)', () => {
    const body = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"city":"São Paulo"}')]);
    assert.deepEqual(checkJson(body), { valid: true, value: { city: 'São Paulo' } });
    const meta = buildMetadata(key, body, 1, input());
    assert.equal(meta.valid_json, true);
    assert.equal(meta.bytes, body.byteLength, 'BOM included');
    assert.equal(meta.sha256, sha256Hex(body));
  });

  test('a latin-1 body is not valid JSON: not valid UTF-8 at byte N', () => {
    const body = Buffer.from('{"city":"S\xe3o Paulo"}', 'latin1');
    assert.deepEqual(checkJson(body), { valid: false, error: 'not valid UTF-8 at byte 10 (0xe3)' });
    const meta = buildMetadata(key, body, 1, input());
    assert.equal(meta.valid_json, false);
    assert.equal(meta.parse_error, 'not valid UTF-8 at byte 10 (0xe3)');
  });

  test('finds the first invalid UTF-8 byte: truncated, overlong, surrogate, out of range', () => {
    const at = (...bytes: number[]) => firstInvalidUtf8Byte(Uint8Array.from(bytes));
    assert.equal(at(0x61, 0xc3, 0xa3, 0x62), undefined, 'ã');
    assert.equal(at(0xf0, 0x9f, 0x98, 0x80), undefined, 'an emoji');
    assert.equal(at(0x61, 0xe2, 0x98), 1, 'truncated at the end');
    assert.equal(at(0xc0, 0xaf), 0, 'overlong /');
    assert.equal(at(0x61, 0xed, 0xa0, 0x80), 1, 'a UTF-16 surrogate');
    assert.equal(at(0xf4, 0x90, 0x80, 0x80), 0, 'above U+10FFFF');
    assert.equal(at(0x61, 0x80), 1, 'a lone continuation byte');
    const body = Buffer.from('["ok", "\u00e9t\u00e9"]  ');
    body[body.length - 1] = 0xff;
    assert.deepEqual(checkJson(body), {
      valid: false,
      error: `not valid UTF-8 at byte ${body.length - 1} (0xff)`,
    });
  });

  test('a truncated body is not valid JSON, with the parser message', () => {
    const bad = checkJson(Buffer.from('{"a":[1,2'));
    assert.equal(bad.valid, false);
    assert.match((bad as { error: string }).error, /JSON/);
  });

  test('never throws when the parser runs out of stack: says so with the nesting depth', () => {
    const parse = JSON.parse;
    JSON.parse = () => {
      throw new RangeError('Maximum call stack size exceeded');
    };
    try {
      assert.deepEqual(checkJson(Buffer.from('[[["]]]]"]]]')), {
        valid: false,
        error:
          'the JSON parser gave up (RangeError: Maximum call stack size exceeded); the document is nested 3 levels deep',
      });
    } finally {
      JSON.parse = parse;
    }
  });

  test('documents 100,000 and 1,000,000 levels deep do not crash the process (measured in a child process)', () => {
    // A child process, so a stack overflow or a segfault shows as an exit code or signal instead of killing the test runner.
    const script = `
      import { buildMetadata, checkJson } from ${JSON.stringify(new URL('./metadata.ts', import.meta.url).href)};
      const out = [];
      for (const depth of [100000, 1000000]) {
        for (const [open, close] of [['[', ']'], ['{"a":', '}']]) {
          const body = Buffer.from(open.repeat(depth) + (open === '[' ? '' : '1') + close.repeat(depth));
          const result = checkJson(body);
          const meta = buildMetadata('s/r/load_date=2026-01-01/x.json.gz', body, 1, {
            source: 's', resource: 'r', request: { method: 'GET', url: 'http://x/' },
            loadTs: new Date(0), connector: { name: 'c', version: '1' }, runId: 'r',
          });
          out.push([depth, open, result.valid, meta.valid_json, meta.parse_error ?? null]);
        }
      }
      console.log(JSON.stringify(out));
    `;
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: new URL('../../', import.meta.url).pathname,
      encoding: 'utf8',
      timeout: 120_000,
    });
    assert.equal(child.signal, null, `killed by ${child.signal}: ${child.stderr}`);
    assert.equal(child.status, 0, child.stderr);
    const results = JSON.parse(child.stdout.trim().split('\n').at(-1)!) as [
      number,
      string,
      boolean,
      boolean,
      string | null,
    ][];
    assert.equal(results.length, 4);
    for (const [depth, open, valid, validJson, parseError] of results) {
      assert.equal(valid, validJson, `${depth} ${open}`);
      // Either answer is allowed; a refusal must say what happened.
      if (!valid) assert.match(parseError ?? '', /nested \d+ levels deep|RangeError/);
    }
  });
});

test('no_data is written only when given, and the format stays version 1', () => {
  const empty = buildMetadata(
    key,
    Buffer.from('[{"page":0,"pages":0},null]'),
    1,
    input({ recordCount: 0, noData: 'World Bank: no data for this country, indicator and dates' }),
  );
  assert.equal(empty.no_data, 'World Bank: no data for this country, indicator and dates');
  assert.equal(empty.format_version, 1);
  assert.equal('no_data' in buildMetadata(key, Buffer.from('[]'), 1, input()), false);
});
