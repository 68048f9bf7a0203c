import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  formatJsonPath,
  getPath,
  isPathPrefix,
  JsonPathError,
  parseJsonPath,
  samePath,
} from './json-path.ts';

test('parseJsonPath reads every path form', () => {
  const cases: [string, unknown[], boolean][] = [
    ['$.features[*]', [{ key: 'features' }], true],
    ['features[*]', [{ key: 'features' }], true],
    ['$[1][*]', [{ index: 1 }], true],
    ['[1][*]', [{ index: 1 }], true],
    ['$.items', [{ key: 'items' }], false],
    ['properties.mag', [{ key: 'properties' }, { key: 'mag' }], false],
    ['geometry.coordinates[0]', [{ key: 'geometry' }, { key: 'coordinates' }, { index: 0 }], false],
    ['$["odd key"].x', [{ key: 'odd key' }, { key: 'x' }], false],
    ["$['odd key'].x", [{ key: 'odd key' }, { key: 'x' }], false],
    ['commit.author.name', [{ key: 'commit' }, { key: 'author' }, { key: 'name' }], false],
    ['$', [], false],
    ['$[*]', [], true],
    ['[*]', [], true],
    ['hourly.temperature_2m', [{ key: 'hourly' }, { key: 'temperature_2m' }], false],
    ['$["a\\"b"]["c.d"][12]', [{ key: 'a"b' }, { key: 'c.d' }, { index: 12 }], false],
    ['$["\\u00e9"]', [{ key: 'é' }], false],
    ['$.@id', [{ key: '@id' }], false],
    ['$.hourly-units', [{ key: 'hourly-units' }], false],
    ['$data', [{ key: '$data' }], false],
  ];
  for (const [text, segments, wildcard] of cases) {
    assert.deepEqual(parseJsonPath(text), { segments, wildcard }, text);
  }
});

test('parseJsonPath rejects bad paths, saying where and showing a valid one', () => {
  const bad: [string, RegExp][] = [
    ['', /empty/],
    ['$.', /key is missing/],
    ['$..x', /recursive descent/],
    ['$.features[*].id', /\[\*\] must be the last step/],
    ['$[*][*]', /\[\*\] must be the last step/],
    ['$.a[', /missing in \[ \]/],
    ['$.a[1', /expected "\]" after the index/],
    ['$.a[-1]', /negative/],
    ['$.a["x]', /not closed/],
    ['$.a["x"', /expected "\]" after the quoted key/],
    ['$.a.0', /use \[0\] for an array index/],
    ['$.a b', /unexpected " "/],
    ['$.*', /use \[\*\]/],
    ['$[1]x', /unexpected "x"/],
    ['$[x]', /unexpected "x" in \[ \]/],
  ];
  for (const [text, pattern] of bad) {
    assert.throws(
      () => parseJsonPath(text),
      (e: unknown) => {
        assert.ok(e instanceof JsonPathError, text);
        assert.match(e.message, pattern, text);
        assert.match(e.message, /at character \d+/, text);
        assert.match(e.message, /a valid path looks like \$\.features\[\*\]/, text);
        return true;
      },
      text,
    );
  }
  assert.throws(() => parseJsonPath('$.a[*].b'), /at character 7/);
});

test('formatJsonPath writes identifiers in dot form and quotes the rest', () => {
  assert.equal(formatJsonPath([]), '$');
  assert.equal(
    formatJsonPath([{ key: 'features' }, { index: 3 }, { key: 'properties' }, { key: 'odd key' }]),
    '$.features[3].properties["odd key"]',
  );
  assert.equal(formatJsonPath([{ key: 'a"b' }, { key: '2x' }, { key: '_ok$' }]), '$["a\\"b"]["2x"]._ok$');
  for (const text of [
    '$.features[3].properties["odd key"]',
    '$["a\\"b"]["c.d"][12]',
    '$[0].page',
    '$["1"]',
  ]) {
    assert.equal(formatJsonPath(parseJsonPath(text).segments), text);
  }
});

test('getPath walks a parsed value', () => {
  const doc = { a: { b: [10, { c: null }], 'odd key': 1 }, n: 0 };
  assert.deepEqual(getPath(doc, []), { found: true, value: doc });
  assert.deepEqual(getPath(doc, [{ key: 'a' }, { key: 'b' }, { index: 0 }]), { found: true, value: 10 });
  assert.deepEqual(getPath(doc, [{ key: 'a' }, { key: 'b' }, { index: 1 }, { key: 'c' }]), {
    found: true,
    value: null,
  });
  assert.deepEqual(getPath(doc, [{ key: 'a' }, { key: 'odd key' }]), { found: true, value: 1 });
  assert.deepEqual(getPath(doc, [{ key: 'n' }]), { found: true, value: 0 });
  // missing steps
  assert.deepEqual(getPath(doc, [{ key: 'x' }]), { found: false });
  assert.deepEqual(getPath(doc, [{ key: 'a' }, { key: 'b' }, { index: 2 }]), { found: false });
  assert.deepEqual(getPath(doc, [{ key: 'a' }, { key: 'b' }, { key: '0' }]), { found: false });
  assert.deepEqual(getPath(doc, [{ index: 0 }]), { found: false });
  assert.deepEqual(getPath(doc, [{ key: 'n' }, { key: 'x' }]), { found: false });
  assert.deepEqual(getPath(doc, [{ key: 'a' }, { key: 'b' }, { index: 1 }, { key: 'c' }, { key: 'd' }]), {
    found: false,
  });
  assert.deepEqual(getPath('text', [{ key: 'length' }]), { found: false });
  assert.deepEqual(getPath({}, [{ key: 'toString' }]), { found: false });
});

test('samePath and isPathPrefix compare segments', () => {
  const a = parseJsonPath('$.a[1].b').segments;
  assert.ok(samePath(a, parseJsonPath('a[1].b').segments));
  assert.ok(!samePath(a, parseJsonPath('$.a["1"].b').segments));
  assert.ok(isPathPrefix([], a));
  assert.ok(isPathPrefix(parseJsonPath('$.a[1]').segments, a));
  assert.ok(isPathPrefix(a, a));
  assert.ok(!isPathPrefix(parseJsonPath('$.a[2]').segments, a));
  assert.ok(!isPathPrefix(parseJsonPath('$.a[1].b.c').segments, a));
});
