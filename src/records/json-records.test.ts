import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UsageError } from '../shared/errors.ts';
import { type PathSegment, parseJsonPath } from './json-path.ts';
import {
  type ParsedRecord,
  PayloadReadError,
  RecordsReader,
  type RecordsReaderOptions,
  readAllRecords,
} from './json-records.ts';
import { isLossyNumberText, isRawNumber, numberFromJsonText, RawNumber, toJsonText } from './raw-number.ts';

const path = (text: string): PathSegment[] => parseJsonPath(text).segments;

function read(body: string | Uint8Array, options?: RecordsReaderOptions) {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  const { records, reader } = readAllRecords(bytes, options);
  return { records, reader, values: records.map((r) => r.value), state: reader.containerState };
}

/** Feeds `body` in pieces of the given sizes (cycled). */
function readChunked(body: Uint8Array, sizes: number[], options?: RecordsReaderOptions) {
  const reader = new RecordsReader(options);
  const records: ParsedRecord[] = [];
  let o = 0;
  let k = 0;
  while (o < body.length) {
    const size = sizes[k++ % sizes.length]!;
    records.push(...reader.push(body.subarray(o, o + size)));
    o += size;
  }
  records.push(...reader.end());
  return { records, reader };
}

function readError(body: string | Uint8Array, options?: RecordsReaderOptions): PayloadReadError {
  try {
    read(body, options);
  } catch (e) {
    assert.ok(e instanceof PayloadReadError, `expected a PayloadReadError, got ${String(e)}`);
    return e;
  }
  assert.fail('expected the body to be rejected');
}

/** RawNumber → its text, so that values compare with deepEqual against hand-written expectations. */
function plain(value: unknown): unknown {
  return JSON.parse(toJsonText(value), (_k, v) => v);
}

// ---------------------------------------------------------------------------------------------------------
// records paths and container states

test('records at $.features: one per element, with their exact text and index', () => {
  const body =
    '{"type":"FeatureCollection","metadata":{"count":2},"features":[ {"id":"a", "n": [1, 2]} ,\n{"id":"b"}],"bbox":[1,2]}';
  const { records, state } = read(body, { container: path('$.features') });
  assert.equal(state, 'array');
  assert.deepEqual(records, [
    { index: 0, text: '{"id":"a", "n": [1, 2]}', value: { id: 'a', n: [1, 2] } },
    { index: 1, text: '{"id":"b"}', value: { id: 'b' } },
  ]);
});

test('records at $[1] (World Bank: [page info, rows])', () => {
  const body =
    '[{"page":1,"pages":1,"per_page":50,"total":2},[{"country":"NL","value":1.5},{"country":"DE","value":null}]]';
  const { values, state, reader } = read(body, {
    container: path('$[1]'),
    documentPaths: [path('$[0].page'), path('$[0].total'), path('$[0]')],
  });
  assert.equal(state, 'array');
  assert.deepEqual(values, [
    { country: 'NL', value: 1.5 },
    { country: 'DE', value: null },
  ]);
  assert.deepEqual(reader.documentValues(), [1, 2, { page: 1, pages: 1, per_page: 50, total: 2 }]);
});

test('no records path: a top-level array gives its elements, any other value is the one record', () => {
  let r = read('[{"a":1}, 2, "x", null, [true]]');
  assert.equal(r.state, 'array');
  assert.deepEqual(r.values, [{ a: 1 }, 2, 'x', null, [true]]);
  assert.deepEqual(
    r.records.map((x) => x.index),
    [0, 1, 2, 3, 4],
  );
  r = read(' {"a":{"b":[1]}} \n');
  assert.equal(r.state, 'not_array');
  assert.deepEqual(r.records, [{ index: 0, text: '{"a":{"b":[1]}}', value: { a: { b: [1] } } }]);
  for (const [body, value] of [
    ['"just text"', 'just text'],
    ['42', 42],
    ['-1.5e3', new RawNumber('-1.5e3')],
    ['null', null],
    ['true', true],
  ] as const) {
    r = read(body);
    assert.equal(r.state, 'not_array', body);
    assert.deepEqual(r.records, [{ index: 0, text: body, value }], body);
  }
  assert.deepEqual(read('[]').values, []);
});

test("layout 'document': the whole document is the one record, also a top-level array", () => {
  const r = read('[{"a":1},{"a":2}]', { layout: 'document', documentPaths: [path('$[1].a')] });
  assert.equal(r.state, 'not_array');
  assert.deepEqual(r.records, [{ index: 0, text: '[{"a":1},{"a":2}]', value: [{ a: 1 }, { a: 2 }] }]);
  assert.deepEqual(r.reader.documentValues(), [2]);
  assert.deepEqual(read('"x"', { layout: 'document' }).values, ['x']);
  assert.throws(() => new RecordsReader({ layout: 'document', container: path('$.a') }), UsageError);
});

test('containerState: array, null, missing, not_array', () => {
  // World Bank's answer when there is nothing: the rows are null.
  const empty = read(
    '[{"page":0,"pages":0,"per_page":50,"total":0,"sourceid":null,"lastupdated":null},null]',
    {
      container: path('$[1]'),
      documentPaths: [path('$[0].total')],
    },
  );
  assert.equal(empty.state, 'null');
  assert.deepEqual(empty.records, []);
  assert.deepEqual(empty.reader.documentValues(), [0]);
  // World Bank's error body: no second element at all.
  const error = read(
    '[{"message":[{"id":"120","key":"Invalid value","value":"The provided parameter value is not valid"}]}]',
    { container: path('$[1]') },
  );
  assert.equal(error.state, 'missing');
  assert.deepEqual(error.records, []);
  assert.equal(read('{"items":[]}', { container: path('$.items') }).state, 'array');
  assert.equal(read('{"other":[1]}', { container: path('$.items') }).state, 'missing');
  assert.equal(read('[1,2]', { container: path('$.items') }).state, 'missing');
  assert.equal(read('{"items":{"a":[1]}}', { container: path('$.items') }).state, 'not_array');
  assert.equal(read('{"items":"none"}', { container: path('$.items') }).state, 'not_array');
  assert.equal(read('{"items":0}', { container: path('$.items') }).state, 'not_array');
  assert.equal(read('{"items":null}', { container: path('$.items') }).state, 'null');
  assert.equal(read('{"data":{"items":[1]}}', { container: path('$.data.items') }).state, 'array');
  // a not_array container yields no records
  assert.deepEqual(read('{"items":{"a":[1]}}', { container: path('$.items') }).records, []);
});

test('the first occurrence of a duplicated container key is the one read', () => {
  const { values } = read('{"items":[1,2],"items":[3]}', { container: path('$.items') });
  assert.deepEqual(values, [1, 2]);
  assert.equal(read('{"items":null,"items":[3]}', { container: path('$.items') }).state, 'null');
});

test('keys with escapes are decoded: "fe\\u0061tures" is features', () => {
  const { values, state } = read('{"fe\\u0061tures":[{"a":1}],"x\\"y":1}', { container: path('$.features') });
  assert.equal(state, 'array');
  assert.deepEqual(values, [{ a: 1 }]);
  assert.deepEqual(read('{"odd key":[1]}', { container: path('$["odd key"]') }).values, [1]);
  assert.deepEqual(read('{"a\\\\":[1]}', { container: [{ key: 'a\\' }] }).values, [1]);
});

test('strings with escaped quotes and backslashes do not end early, in the envelope and in records', () => {
  const body =
    '{"note":"a\\\\","n2":"\\\\\\"","n3":"]}[{","features":["a\\\\",{"s":"\\\\\\"","t":"}]\\"]"},"\\"",["\\\\"]],"after":"\\\\"}';
  const expected = JSON.parse(body) as { features: unknown[]; after: string };
  const { values, reader } = read(body, { container: path('$.features'), documentPaths: [path('$.after')] });
  assert.deepEqual(values, expected.features);
  assert.deepEqual(reader.documentValues(), ['\\']);
});

// ---------------------------------------------------------------------------------------------------------
// document paths

test('document paths are captured before and after the container, and inside captured values', () => {
  const body = JSON.stringify({
    type: 'FeatureCollection',
    metadata: { generated: 1700000000000, count: 2, title: 'USGS' },
    features: [{ id: 'a' }, { id: 'b' }],
    bbox: [-180, -90, 0, 180, 90, 10],
    nothing: null,
  });
  const { values, reader } = read(body, {
    container: path('$.features'),
    documentPaths: [
      path('$.type'),
      path('$.metadata.count'),
      path('$.metadata'),
      path('$.bbox'),
      path('$.bbox[2]'),
      path('$.nothing'),
      path('$.absent'),
      path('$.features[1].id'),
      path('$.metadata.title.x'),
    ],
  });
  assert.deepEqual(values, [{ id: 'a' }, { id: 'b' }]);
  assert.deepEqual(reader.documentValues(), [
    'FeatureCollection',
    2,
    { generated: 1700000000000, count: 2, title: 'USGS' },
    [-180, -90, 0, 180, 90, 10],
    0,
    null,
    undefined,
    'b',
    undefined,
  ]);
});

test('document paths with no container: read from the document that is the record', () => {
  const { reader, records } = read('{"latitude":52.5,"daily":{"x":[1]}}', {
    documentPaths: [path('$.latitude'), path('$.daily.x[0]')],
  });
  assert.equal(records.length, 1);
  assert.deepEqual(reader.documentValues(), [52.5, 1]);
  const arrays = read('[{"page":3},{"a":1}]', { documentPaths: [path('$[0].page')] });
  assert.deepEqual(arrays.reader.documentValues(), [3]);
});

test('a document path that is or holds the container is refused', () => {
  assert.throws(
    () => new RecordsReader({ container: path('$.data.items'), documentPaths: [path('$.data')] }),
    (e: unknown) => e instanceof UsageError && /holds the records container/.test(e.message),
  );
  assert.throws(
    () => new RecordsReader({ container: path('$.items'), documentPaths: [path('$.items')] }),
    UsageError,
  );
  assert.throws(() => new RecordsReader({ documentPaths: [[]] }), UsageError);
  assert.throws(() => new RecordsReader({ maxDepth: 0 }), UsageError);
});

// ---------------------------------------------------------------------------------------------------------
// columns layout

test('columns layout: Open-Meteo hourly arrays become one record per index', () => {
  const body = JSON.stringify({
    latitude: 52.52,
    longitude: 13.419998,
    hourly_units: { time: 'iso8601', temperature_2m: '°C' },
    hourly: {
      time: ['2024-01-01T00:00', '2024-01-01T01:00', '2024-01-01T02:00'],
      temperature_2m: [1.2, 0.9],
      source: 'dwd',
    },
  });
  const { records, state, reader } = read(body, {
    container: path('$.hourly'),
    layout: 'columns',
    documentPaths: [path('$.latitude'), path('$.hourly_units'), path('$.hourly.temperature_2m[1]')],
  });
  assert.equal(state, 'array');
  assert.deepEqual(records, [
    {
      index: 0,
      text: '{"time":"2024-01-01T00:00","temperature_2m":1.2,"source":"dwd"}',
      value: { time: '2024-01-01T00:00', temperature_2m: 1.2, source: 'dwd' },
    },
    {
      index: 1,
      text: '{"time":"2024-01-01T01:00","temperature_2m":0.9,"source":"dwd"}',
      value: { time: '2024-01-01T01:00', temperature_2m: 0.9, source: 'dwd' },
    },
    {
      index: 2,
      text: '{"time":"2024-01-01T02:00","temperature_2m":null,"source":"dwd"}',
      value: { time: '2024-01-01T02:00', temperature_2m: null, source: 'dwd' },
    },
  ]);
  assert.deepEqual(reader.documentValues(), [52.52, { time: 'iso8601', temperature_2m: '°C' }, 0.9]);
  assert.equal(reader.recordCount, 3);
});

test('columns layout: raw numbers keep their text, missing / null / non-object containers', () => {
  const { records } = read('{"h":{"id":[12345678901234567890,1],"x":[1e400]}}', {
    container: path('$.h'),
    layout: 'columns',
  });
  assert.deepEqual(
    records.map((r) => r.text),
    ['{"id":12345678901234567890,"x":1e400}', '{"id":1,"x":null}'],
  );
  const columns = (body: string) => read(body, { container: path('$.h'), layout: 'columns' });
  assert.equal(columns('{"h":null}').state, 'null');
  assert.equal(columns('{"x":{}}').state, 'missing');
  assert.equal(columns('{"h":[1,2]}').state, 'not_array');
  assert.deepEqual(columns('{"h":{"a":1}}').records, []);
  assert.deepEqual(columns('{"h":{}}').records, []);
});

// ---------------------------------------------------------------------------------------------------------
// numbers JSON.parse would lose

test('RawNumber: numbers a JS number cannot hold exactly keep their text', () => {
  const body =
    '{"items":[{"id":12345678901234567890,"big":1e400,"tiny":1e-400,"small":-0.000000000000000000001,"pi":3.141592653589793238,"ok":123456789012345,"f":0.5,"neg":-7,"e":2.5E+3,"s":"12345678901234567890"},12345678901234567890,[9007199254740993]]}';
  const { records } = read(body, { container: path('$.items') });
  const first = records[0]!.value as Record<string, unknown>;
  assert.deepEqual(first.id, new RawNumber('12345678901234567890'));
  assert.deepEqual(first.big, new RawNumber('1e400'));
  assert.deepEqual(first.tiny, new RawNumber('1e-400'));
  assert.deepEqual(first.pi, new RawNumber('3.141592653589793238'));
  assert.deepEqual(first.e, new RawNumber('2.5E+3'));
  // one significant digit, no exponent: a double holds -1e-21 exactly enough to write it back the same
  assert.equal(first.small, -1e-21);
  assert.equal(first.ok, 123456789012345);
  assert.equal(first.f, 0.5);
  assert.equal(first.neg, -7);
  assert.equal(first.s, '12345678901234567890');
  assert.ok(isRawNumber(first.id));
  assert.equal(records[0]!.text, body.slice('{"items":['.length, body.indexOf('},') + 1));
  assert.deepEqual(records[1]!.value, new RawNumber('12345678901234567890'));
  assert.deepEqual(records[2]!.value, [new RawNumber('9007199254740993')]);
  // toJsonText writes raw numbers back as they were (the plain number -1e-21 in its JS form)
  assert.equal(toJsonText(records[0]!.value), records[0]!.text.replace('-0.000000000000000000001', '-1e-21'));
});

test('RawNumber helpers: which texts are lossy, toJsonText, toJSON', () => {
  for (const text of [
    '12345678901234567890',
    '1e400',
    '1e-400',
    '3.141592653589793238',
    '1e5',
    '0.1000000000000000',
    `0.${'0'.repeat(400)}1`,
  ]) {
    assert.ok(isLossyNumberText(text), text);
  }
  for (const text of [
    '0',
    '-0',
    '123456789012345',
    '-0.000000000000000000001',
    '0.1',
    '-117.5986667',
    '1700000000000',
  ]) {
    assert.ok(!isLossyNumberText(text), text);
  }
  assert.equal(numberFromJsonText('1.5'), 1.5);
  assert.deepEqual(numberFromJsonText('1E400'), new RawNumber('1E400'));
  const value = {
    a: new RawNumber('12345678901234567890'),
    b: [new RawNumber('1e400'), 1, 'x'],
    c: { d: new RawNumber('-1.0e-3') },
  };
  assert.equal(toJsonText(value), '{"a":12345678901234567890,"b":[1e400,1,"x"],"c":{"d":-1.0e-3}}');
  assert.equal(toJsonText(new RawNumber('1e400')), '1e400');
  assert.equal(toJsonText({ plain: 'text "quoted"' }), '{"plain":"text \\"quoted\\""}');
  // a plain JSON.stringify never rounds it: it writes the text as a string
  assert.equal(JSON.stringify(value.a), '"12345678901234567890"');
  assert.equal(String(value.a), '12345678901234567890');
  assert.equal(new RawNumber('1e400').toNumber(), Number.POSITIVE_INFINITY);
});

test('a raw number where a key must be is malformed (not smuggled in as a key string)', () => {
  const e = readError('[{"a":{1e400:2}}]');
  assert.equal(e.code, 'malformed');
  assert.equal(e.path, '$[0].a');
  const bad = readError('[{"a":01234567890123456789}]');
  assert.equal(bad.code, 'malformed');
  assert.match(bad.reason, /leading zero/);
});

// ---------------------------------------------------------------------------------------------------------
// depth

test('too_deep: a 100,000- and a 1,000,000-deep body stop at maxDepth without a stack overflow', () => {
  for (const n of [100_000, 1_000_000]) {
    for (const [open, close] of [
      ['[', ']'],
      ['{"a":', '}'],
    ] as const) {
      const body = Buffer.from(open.repeat(n) + (open === '[' ? '' : '1') + close.repeat(n));
      for (const options of [{}, { maxDepth: 10 }, { container: path('$.a'), maxDepth: 10 }]) {
        const maxDepth = options.maxDepth ?? 256;
        const e = readError(body, options);
        assert.equal(e.code, 'too_deep');
        assert.match(e.reason, new RegExp(`maxDepth ${maxDepth} \\(depth ${maxDepth + 1} here\\)`));
        const step = open === '[' ? '[0]' : '.a';
        assert.equal(e.path, `$${step.repeat(maxDepth)}`);
        assert.equal(e.offset, open.length * maxDepth);
        assert.ok(e.message.length < 300);
      }
    }
  }
});

test('depth: maxDepth levels are allowed, one more is not', () => {
  assert.deepEqual(read(`${'['.repeat(10)}${']'.repeat(10)}`, { maxDepth: 10 }).values, [
    JSON.parse(`${'['.repeat(9)}${']'.repeat(9)}`),
  ]);
  assert.equal(readError(`{"x":${'['.repeat(10)}${']'.repeat(10)}}`, { maxDepth: 10 }).code, 'too_deep');
  // in the envelope (outside any record) too
  const e = readError(`{"x":${'['.repeat(10)}${']'.repeat(10)},"items":[]}`, {
    container: path('$.items'),
    maxDepth: 10,
  });
  assert.equal(e.code, 'too_deep');
  assert.equal(e.path, `$.x${'[0]'.repeat(9)}`);
  // inside a record, the path goes down to where it happened
  const inRecord = readError('{"items":[{"a":[[[1]]]}]}', { container: path('$.items'), maxDepth: 4 });
  assert.equal(inRecord.code, 'too_deep');
  assert.equal(inRecord.path, '$.items[0].a[0]');
});

// ---------------------------------------------------------------------------------------------------------
// bytes: BOM, UTF-8

test('a UTF-8 BOM at the start is skipped, also when split across chunks', () => {
  const body = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('[{"a":"é"}]')]);
  assert.deepEqual(read(body).values, [{ a: 'é' }]);
  for (const size of [1, 2, 4])
    assert.deepEqual(
      readChunked(body, [size]).records.map((r) => r.value),
      [{ a: 'é' }],
    );
  assert.equal(readError(Buffer.from([0xef, 0xbb, 0xbf])).reason, 'the body is empty (no JSON value)');
  assert.equal(readError(Buffer.from([0xef, 0xbb, 0x5b])).code, 'not_utf8');
  // a BOM later on is not skipped
  assert.equal(readError(Buffer.from('[1,\ufeff2]')).code, 'malformed');
});

test('invalid UTF-8 is not_utf8 with its byte offset, in records and in the envelope', () => {
  const latin1 = Buffer.from('{"place":"S\xe3o Paulo"}', 'latin1');
  for (const options of [{}, { container: path('$.x') }]) {
    const e = readError(latin1, options);
    assert.equal(e.code, 'not_utf8');
    assert.equal(e.offset, 11);
    assert.equal(e.path, '$.place');
  }
  const inRecord = readError(Buffer.from('{"features":[{"ok":"e"},{"place":"S\xe3o"}]}', 'latin1'), {
    container: path('$.features'),
  });
  assert.equal(inRecord.code, 'not_utf8');
  assert.equal(inRecord.path, '$.features[1].place');
  const inKey = readError(Buffer.from('{"S\xe3o":[1]}', 'latin1'), { container: path('$.x') });
  assert.equal(inKey.code, 'not_utf8');
  assert.equal(inKey.offset, 3);
  for (const bad of [
    [0xc0, 0x80], // overlong
    [0xed, 0xa0, 0x80], // a surrogate
    [0xf4, 0x90, 0x80, 0x80], // beyond U+10FFFF
    [0xe2, 0x82], // cut short
    [0xff],
  ]) {
    const body = Buffer.concat([Buffer.from('{"k":["'), Buffer.from(bad), Buffer.from('"]}')]);
    assert.equal(readError(body).code, 'not_utf8', bad.join(' '));
    assert.equal(readError(body, { container: path('$.x') }).code, 'not_utf8', bad.join(' '));
    assert.equal(readError(body, { container: path('$.x') }).offset, 7, bad.join(' '));
  }
  // valid 2-, 3- and 4-byte characters pass
  assert.deepEqual(read('{"x":["é€😀"]}', { container: path('$.y') }).state, 'missing');
  assert.deepEqual(read('[{"s":"é€😀"}]').values, [{ s: 'é€😀' }]);
});

// ---------------------------------------------------------------------------------------------------------
// malformed bodies

test('malformed envelopes: path, offset and what is wrong', () => {
  const cases: [string, string, RegExp, number?][] = [
    ['{"items":[1,2]', '$.items', /unexpected end of the body: expected ',' or '}'/],
    ['{"items":[1,2]}}', '$', /trailing data/, 15],
    ['{"items":[1,2]} x', '$', /trailing data/, 16],
    ['{"items":[1,2]}{}', '$', /trailing data/],
    ['[1,2] [3]', '$', /trailing data/],
    ['{"a" 1,"items":[]}', '$.a', /expected ':'/, 5],
    ['{"a":1 "items":[]}', '$.a', /expected ',' or '}'/, 7],
    ['{"a":[1 2],"items":[]}', '$.a[0]', /expected ',' or '\]'/],
    ['{"a":tru,"items":[]}', '$.a', /expected the literal true/],
    ['{"a":nul}', '$.a', /literal null/],
    ['{"a":[1,],"items":[]}', '$.a[1]', /expected a value/],
    ['{"a":1,}', '$', /expected a key/],
    ['{,}', '$', /expected a key or '}'/],
    ['{"a":]', '$.a', /expected a value/],
    ['{"a":[}', '$.a[0]', /expected a value or '\]'/],
    ['{"a":"x\\q"}', '$.a', /invalid escape/],
    ['{"a":"\\u12g4"}', '$.a', /invalid \\u escape/],
    ['{"a":"tab\there"}', '$.a', /control character/],
    ['{"a":01}', '$.a', /leading zero/],
    ['{"a":1.}', '$.a', /expected a digit/],
    ['{"a":-}', '$.a', /expected a digit/],
    ['{"a":1e}', '$.a', /expected a digit/],
    ['{"a":"open', '$.a', /string is not closed/],
    ['{"a":12', '$.a', /expected ',' or '}'/],
    ["{'a':1}", '$', /expected a key or '}'/],
  ];
  for (const [body, where, reason, offset] of cases) {
    for (const options of [{ container: path('$.items') }, { container: path('$.zzz') }]) {
      const e = readError(body, options);
      assert.equal(e.code, 'malformed', body);
      assert.equal(e.path, where, body);
      assert.match(e.reason, reason, body);
      if (offset !== undefined) assert.equal(e.offset, offset, body);
      assert.ok(e.message.includes(e.path) && e.message.includes(`byte ${e.offset}`), e.message);
    }
  }
});

test('malformed records: the path of the record (and inside it), and a short reason', () => {
  const records = Array.from({ length: 12 }, (_, i) => `{"id":${i}}`);
  const at12 = (bad: string) => `{"features":[${[...records, bad].join(',')}]}`;
  const cases: [string, string, RegExp][] = [
    ['{"id":12,}', '$.features[12]', /expected a key/],
    ['{"id" 12}', '$.features[12].id', /expected ':'/],
    ['{"id":[1}', '$.features[12].id[0]', /expected ',' or '\]'/],
    ['{"id":tru}', '$.features[12].id', /literal true/],
    ['{"id":"a\\x"}', '$.features[12].id', /invalid escape/],
    ['{"id":1 2}', '$.features[12].id', /expected ',' or '}'/],
    ['{"id":+1}', '$.features[12].id', /unexpected '\+'/],
    ['[1,,2]', '$.features[12][1]', /expected a value/],
    ['{"id":"a\nb"}', '$.features[12].id', /control character/],
  ];
  for (const [bad, where, reason] of cases) {
    const e = readError(at12(bad), { container: path('$.features') });
    assert.equal(e.code, 'malformed', bad);
    assert.equal(e.path, where, bad);
    assert.match(e.reason, reason, bad);
  }
  // the records before the bad one were already returned by push
  const reader = new RecordsReader({ container: path('$.features') });
  const body = Buffer.from(at12('{"id":12,}'));
  const cut = body.indexOf('{"id":12,');
  assert.equal(reader.push(body.subarray(0, cut)).length, 12);
  assert.throws(() => reader.push(body.subarray(cut)), PayloadReadError);
  assert.throws(() => reader.end(), PayloadReadError, 'a reader that has thrown keeps throwing');
});

test('empty, blank and incomplete bodies', () => {
  assert.match(readError('').reason, /empty/);
  assert.match(readError(' \n\t ').reason, /empty/);
  assert.match(readError('', { container: path('$.items') }).reason, /empty/);
  const cut = readError('{"items":[{"a":1},{"a":', { container: path('$.items') });
  assert.equal(cut.path, '$.items[1]');
  assert.match(cut.reason, /ends inside/);
  assert.match(readError('[1,2').reason, /unexpected end/);
  assert.match(readError('-').reason, /ends inside a number/);
  assert.match(readError('{"items":[1]', { container: path('$.items') }).reason, /unexpected end/);
  assert.match(readError('{"items":[1]').reason, /ends inside/);
  const reader = new RecordsReader();
  reader.push(Buffer.from('[]'));
  reader.end();
  assert.throws(() => reader.push(Buffer.from(' ')), /end\(\) was already called/);
});

// ---------------------------------------------------------------------------------------------------------
// chunking

const DOCUMENTS: { name: string; body: string; options: RecordsReaderOptions }[] = [
  {
    name: 'GeoJSON with multi-byte characters and escapes',
    body: JSON.stringify({
      type: 'FeatureCollection',
      metadata: { title: 'Séismes — “quoted” \\ 😀', count: 3 },
      features: [
        {
          type: 'Feature',
          properties: { mag: 1.25, place: '5 km de São Tomé', time: 1700000000000, tz: null, ok: true },
          geometry: { type: 'Point', coordinates: [-117.5986667, 33.8, -0.5] },
          id: 'ci1',
        },
        {
          type: 'Feature',
          properties: { mag: -0.1, place: 'a\\"b\n\tc\u0001\u00e9', felt: false },
          geometry: null,
          id: 'ci2',
        },
        { type: 'Feature', properties: { place: '€😀𝄞', nested: [[[{}]], [], {}] }, id: 'ci3' },
      ],
      bbox: [-180, -90, 0, 180, 90, 700.25],
    }).replace(/,/g, ' ,\n '),
    options: { container: path('$.features'), documentPaths: [path('$.metadata.title'), path('$.bbox[5]')] },
  },
  {
    name: 'escapes in keys and strings, scalar records',
    body: '{"fe\\u0061tures" : [ "\\u00e9\\ud83d\\ude00" , -12.5e-3 , true , false , null , 0 , "\\\\\\"" , {"\\"k":"\\/"} ], "z":"\\u20ac"}',
    options: { container: path('$.features'), documentPaths: [path('$.z')] },
  },
  {
    name: 'a top-level array of arrays',
    body: '[[1,2,[3,[4,"5"]]],[],{"a":[{"b":"c"}]},"s p a c e",-0,1.5E+2]',
    options: {},
  },
];

/** A reader's whole output, as plain JSON-able data. */
function outcome(records: ParsedRecord[], reader: RecordsReader) {
  return {
    records: records.map((r) => ({ index: r.index, text: r.text, value: plain(r.value) })),
    state: reader.containerState,
    documentValues: reader.documentValues().map(plain),
  };
}

test('chunks may split anywhere: every chunk size 1..7 and random splits give the same result', () => {
  let seed = 7;
  const random = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
  for (const { name, body, options } of DOCUMENTS) {
    const bytes = Buffer.from(body);
    const whole = readAllRecords(bytes, options);
    const expected = outcome(whole.records, whole.reader);
    // against JSON.parse of the whole body
    const parsed = JSON.parse(body) as unknown;
    const container = options.container
      ? (parsed as Record<string, unknown[]>)[(options.container[0] as { key: string }).key]
      : parsed;
    assert.deepEqual(
      expected.records.map((r) => r.value),
      (container as unknown[]).map((v) => plain(v)),
      name,
    );
    for (const r of whole.records) assert.ok(body.includes(r.text), `${name}: exact text ${r.text}`);
    for (let size = 1; size <= 7; size++) {
      const chunked = readChunked(bytes, [size], options);
      assert.deepEqual(outcome(chunked.records, chunked.reader), expected, `${name}, chunks of ${size}`);
    }
    for (let round = 0; round < 30; round++) {
      const sizes = Array.from({ length: 8 }, () => 1 + Math.floor(random() * 40));
      const chunked = readChunked(bytes, sizes, options);
      assert.deepEqual(
        outcome(chunked.records, chunked.reader),
        expected,
        `${name}, chunks of ${sizes.join(',')}`,
      );
    }
  }
});

test('raw numbers, literals and numbers split across chunks', () => {
  const body = Buffer.from(
    '{"items":[12345678901234567890,{"x":[1e400,-0.5,3.141592653589793238],"t":true},null,-1e-400]}',
  );
  for (let size = 1; size <= 7; size++) {
    const { records } = readChunked(body, [size], { container: path('$.items') });
    assert.deepEqual(records[0]!.value, new RawNumber('12345678901234567890'), `size ${size}`);
    assert.deepEqual(records[1]!.value, {
      x: [new RawNumber('1e400'), -0.5, new RawNumber('3.141592653589793238')],
      t: true,
    });
    assert.equal(records[2]!.value, null);
    assert.deepEqual(records[3]!.value, new RawNumber('-1e-400'));
  }
});

test('the caller may reuse its chunk buffer: a record spanning chunks is copied out', () => {
  const body = Buffer.from('{"items":[{"a":"first record, long enough to span"},{"b":[1,2,3]}]}');
  const reader = new RecordsReader({ container: path('$.items') });
  const buffer = Buffer.alloc(8);
  const records: ParsedRecord[] = [];
  for (let o = 0; o < body.length; o += buffer.length) {
    const n = body.copy(buffer, 0, o, o + buffer.length);
    records.push(...reader.push(buffer.subarray(0, n)));
    buffer.fill(0x78); // scribble over it
  }
  records.push(...reader.end());
  assert.deepEqual(
    records.map((r) => r.value),
    [{ a: 'first record, long enough to span' }, { b: [1, 2, 3] }],
  );
  assert.equal(reader.recordCount, 2);
});

test('a record text is exactly its source bytes, whitespace and escapes kept', () => {
  const texts = ['{ "a" : [ 1 , 2 ] }', '"\\u00e9\\n"', '  -1.50e+2'.trim(), '[\n\t{"é":"😀"}\r\n]', 'null'];
  const body = `{"items":[\n  ${texts.join(' ,\n  ')}\n],"after":1}`;
  for (const size of [1, 3, 1000]) {
    const { records } = readChunked(Buffer.from(body), [size], { container: path('$.items') });
    assert.deepEqual(
      records.map((r) => r.text),
      texts,
    );
  }
});
