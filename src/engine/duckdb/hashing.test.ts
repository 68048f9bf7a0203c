import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import type { Session } from '../dialect.ts';
import { UnsupportedHashTypeError } from '../hashing-errors.ts';
import { canonicalText, digestToIntegers, hashText } from './hashing.ts';
import { openDuckDbSession } from './session.ts';

let session: Session;
before(async () => {
  session = await openDuckDbSession(':memory:');
});
after(() => session.close());

/** DuckDB parses String(x) back to exactly x (correctly rounded), so it is a lossless literal. */
function doubleLiteral(x: number): string {
  if (Number.isNaN(x)) return `'nan'::DOUBLE`;
  if (x === Number.POSITIVE_INFINITY) return `'inf'::DOUBLE`;
  if (x === Number.NEGATIVE_INFINITY) return `'-inf'::DOUBLE`;
  if (Object.is(x, -0)) return `'-0.0'::DOUBLE`;
  return `'${String(x)}'::DOUBLE`;
}

/** Renders every value of `literals` (cast to `type`) both ways: typed and typeof-dispatched. */
async function render(literals: string[], type: string): Promise<{ typed: string; dispatched: string }[]> {
  const values = literals.map((l, i) => `(${i}, CAST(${l} AS ${type}))`).join(', ');
  return session.query<{ typed: string; dispatched: string }>(
    `SELECT ${canonicalText('x', type)} AS typed, ${canonicalText('x')} AS dispatched
     FROM (VALUES ${values}) AS t(i, x) ORDER BY i`,
  );
}

async function assertDoubles(xs: number[]): Promise<void> {
  const rows = await render(xs.map(doubleLiteral), 'DOUBLE');
  xs.forEach((x, i) => {
    assert.equal(rows[i]?.typed, String(x), `typed text of ${String(x)}`);
    assert.equal(rows[i]?.dispatched, String(x), `dispatched text of ${String(x)}`);
  });
}

/** JavaScript's spelling of a plain decimal string, keeping every digit (the reference for DECIMAL). */
function jsDecimal(text: string): string {
  const negative = text.startsWith('-');
  const [intPart = '', fracPart = ''] = text.replace('-', '').split('.');
  const raw = intPart + fracPart;
  const stripped = raw.replace(/^0+/, '');
  const digits = stripped.replace(/0+$/, '');
  if (digits === '') return '0';
  const n = intPart.length - (raw.length - stripped.length);
  const k = digits.length;
  let body: string;
  if (k <= n && n <= 21) body = digits + '0'.repeat(n - k);
  else if (n > 0 && n <= 21) body = `${digits.slice(0, n)}.${digits.slice(n)}`;
  else if (n > -6 && n <= 0) body = `0.${'0'.repeat(-n)}${digits}`;
  else body = `${digits[0]}${k > 1 ? `.${digits.slice(1)}` : ''}e${n - 1 >= 0 ? '+' : '-'}${Math.abs(n - 1)}`;
  return (negative ? '-' : '') + body;
}

describe('canonicalText numbers match JavaScript String(x)', () => {
  test('edge doubles', async () => {
    await assertDoubles([
      0,
      -0,
      1,
      -1,
      0.1,
      0.2 + 0.1,
      1 / 3,
      1e21,
      1e20,
      123456789012345680000,
      1e-6,
      1e-7,
      1.234e-6,
      0.000123,
      5e-324,
      -5e-324,
      Number.MAX_VALUE,
      Number.MIN_VALUE,
      2 ** 53,
      2 ** 53 + 2,
      1500000000000000.5,
      1e16 + 2,
      123.456,
      100,
      1e15,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
      9.999999999999999e20,
    ]);
  });

  test('property: random doubles (all bit patterns, NaN, ±0, ±∞)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.double(), { minLength: 1, maxLength: 400 }), assertDoubles),
      { numRuns: 40 },
    );
  });

  test('property: human-scale doubles (amounts, measurements)', async () => {
    const human = fc.oneof(
      fc.integer({ min: -1e9, max: 1e9 }).map((n) => n / 100),
      fc.double({ min: -1e7, max: 1e7, noNaN: true }),
      fc.integer({ min: -30, max: 30 }).map((e) => 10 ** e),
    );
    await fc.assert(fc.asyncProperty(fc.array(human, { minLength: 1, maxLength: 400 }), assertDoubles), {
      numRuns: 20,
    });
  });

  test('property: REAL is widened to DOUBLE, then String(x)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.float(), { minLength: 1, maxLength: 300 }), async (xs) => {
        const rows = await render(xs.map(doubleLiteral), 'REAL');
        xs.forEach((x, i) => {
          assert.equal(rows[i]?.typed, String(x), `REAL ${x}`);
          assert.equal(rows[i]?.dispatched, String(x), `REAL ${x} (dispatched)`);
        });
      }),
      { numRuns: 20 },
    );
  });

  test('property: DECIMAL drops trailing zeros, keeps every digit, equals String(Number(x)) up to 15 digits', async () => {
    const decimal = fc
      .tuple(fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }), fc.integer({ min: 0, max: 8 }))
      .map(([unscaled, scale]) => {
        const digits = (unscaled < 0n ? -unscaled : unscaled).toString().padStart(scale + 1, '0');
        const text = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
        return (unscaled < 0n ? '-' : '') + text;
      });
    await fc.assert(
      fc.asyncProperty(fc.array(decimal, { minLength: 1, maxLength: 300 }), async (texts) => {
        const rows = await render(
          texts.map((t) => `'${t}'`),
          'DECIMAL(38,8)',
        );
        texts.forEach((t, i) => {
          const expected = jsDecimal(t);
          assert.equal(rows[i]?.typed, expected, `DECIMAL ${t}`);
          assert.equal(rows[i]?.dispatched, expected, `DECIMAL ${t} (dispatched)`);
          const significant = t.replace(/[-.]/g, '').replace(/^0+/, '').replace(/0+$/, '').length;
          if (significant <= 15) assert.equal(expected, String(Number(t)), `String(Number(${t}))`);
        });
      }),
      { numRuns: 20 },
    );
  });

  test('integers of every width print plainly', async () => {
    for (const [type, value] of [
      ['TINYINT', '-128'],
      ['INTEGER', '2147483647'],
      ['BIGINT', '-9223372036854775808'],
      ['HUGEINT', '170141183460469231731687303715884105727'],
      ['UBIGINT', '18446744073709551615'],
    ] as const) {
      const rows = await render([`'${value}'`], type);
      assert.deepEqual(rows[0], { typed: value, dispatched: value }, type);
    }
  });
});

describe('canonicalText other types', () => {
  test('booleans, dates, timestamps in UTC, time, text, uuid, NULL', async () => {
    await session.execute(`SET TimeZone = 'America/New_York'`);
    const cases: [string, string, string | null][] = [
      ['true', 'BOOLEAN', 'true'],
      ['false', 'BOOLEAN', 'false'],
      [`'2024-02-29'`, 'DATE', '2024-02-29'],
      [`'0001-01-01'`, 'DATE', '0001-01-01'],
      [`'2024-01-02 03:04:05.123'`, 'TIMESTAMP', '2024-01-02T03:04:05.123000Z'],
      [`'2024-01-02 03:04:05'`, 'TIMESTAMP_S', '2024-01-02T03:04:05.000000Z'],
      [`'2024-01-02 03:04:05.123456789'`, 'TIMESTAMP_NS', '2024-01-02T03:04:05.123456Z'],
      [`'2024-01-02 03:04:05.5+02'`, 'TIMESTAMPTZ', '2024-01-02T01:04:05.500000Z'],
      [`'23:59:59.25'`, 'TIME', '23:59:59.250000'],
      [`' Mixed Case '`, 'VARCHAR', ' Mixed Case '],
      [`'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11'`, 'UUID', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'],
      ['NULL', 'DOUBLE', null],
      ['NULL', 'TIMESTAMP', null],
      ['NULL', 'VARCHAR', null],
    ];
    try {
      for (const [literal, type, expected] of cases) {
        const rows = await render([literal], type);
        assert.deepEqual(rows[0], { typed: expected, dispatched: expected }, `${type} ${literal}`);
      }
    } finally {
      await session.execute(`SET TimeZone = 'UTC'`);
    }
  });

  test('a declared type without canonical text is refused with a fix', () => {
    assert.throws(() => canonicalText('x', 'INTEGER[]'), UnsupportedHashTypeError);
    assert.throws(() => canonicalText('x', 'STRUCT(a INTEGER)'), /cast the column in the staging model/);
    assert.throws(() => canonicalText('x', 'BLOB'), UnsupportedHashTypeError);
  });

  test('aliases resolve (NUMERIC, TEXT, TIMESTAMPTZ, FLOAT8)', async () => {
    const [row] = await session.query<Record<string, string>>(
      `SELECT ${canonicalText(`'1.50'::NUMERIC(5,2)`, 'NUMERIC(5,2)')} AS a, ${canonicalText(`'x'`, 'TEXT')} AS b,
              ${canonicalText(`TIMESTAMPTZ '2024-01-01 00:00:00+00'`, 'timestamptz')} AS c, ${canonicalText('2.0::DOUBLE', 'float8')} AS d`,
    );
    assert.deepEqual(row, { a: '1.5', b: 'x', c: '2024-01-01T00:00:00.000000Z', d: '2' });
  });

  test('DECIMAL of scale 0 keeps its zeros; negative and tiny decimals', async () => {
    const [row] = await session.query<Record<string, string>>(
      `SELECT ${canonicalText(`1500::DECIMAL(10,0)`, 'DECIMAL(10,0)')} AS a, ${canonicalText(`0::DECIMAL(5)`, 'DECIMAL(5)')} AS b,
              ${canonicalText(`'-0.50'::DECIMAL(5,2)`, 'DECIMAL(5,2)')} AS c, ${canonicalText(`'0.0000001'::DECIMAL(18,7)`, 'DECIMAL(18,7)')} AS d,
              ${canonicalText(`'0.000001'::DECIMAL(18,7)`, 'DECIMAL(18,7)')} AS e, ${canonicalText(`2.500::DECIMAL`, 'DECIMAL')} AS f`,
    );
    assert.deepEqual(row, { a: '1500', b: '0', c: '-0.5', d: '1e-7', e: '0.000001', f: '2.5' });
  });

  test('digestToIntegers: the first 128 bits of a hex digest as two UBIGINTs', async () => {
    const hex = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';
    const { expressions, type } = digestToIntegers(`'${hex}'`);
    assert.equal(type, 'UBIGINT');
    const [row] = await session.query<{ a: bigint; b: bigint }>(
      `SELECT ${expressions[0]} AS a, ${expressions[1]} AS b`,
    );
    assert.deepEqual(row, { a: BigInt(`0x${hex.slice(0, 16)}`), b: BigInt(`0x${hex.slice(16, 32)}`) });
  });

  test('hashText gives lowercase hex of the right length per algorithm', async () => {
    const [row] = await session.query<Record<string, string>>(
      `SELECT ${hashText(`'abc'`, 'md5')} AS md5, ${hashText(`'abc'`, 'sha1')} AS sha1, ${hashText(`'abc'`, 'sha256')} AS sha256`,
    );
    assert.equal(row?.md5, '900150983cd24fb0d6963f7d28e17f72');
    assert.equal(row?.sha1, 'a9993e364706816aba3e25717850c26c9cd0d89d');
    assert.equal(row?.sha256, 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});
