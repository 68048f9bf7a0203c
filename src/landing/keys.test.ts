import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  assertKeyPart,
  compactLoadTs,
  isBodyKey,
  isMetaKey,
  landingKey,
  metaKeyFor,
  parseCompactLoadTs,
  parseLandingKey,
  requestHash,
} from './keys.ts';

const loadTs = new Date('2026-11-22T10:15:00.123Z');
const request = {
  method: 'GET',
  url: 'https://api.example.com/v1/items',
  params: { page: '2', limit: '100' },
};

describe('landingKey', () => {
  test('follows <source>/<resource>/load_date=YYYY-MM-DD/<load_ts>_<request-hash>.json.gz', () => {
    const key = landingKey({ source: 'usgs', resource: 'earthquakes', loadTs, request });
    assert.match(
      key,
      /^usgs\/earthquakes\/load_date=2026-11-22\/20261122T101500123Z_[0-9a-f]{16}\.json\.gz$/,
    );
    assert.equal(
      key,
      `usgs/earthquakes/load_date=2026-11-22/20261122T101500123Z_${requestHash(request)}.json.gz`,
    );
  });

  test('load_date is the UTC date, also just before midnight UTC', () => {
    const late = new Date('2026-11-22T23:59:59.999Z');
    assert.match(
      landingKey({ source: 'a', resource: 'b', loadTs: late, request }),
      /load_date=2026-11-22\/20261122T235959999Z_/,
    );
  });

  test('is pure: same inputs, same key; another instant or request, another key', () => {
    const base = { source: 'usgs', resource: 'earthquakes', loadTs, request };
    assert.equal(landingKey(base), landingKey({ ...base, request: { ...request } }));
    assert.notEqual(landingKey(base), landingKey({ ...base, loadTs: new Date(loadTs.getTime() + 1) }));
    assert.notEqual(
      landingKey(base),
      landingKey({ ...base, request: { ...request, params: { page: '3', limit: '100' } } }),
    );
  });

  test('rejects invalid source and resource names', () => {
    for (const bad of ['', 'Upper', 'with space', 'a/b', '../x', '-lead', '_lead', 'ünï']) {
      assert.throws(() => landingKey({ source: bad, resource: 'r', loadTs, request }), /invalid source/, bad);
      assert.throws(
        () => landingKey({ source: 's', resource: bad, loadTs, request }),
        /invalid resource/,
        bad,
      );
    }
    assert.doesNotThrow(() => assertKeyPart('source', 'world_bank-2'));
  });
});

describe('requestHash', () => {
  test('is 16 hex characters and ignores param order and method case', () => {
    const a = requestHash({ method: 'get', url: 'https://x/y', params: { b: '2', a: '1' } });
    const b = requestHash({ method: 'GET', url: 'https://x/y', params: { a: '1', b: '2' } });
    assert.match(a, /^[0-9a-f]{16}$/);
    assert.equal(a, b);
  });

  test('differs for a different URL, method or param value', () => {
    const base = requestHash({ method: 'GET', url: 'https://x/y', params: { a: '1' } });
    assert.notEqual(base, requestHash({ method: 'POST', url: 'https://x/y', params: { a: '1' } }));
    assert.notEqual(base, requestHash({ method: 'GET', url: 'https://x/z', params: { a: '1' } }));
    assert.notEqual(base, requestHash({ method: 'GET', url: 'https://x/y', params: { a: '2' } }));
  });
});

describe('compact load timestamps', () => {
  test('format is YYYYMMDDTHHMMSSmmmZ and round-trips', () => {
    assert.equal(compactLoadTs(loadTs), '20261122T101500123Z');
    for (const iso of ['2026-11-22T10:15:00.123Z', '2000-01-01T00:00:00.000Z', '2026-02-28T23:59:59.999Z']) {
      const date = new Date(iso);
      assert.equal(parseCompactLoadTs(compactLoadTs(date)).toISOString(), iso);
    }
  });

  test('sorts as time sorts', () => {
    const times = [0, 1, 999, 1000, 59_999, 86_400_000].map((ms) => new Date(loadTs.getTime() + ms));
    const compact = times.map(compactLoadTs);
    assert.deepEqual([...compact].sort(), compact);
  });

  test('rejects malformed and impossible timestamps', () => {
    for (const bad of [
      '2026-11-22T10:15:00.123Z',
      '20261122T101500Z',
      '20261122T1015001234Z',
      '20261322T101500123Z',
      '20260230T101500123Z',
      '20261122T251500123Z',
      '',
    ]) {
      assert.throws(() => parseCompactLoadTs(bad), /not a compact load timestamp/, bad);
    }
  });
});

describe('parseLandingKey', () => {
  test('parses what landingKey builds', () => {
    const key = landingKey({ source: 'usgs', resource: 'earthquakes', loadTs, request });
    assert.deepEqual(parseLandingKey(key), {
      source: 'usgs',
      resource: 'earthquakes',
      loadDate: '2026-11-22',
      loadTs,
      requestHash: requestHash(request),
    });
  });

  test('returns undefined for anything else', () => {
    const good = 'usgs/earthquakes/load_date=2026-11-22/20261122T101500123Z_0123456789abcdef.json.gz';
    assert.ok(parseLandingKey(good));
    for (const bad of [
      `${good}.meta.json`,
      good.replace('.json.gz', '.json'),
      good.replace('usgs/', ''),
      good.replace('0123456789abcdef', '0123456789ABCDEF'),
      good.replace('0123456789abcdef', '0123'),
      good.replace('load_date=', 'date='),
      // load_date must be the date of load_ts
      good.replace('load_date=2026-11-22', 'load_date=2026-11-21'),
      // impossible month in the timestamp
      'usgs/earthquakes/load_date=2026-13-22/20261322T101500123Z_0123456789abcdef.json.gz',
      `_state/${good}`,
      '',
    ]) {
      assert.equal(parseLandingKey(bad), undefined, bad);
    }
  });
});

test('sidecar keys sit beside their body', () => {
  const key = 'a/b/load_date=2026-11-22/20261122T101500123Z_0123456789abcdef.json.gz';
  assert.equal(metaKeyFor(key), `${key}.meta.json`);
  assert.ok(isBodyKey(key));
  assert.ok(!isMetaKey(key));
  assert.ok(isMetaKey(metaKeyFor(key)));
  assert.ok(!isBodyKey(metaKeyFor(key)));
});
