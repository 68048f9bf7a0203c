import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ContractType } from './contract-types.ts';
import { type ConvertOptions, checkFormat, convertValue, rejectValueText } from './convert.ts';
import { RawNumber } from './raw-number.ts';

const raw = (text: string) => new RawNumber(text);

const TEXT: ContractType = { kind: 'text' };
const SMALLINT: ContractType = { kind: 'smallint' };
const INTEGER: ContractType = { kind: 'integer' };
const BIGINT: ContractType = { kind: 'bigint' };
const DOUBLE: ContractType = { kind: 'double' };
const BOOLEAN: ContractType = { kind: 'boolean' };
const DATE: ContractType = { kind: 'date' };
const TIMESTAMP: ContractType = { kind: 'timestamp' };
const JSON_TYPE: ContractType = { kind: 'json' };
const decimal = (precision: number, scale: number): ContractType => ({ kind: 'decimal', precision, scale });

/** [value, expected text] or [value, {reason}] */
type Case = [unknown, string | null | { reason: string }];

function check(type: ContractType, cases: Case[], options?: ConvertOptions): void {
  for (const [value, expected] of cases) {
    const got = convertValue(value, type, options);
    const label = `${JSON.stringify(type)} ${options?.format ?? ''} ${rejectValueText(value)}`;
    if (expected === null || typeof expected === 'string') {
      assert.deepEqual(got, { ok: true, text: expected }, label);
    } else {
      assert.deepEqual(got, { ok: false, reason: expected.reason }, label);
    }
  }
}

const reject = (reason: string) => ({ reason });

describe('null', () => {
  test('JSON null and a missing value are SQL NULL for every type', () => {
    for (const type of [
      TEXT,
      SMALLINT,
      INTEGER,
      BIGINT,
      DOUBLE,
      decimal(10, 2),
      BOOLEAN,
      DATE,
      TIMESTAMP,
      JSON_TYPE,
    ]) {
      check(type, [
        [null, null],
        [undefined, null],
      ]);
      check(type, [[null, null]], { format: 'epoch_ms' });
    }
  });
});

describe('text', () => {
  test('strings, numbers and booleans', () => {
    check(TEXT, [
      ['', ''],
      ['hello', 'hello'],
      ['  padded  ', '  padded  '],
      ['ünïcødé 🚀', 'ünïcødé 🚀'],
      [42, '42'],
      [-0, '0'],
      [0.1, '0.1'],
      [1e21, '1e+21'],
      [1e-7, '1e-7'],
      [raw('12345678901234567890'), '12345678901234567890'],
      [raw('1e400'), '1e400'],
      [raw('1.000000000000000000001'), '1.000000000000000000001'],
      [true, 'true'],
      [false, 'false'],
    ]);
  });

  test('objects, arrays and NUL characters reject', () => {
    check(TEXT, [
      [
        { a: 1 },
        reject('an object where text is declared (declare data_type: json, or a path into it): {"a":1}'),
      ],
      [[1, 2], reject('an array where text is declared (declare data_type: json, or a path into it): [1,2]')],
      ['a\u0000b', reject('a NUL character (U+0000) in text, which PostgreSQL cannot store: "a\\u0000b"')],
    ]);
  });
});

describe('integers', () => {
  test('integral numbers in range', () => {
    check(INTEGER, [
      [0, '0'],
      [-0, '0'],
      [42, '42'],
      [5.0, '5'],
      [-7, '-7'],
      [2147483647, '2147483647'],
      [-2147483648, '-2147483648'],
      [2147483648, reject('out of range for integer: 2147483648')],
      [-2147483649, reject('out of range for integer: -2147483649')],
      [5.5, reject('not an integer: 5.5')],
      [1e21, reject('out of range for integer: 1e+21')],
      [raw('1e3'), '1000'],
      [raw('1.5e1'), '15'],
      [raw('1.25e1'), reject('not an integer: 1.25e1')],
      [raw('1e-400'), reject('not an integer: 1e-400')],
      [raw('0e999999999999'), '0'],
      [raw('-0.0'), '0'],
      [raw('1e400'), reject('out of range for integer: 1e400')],
      [raw('1e99999999999999999999'), reject('out of range for integer: 1e99999999999999999999')],
      [Number.NaN, reject('not a number: NaN')],
      [Number.POSITIVE_INFINITY, reject('out of range for integer: Infinity')],
    ]);
    check(SMALLINT, [
      [32767, '32767'],
      [-32768, '-32768'],
      [32768, reject('out of range for smallint: 32768')],
      [-32769, reject('out of range for smallint: -32769')],
      ['32767', '32767'],
      ['32768', reject('out of range for smallint: "32768"')],
    ]);
  });

  test('bigint is exact beyond 2^53', () => {
    check(BIGINT, [
      [9007199254740991, '9007199254740991'],
      [raw('9007199254740993'), '9007199254740993'],
      [raw('-9007199254740993'), '-9007199254740993'],
      [raw('9223372036854775807'), '9223372036854775807'],
      [raw('-9223372036854775808'), '-9223372036854775808'],
      [raw('9223372036854775808'), reject('out of range for bigint: 9223372036854775808')],
      [raw('-9223372036854775809'), reject('out of range for bigint: -9223372036854775809')],
      [raw('12345678901234567890'), reject('out of range for bigint: 12345678901234567890')],
      [raw('1e400'), reject('out of range for bigint: 1e400')],
      [raw('9.223372036854775807e18'), '9223372036854775807'],
      [1e18, '1000000000000000000'],
      [-(2 ** 63), '-9223372036854775808'],
      [2 ** 63, reject('out of range for bigint: 9223372036854776000')],
      ['9223372036854775807', '9223372036854775807'],
      ['  -9007199254740993 ', '-9007199254740993'],
    ]);
  });

  test('numeric strings convert the same way, other values reject', () => {
    check(INTEGER, [
      ['42', '42'],
      [' 42 ', '42'],
      ['\t-7\n', '-7'],
      ['+7', '7'],
      ['4.0', '4'],
      ['007', '7'],
      ['1e3', '1000'],
      ['-0', '0'],
      ['4.5', reject('not an integer: "4.5"')],
      ['n/a', reject('not a number: "n/a"')],
      ['', reject('not a number: ""')],
      ['   ', reject('not a number: "   "')],
      ['0x10', reject('not a number: "0x10"')],
      ['1,000', reject('not a number: "1,000"')],
      ['1_000', reject('not a number: "1_000"')],
      ['Infinity', reject('not a number: "Infinity"')],
      ['1e', reject('not a number: "1e"')],
      ['.', reject('not a number: "."')],
      ['--1', reject('not a number: "--1"')],
      [true, reject('a boolean where integer is declared: true')],
      [{ n: 1 }, reject('an object where integer is declared: {"n":1}')],
      [[1], reject('an array where integer is declared: [1]')],
    ]);
  });
});

describe('double', () => {
  test('numbers give exactly String(n)', () => {
    const values = [
      0,
      -0,
      1,
      -1,
      0.1,
      1 / 3,
      1e21,
      1e-7,
      123456.789,
      -2.5e-300,
      Number.MAX_VALUE,
      Number.MIN_VALUE,
    ];
    check(
      DOUBLE,
      values.map((v): Case => [v, String(v)]),
    );
    check(DOUBLE, [
      [-0, '0'],
      [1e21, '1e+21'],
      [0.1, '0.1'],
      [1e-7, '1e-7'],
      [Number.POSITIVE_INFINITY, reject('out of range for double: Infinity')],
      [Number.NaN, reject('not a number: NaN')],
    ]);
  });

  test('raw numbers: rounded to a double, beyond its range rejected', () => {
    check(DOUBLE, [
      [raw('9007199254740993'), '9007199254740992'],
      [raw('0.1000000000000000055511151231257827'), '0.1'],
      [raw('1e300'), '1e+300'],
      [raw('1e-400'), '0'],
      [raw('1e400'), reject('out of range for double: 1e400')],
      [raw('-1e400'), reject('out of range for double: -1e400')],
    ]);
  });

  test('numeric strings', () => {
    check(DOUBLE, [
      ['1.5', '1.5'],
      [' 42 ', '42'],
      ['1e5', '100000'],
      ['-0.5', '-0.5'],
      ['.5', '0.5'],
      ['5.', '5'],
      ['+5', '5'],
      ['-0', '0'],
      ['1E-7', '1e-7'],
      ['1e400', reject('out of range for double: "1e400"')],
      ['', reject('not a number: ""')],
      [' ', reject('not a number: " "')],
      ['0x1F', reject('not a number: "0x1F"')],
      ['0b101', reject('not a number: "0b101"')],
      ['0o17', reject('not a number: "0o17"')],
      ['Infinity', reject('not a number: "Infinity"')],
      ['-Infinity', reject('not a number: "-Infinity"')],
      ['NaN', reject('not a number: "NaN"')],
      ['n/a', reject('not a number: "n/a"')],
      ['1.2.3', reject('not a number: "1.2.3"')],
      [false, reject('a boolean where double is declared: false')],
      [{}, reject('an object where double is declared: {}')],
    ]);
  });
});

describe('decimal', () => {
  test('exact text with the scale, rounded half away from zero', () => {
    check(decimal(10, 2), [
      [12.345, '12.35'],
      [12.344, '12.34'],
      [2.345, '2.35'],
      [-2.345, '-2.35'],
      [2.5, '2.50'],
      [0.005, '0.01'],
      [-0.005, '-0.01'],
      [0.004, '0.00'],
      [-0.004, '0.00'],
      [-0, '0.00'],
      [0, '0.00'],
      [7, '7.00'],
      [-7, '-7.00'],
      [0.1, '0.10'],
      [99999999.99, '99999999.99'],
      [99999999.995, reject('does not fit decimal(10,2): 99999999.995')],
      [123456789, reject('does not fit decimal(10,2): 123456789')],
      [-123456789, reject('does not fit decimal(10,2): -123456789')],
      [12345678, '12345678.00'],
      ['12.345', '12.35'],
      [' -1.005 ', '-1.01'],
      ['1e2', '100.00'],
      ['.5', '0.50'],
      [raw('1.0049999999999999999999'), '1.00'],
      [raw('1.005000000000000000000000001'), '1.01'],
      [raw('1e400'), reject('does not fit decimal(10,2): 1e400')],
      [raw('1e-400'), '0.00'],
      ['n/a', reject('not a number: "n/a"')],
      [true, reject('a boolean where decimal(10,2) is declared: true')],
    ]);
  });

  test('exponent notation is expanded exactly', () => {
    check(decimal(18, 3), [
      [1e-7, '0.000'],
      [1e21, reject('does not fit decimal(18,3): 1e+21')],
      [5e-4, '0.001'],
      [4e-4, '0.000'],
    ]);
    check(decimal(10, 8), [[1e-7, '0.00000010']]);
    check(decimal(7, 7), [
      [1e-7, '0.0000001'],
      [0.99999995, reject('does not fit decimal(7,7): 0.99999995')],
      [0.99999994, '0.9999999'],
    ]);
    check(decimal(38, 2), [[1e21, '1000000000000000000000.00']]);
    check(decimal(38, 0), [
      [1e21, '1000000000000000000000'],
      [raw('12345678901234567890123456789012345678'), '12345678901234567890123456789012345678'],
      [
        raw('123456789012345678901234567890123456789'),
        reject('does not fit decimal(38,0): 123456789012345678901234567890123456789'),
      ],
      [2.5, '3'],
      [-2.5, '-3'],
      [0.4, '0'],
    ]);
  });

  test('rounding can carry into a new integer digit', () => {
    check(decimal(4, 2), [
      [9.995, '10.00'],
      [99.994, '99.99'],
      [99.995, reject('does not fit decimal(4,2): 99.995')],
    ]);
  });
});

describe('boolean', () => {
  test('booleans, true/false strings, 0 and 1', () => {
    check(BOOLEAN, [
      [true, 'true'],
      [false, 'false'],
      ['true', 'true'],
      [' TRUE ', 'true'],
      ['False', 'false'],
      [1, 'true'],
      [0, 'false'],
      [-0, 'false'],
      [raw('1.00000000000000000000'), 'true'],
      [raw('0e5'), 'false'],
      [2, reject('not a boolean: 2')],
      [0.5, reject('not a boolean: 0.5')],
      ['1', reject('not a boolean: "1"')],
      ['yes', reject('not a boolean: "yes"')],
      ['', reject('not a boolean: ""')],
      [raw('1e400'), reject('not a boolean: 1e400')],
      [[true], reject('an array where boolean is declared: [true]')],
    ]);
  });
});

describe('date', () => {
  test('ISO dates that are real calendar dates', () => {
    check(DATE, [
      ['2024-01-31', '2024-01-31'],
      [' 2024-01-31 ', '2024-01-31'],
      ['2024-02-29', '2024-02-29'],
      ['2000-02-29', '2000-02-29'],
      ['0001-01-01', '0001-01-01'],
      ['9999-12-31', '9999-12-31'],
      ['2023-02-29', reject('day out of range in date: "2023-02-29"')],
      ['1900-02-29', reject('day out of range in date: "1900-02-29"')],
      ['2024-04-31', reject('day out of range in date: "2024-04-31"')],
      ['2024-00-10', reject('month out of range in date: "2024-00-10"')],
      ['2024-13-01', reject('month out of range in date: "2024-13-01"')],
      ['0000-01-01', reject('year out of range in date: "0000-01-01"')],
      ['2024-1-5', reject('not an ISO 8601 date: "2024-1-5"')],
      ['01/31/2024', reject('not an ISO 8601 date: "01/31/2024"')],
      ['', reject('not an ISO 8601 date: ""')],
      [20240131, reject('a number where a date is declared (set format: epoch_ms or epoch_s): 20240131')],
      [true, reject('a boolean where date is declared: true')],
    ]);
  });

  test('a timestamp with offset gives its UTC date; without offset it rejects', () => {
    check(DATE, [
      ['2024-01-31T12:00:00Z', '2024-01-31'],
      ['2024-01-31T23:30:00-02:00', '2024-02-01'],
      ['2024-01-01T01:00:00+05:30', '2023-12-31'],
      ['2024-01-31 10:00Z', '2024-01-31'],
      [
        '2024-01-31T12:00:00',
        reject(
          'a timestamp without offset where a date is declared (its UTC date is unknown): "2024-01-31T12:00:00"',
        ),
      ],
      ['2024-01-31T25:00:00Z', reject('hour out of range in date: "2024-01-31T25:00:00Z"')],
    ]);
  });

  test('with a format', () => {
    check(DATE, [[1732000000123, '2024-11-19']], { format: 'epoch_ms' });
    check(DATE, [[1732000000, '2024-11-19']], { format: 'epoch_s' });
    check(
      DATE,
      [
        ['2025010100', '2025-01-01'],
        ['2025022923', reject('day out of range in date: "2025022923"')],
      ],
      { format: '%Y%m%d%H' },
    );
    check(
      DATE,
      [
        ['31/01/2024', '2024-01-31'],
        ['1/2/2024', '2024-02-01'],
        ['2024-01-31', reject('does not match format "%d/%m/%Y": "2024-01-31"')],
      ],
      { format: '%d/%m/%Y' },
    );
    check(DATE, [['2024-01-31T12:00:00', '2024-01-31']], { format: '%Y-%m-%dT%H:%M:%S' });
  });
});

describe('timestamp', () => {
  test('ISO 8601 without offset is kept as written', () => {
    check(TIMESTAMP, [
      ['2024-01-31', '2024-01-31 00:00:00.000000'],
      ['2024-01-31T12:34', '2024-01-31 12:34:00.000000'],
      ['2024-01-31T12:34:56', '2024-01-31 12:34:56.000000'],
      ['2024-01-31 12:34:56', '2024-01-31 12:34:56.000000'],
      ['2024-01-31t12:34:56', '2024-01-31 12:34:56.000000'],
      ['2024-01-31T12:34:56.1', '2024-01-31 12:34:56.100000'],
      ['2024-01-31T12:34:56.123456', '2024-01-31 12:34:56.123456'],
      ['2024-01-31T12:34:56.123456789', '2024-01-31 12:34:56.123456'],
      ['2024-01-31T12:34:56.9999999', '2024-01-31 12:34:56.999999'],
      ['  2024-01-31T12:34:56  ', '2024-01-31 12:34:56.000000'],
      ['2024-02-29T23:59:59', '2024-02-29 23:59:59.000000'],
      ['0001-01-01T00:00:00', '0001-01-01 00:00:00.000000'],
      ['9999-12-31T23:59:59.999999', '9999-12-31 23:59:59.999999'],
    ]);
  });

  test('Z and offsets convert to UTC', () => {
    check(TIMESTAMP, [
      ['2024-01-31T12:34:56Z', '2024-01-31 12:34:56.000000'],
      ['2024-01-31T12:34:56z', '2024-01-31 12:34:56.000000'],
      ['2024-01-31T12:34:56.5+00:00', '2024-01-31 12:34:56.500000'],
      ['2024-01-01T10:00:00+05:30', '2024-01-01 04:30:00.000000'],
      ['2024-01-01T10:00:00-0800', '2024-01-01 18:00:00.000000'],
      ['2024-01-01T10:00:00-08', '2024-01-01 18:00:00.000000'],
      ['2024-01-01T02:00+05:30', '2023-12-31 20:30:00.000000'],
      ['2024-02-28T20:00:00-04:00', '2024-02-29 00:00:00.000000'],
      ['2023-02-28T20:00:00-04:00', '2023-03-01 00:00:00.000000'],
      ['2024-12-31T23:59:59.999999-00:01', '2025-01-01 00:00:59.999999'],
      ['0001-01-01T00:00:00+01:00', reject('out of range for timestamp: "0001-01-01T00:00:00+01:00"')],
      ['9999-12-31T23:00:00-01:00', reject('out of range for timestamp: "9999-12-31T23:00:00-01:00"')],
      ['2024-01-01T10:00:00+24:00', reject('offset out of range in timestamp: "2024-01-01T10:00:00+24:00"')],
      ['2024-01-01T10:00:00+05:60', reject('offset out of range in timestamp: "2024-01-01T10:00:00+05:60"')],
    ]);
  });

  test('offsets agree with Date for many instants', () => {
    const offsets = ['Z', '+05:30', '-0800', '+14', '-12:45', '+00:00'];
    for (let i = 0; i < 2000; i++) {
      const ms = Math.floor((i * 7919.123 * 86400000) % 7e12) - 2e12;
      const text = new Date(ms).toISOString().slice(0, 23);
      const offset = offsets[i % offsets.length]!;
      const got = convertValue(text + offset, TIMESTAMP);
      const expected = new Date(
        Date.parse(text + (offset === '+14' ? '+14:00' : offset.replace(/(\d\d)(\d\d)$/, '$1:$2'))),
      );
      assert.deepEqual(
        got,
        { ok: true, text: expected.toISOString().replace('T', ' ').replace('Z', '000') },
        text + offset,
      );
    }
  });

  test('ranges are validated', () => {
    check(TIMESTAMP, [
      ['2023-02-29T00:00:00', reject('day out of range in timestamp: "2023-02-29T00:00:00"')],
      ['2100-02-29T00:00:00', reject('day out of range in timestamp: "2100-02-29T00:00:00"')],
      ['2400-02-29T00:00:00', '2400-02-29 00:00:00.000000'],
      ['2024-13-01T00:00:00', reject('month out of range in timestamp: "2024-13-01T00:00:00"')],
      ['2024-01-01T24:00:00', reject('hour out of range in timestamp: "2024-01-01T24:00:00"')],
      ['2024-01-01T23:60:00', reject('minute out of range in timestamp: "2024-01-01T23:60:00"')],
      ['2024-01-01T23:59:60', reject('second out of range in timestamp: "2024-01-01T23:59:60"')],
      ['0000-12-31T23:59:59', reject('year out of range in timestamp: "0000-12-31T23:59:59"')],
    ]);
  });

  test('other texts and values reject', () => {
    check(TIMESTAMP, [
      ['2024-01-31T12', reject('not an ISO 8601 timestamp: "2024-01-31T12"')],
      ['2024-01-31T12:34:56.', reject('not an ISO 8601 timestamp: "2024-01-31T12:34:56."')],
      [
        '2024-01-31T12:34:56.1234567890',
        reject('not an ISO 8601 timestamp: "2024-01-31T12:34:56.1234567890"'),
      ],
      ['2024-01-31T1:34:56', reject('not an ISO 8601 timestamp: "2024-01-31T1:34:56"')],
      ['2024-01-31Z', reject('not an ISO 8601 timestamp: "2024-01-31Z"')],
      ['2024-01-31T12:34:56 +05:30', reject('not an ISO 8601 timestamp: "2024-01-31T12:34:56 +05:30"')],
      ['Wed, 31 Jan 2024 12:34:56 GMT', reject('not an ISO 8601 timestamp: "Wed, 31 Jan 2024 12:34:56 GMT"')],
      ['1732000000123', reject('not an ISO 8601 timestamp: "1732000000123"')],
      [
        1732000000123,
        reject('a number where a timestamp is declared (set format: epoch_ms or epoch_s): 1732000000123'),
      ],
      [
        raw('1e400'),
        reject('a number where a timestamp is declared (set format: epoch_ms or epoch_s): 1e400'),
      ],
      [false, reject('a boolean where timestamp is declared: false')],
      [{ t: 1 }, reject('an object where timestamp is declared: {"t":1}')],
    ]);
  });

  test('epoch_ms', () => {
    check(
      TIMESTAMP,
      [
        [1732000000123, '2024-11-19 07:06:40.123000'],
        [0, '1970-01-01 00:00:00.000000'],
        [-1, '1969-12-31 23:59:59.999000'],
        [1732000000123.456, '2024-11-19 07:06:40.123456'],
        [raw('1732000000123.4567'), '2024-11-19 07:06:40.123456'],
        [-1.5, '1969-12-31 23:59:59.998500'],
        [raw('-0.0001'), '1969-12-31 23:59:59.999999'],
        ['1732000000123', '2024-11-19 07:06:40.123000'],
        [' 1732000000123 ', '2024-11-19 07:06:40.123000'],
        ['1.732000000123e12', '2024-11-19 07:06:40.123000'],
        [253402300799999, '9999-12-31 23:59:59.999000'],
        [253402300800000, reject('out of range for timestamp: 253402300800000')],
        [-62135596800000, '0001-01-01 00:00:00.000000'],
        [-62135596800001, reject('out of range for timestamp: -62135596800001')],
        [raw('1e400'), reject('out of range for timestamp: 1e400')],
        [1e20, reject('out of range for timestamp: 100000000000000000000')],
        ['soon', reject('not a number: "soon"')],
        ['2024-01-01', reject('not a number: "2024-01-01"')],
        [true, reject('a boolean where timestamp is declared: true')],
      ],
      { format: 'epoch_ms' },
    );
  });

  test('epoch_ms agrees with Date', () => {
    for (let i = 0; i < 2000; i++) {
      const ms = Math.floor((i * 104729.77 * 86400000) % 2.5e14) - 6.2e13;
      const expected = new Date(ms).toISOString().replace('T', ' ').replace('Z', '000');
      assert.deepEqual(
        convertValue(ms, TIMESTAMP, { format: 'epoch_ms' }),
        { ok: true, text: expected },
        String(ms),
      );
      assert.deepEqual(convertValue(String(ms), TIMESTAMP, { format: 'epoch_ms' }), {
        ok: true,
        text: expected,
      });
    }
  });

  test('epoch_s', () => {
    check(
      TIMESTAMP,
      [
        [1732000000, '2024-11-19 07:06:40.000000'],
        [1732000000.123456, '2024-11-19 07:06:40.123456'],
        [raw('1732000000.1234569'), '2024-11-19 07:06:40.123456'],
        ['1732000000', '2024-11-19 07:06:40.000000'],
        [-1, '1969-12-31 23:59:59.000000'],
        [253402300799, '9999-12-31 23:59:59.000000'],
        [253402300800, reject('out of range for timestamp: 253402300800')],
      ],
      { format: 'epoch_s' },
    );
  });

  test('strptime patterns', () => {
    check(
      TIMESTAMP,
      [
        ['2025010100', '2025-01-01 00:00:00.000000'],
        ['2025123123', '2025-12-31 23:00:00.000000'],
        [2025010100, '2025-01-01 00:00:00.000000'],
        ['2025-01-01', reject('does not match format "%Y%m%d%H": "2025-01-01"')],
        ['20250101001', reject('does not match format "%Y%m%d%H": "20250101001"')],
        ['2025023100', reject('day out of range in timestamp: "2025023100"')],
      ],
      { format: '%Y%m%d%H' },
    );
    check(
      TIMESTAMP,
      [
        ['31.01.2024 7:05:09,25', '2024-01-31 07:05:09.250000'],
        ['31.01.2024 07:05:09,123456789', '2024-01-31 07:05:09.123456'],
        [
          '31x01.2024 07:05:09,1',
          reject('does not match format "%d.%m.%Y %H:%M:%S,%f": "31x01.2024 07:05:09,1"'),
        ],
      ],
      { format: '%d.%m.%Y %H:%M:%S,%f' },
    );
    check(
      TIMESTAMP,
      [
        ['100% 2024', '2024-01-01 00:00:00.000000'],
        ['2024', reject('does not match format "100%% %Y": "2024"')],
      ],
      { format: '100%% %Y' },
    );
    check(TIMESTAMP, [['2024-03', '2024-03-01 00:00:00.000000']], { format: '%Y-%m' });
    // Python's strptime patterns with backtracking: "131" is 1/31, "139" is nothing.
    check(
      TIMESTAMP,
      [
        ['2024131', '2024-01-31 00:00:00.000000'],
        ['2024139', reject('does not match format "%Y%m%d": "2024139"')],
      ],
      { format: '%Y%m%d' },
    );
    check(TIMESTAMP, [['2024111', '2024-11-01 00:00:00.000000']], { format: '%Y%m%d' });
    check(TIMESTAMP, [['(2024)', '2024-01-01 00:00:00.000000']], { format: '(%Y)' });
    check(
      TIMESTAMP,
      [
        [
          '2024',
          reject(
            'invalid format (unknown directive %q in format "%Y%q" (use %Y %m %d %H %M %S %f %% and literal characters)): "2024"',
          ),
        ],
      ],
      { format: '%Y%q' },
    );
  });
});

describe('json', () => {
  test('any value as JSON text, raw numbers as written', () => {
    check(JSON_TYPE, [
      ['text', '"text"'],
      ['quote " and \n', '"quote \\" and \\n"'],
      [42, '42'],
      [-0, '0'],
      [1e21, '1e+21'],
      [true, 'true'],
      [{}, '{}'],
      [[], '[]'],
      [{ a: 1, b: [true, null, 'x'], c: { d: -0.5 } }, '{"a":1,"b":[true,null,"x"],"c":{"d":-0.5}}'],
      [raw('12345678901234567890'), '12345678901234567890'],
      [
        { big: raw('1e400'), list: [raw('0.10000000000000000001')] },
        '{"big":1e400,"list":[0.10000000000000000001]}',
      ],
    ]);
  });

  test('without raw numbers it equals JSON.stringify', () => {
    const value = {
      s: 'é\u0000\ud800',
      n: [1, 2.5, -3e-9],
      nested: { deep: [[{}], []], t: false },
      u: undefined,
    };
    assert.deepEqual(convertValue(value, JSON_TYPE), { ok: true, text: JSON.stringify(value) });
  });
});

describe('rejectValueText', () => {
  test('strings as is, the rest as JSON, cut to 500 characters', () => {
    assert.equal(rejectValueText('n/a'), 'n/a');
    assert.equal(rejectValueText(''), '');
    assert.equal(rejectValueText(42), '42');
    assert.equal(rejectValueText(true), 'true');
    assert.equal(rejectValueText(null), 'null');
    assert.equal(rejectValueText(raw('1e400')), '1e400');
    assert.equal(rejectValueText({ a: [1, raw('1e400')] }), '{"a":[1,1e400]}');
    const long = 'x'.repeat(600);
    assert.equal(rejectValueText(long), 'x'.repeat(499) + '…');
    assert.equal(rejectValueText('x'.repeat(500)), 'x'.repeat(500));
    const big = { items: Array.from({ length: 10000 }, (_, i) => i) };
    const text = rejectValueText(big);
    assert.equal(text.length, 500);
    assert.ok(text.startsWith('{"items":[0,1,2,'));
    assert.ok(text.endsWith('…'));
  });

  test('a cut never splits a surrogate pair', () => {
    const text = rejectValueText('x'.repeat(498) + '🚀🚀');
    assert.equal(text, 'x'.repeat(498) + '…');
  });
});

describe('reasons', () => {
  test('long values are cut to 80 characters', () => {
    const got = convertValue('y'.repeat(200), INTEGER);
    assert.deepEqual(got, { ok: false, reason: `not a number: "${'y'.repeat(79)}…"` });
    const obj = convertValue({ list: Array.from({ length: 100 }, (_, i) => i) }, DOUBLE);
    assert.equal(obj.ok, false);
    if (!obj.ok) {
      const shown = obj.reason.slice('an object where double is declared: '.length);
      assert.equal(shown.length, 80);
      assert.ok(shown.endsWith('…'));
    }
  });
});

describe('checkFormat', () => {
  test('fine formats', () => {
    for (const format of [
      undefined,
      'epoch_ms',
      'epoch_s',
      '%Y%m%d%H',
      '%Y-%m-%dT%H:%M:%S.%f',
      '%d/%m/%Y',
      '%Y',
      '100%% %Y',
    ]) {
      assert.equal(checkFormat(TIMESTAMP, format), undefined, String(format));
      assert.equal(checkFormat(DATE, format), undefined, String(format));
    }
    assert.equal(checkFormat(DOUBLE, undefined), undefined);
  });

  test('problems', () => {
    assert.equal(
      checkFormat(DOUBLE, 'epoch_ms'),
      'format applies only to date and timestamp columns, not double',
    );
    assert.equal(
      checkFormat(decimal(10, 2), '%Y'),
      'format applies only to date and timestamp columns, not decimal(10,2)',
    );
    assert.equal(
      checkFormat(TIMESTAMP, '%Y-%m-%d %z'),
      'unknown directive %z in format "%Y-%m-%d %z" (use %Y %m %d %H %M %S %f %% and literal characters)',
    );
    assert.equal(checkFormat(TIMESTAMP, '%Y%'), 'format "%Y%" ends with a lone %');
    assert.equal(checkFormat(TIMESTAMP, '%Y-%m-%d-%m'), '%m appears twice in format "%Y-%m-%d-%m"');
    assert.equal(checkFormat(TIMESTAMP, '%m/%d'), 'format "%m/%d" has no %Y (the year)');
    assert.equal(checkFormat(TIMESTAMP, '%Y-%d'), 'format "%Y-%d" has %d without %m');
    assert.equal(
      checkFormat(TIMESTAMP, '%Y %H:%M:%S.%f %M'),
      '%M appears twice in format "%Y %H:%M:%S.%f %M"',
    );
    assert.equal(checkFormat(TIMESTAMP, '%Y %H:%S'), 'format "%Y %H:%S" has %S without %M');
    assert.equal(
      checkFormat(TIMESTAMP, 'epoch_msec'),
      'unknown format "epoch_msec": use epoch_ms, epoch_s or a strptime pattern such as %Y-%m-%d %H:%M:%S',
    );
    assert.match(checkFormat(DATE, '') ?? '', /^unknown format "":/);
  });
});
