import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fitIdentifier } from './identifiers.ts';

const postgres = { maxIdentifierLength: 63 };
const unlimited = { maxIdentifierLength: Number.POSITIVE_INFINITY };
const bytes = (name: string) => Buffer.byteLength(name);

describe('fitIdentifier', () => {
  test('a name that fits is kept as it is, whatever the limit', () => {
    assert.equal(fitIdentifier(postgres, 'stg_items', '__vl_tmp'), 'stg_items__vl_tmp');
    assert.equal(fitIdentifier(postgres, 'x'.repeat(55), '__vl_tmp'), `${'x'.repeat(55)}__vl_tmp`);
    const long = 'y'.repeat(200);
    assert.equal(fitIdentifier(unlimited, long, '__vl_old'), `${long}__vl_old`);
  });

  test('a longer one fits, keeps its start and its whole suffix, and stays distinct', () => {
    const base = `model_${'a'.repeat(60)}`;
    const building = fitIdentifier(postgres, base, '__vl_tmp');
    const old = fitIdentifier(postgres, base, '__vl_old');
    assert.equal(bytes(building), 63);
    assert.ok(building.startsWith('model_aaaa') && building.endsWith('__vl_tmp'), building);
    assert.notEqual(building, old);
    // Two names equal in their first 63 bytes (what PostgreSQL would keep) stay two names.
    const one = fitIdentifier(postgres, `__vl_src__${'m'.repeat(60)}__usgs__quakes`);
    const two = fitIdentifier(postgres, `__vl_src__${'m'.repeat(60)}__usgs__stations`);
    assert.notEqual(one, two);
    assert.ok(bytes(one) <= 63 && bytes(two) <= 63);
  });

  test('the limit is in bytes, and a character is never cut in half', () => {
    const fitted = fitIdentifier(postgres, 'ü'.repeat(40));
    assert.ok(bytes(fitted) <= 63, `${bytes(fitted)} bytes`);
    assert.match(fitted, /^ü+_[0-9a-f]{10}$/);
  });
});
