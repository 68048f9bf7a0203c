import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type ContractType, contractTypeName, parseContractType } from './contract-types.ts';

const cases: [string, ContractType][] = [
  ['text', { kind: 'text' }],
  ['varchar', { kind: 'text' }],
  ['string', { kind: 'text' }],
  ['varchar(255)', { kind: 'text' }],
  ['VARCHAR ( 10 )', { kind: 'text' }],
  ['smallint', { kind: 'smallint' }],
  ['int2', { kind: 'smallint' }],
  ['integer', { kind: 'integer' }],
  ['int', { kind: 'integer' }],
  ['int4', { kind: 'integer' }],
  ['INT', { kind: 'integer' }],
  ['  Integer  ', { kind: 'integer' }],
  ['bigint', { kind: 'bigint' }],
  ['int8', { kind: 'bigint' }],
  ['long', { kind: 'bigint' }],
  ['double', { kind: 'double' }],
  ['float', { kind: 'double' }],
  ['float8', { kind: 'double' }],
  ['double precision', { kind: 'double' }],
  ['Double   Precision', { kind: 'double' }],
  ['real', { kind: 'double' }],
  ['float4', { kind: 'double' }],
  ['decimal', { kind: 'decimal', precision: 18, scale: 3 }],
  ['numeric', { kind: 'decimal', precision: 18, scale: 3 }],
  ['decimal(10)', { kind: 'decimal', precision: 10, scale: 0 }],
  ['decimal(10,2)', { kind: 'decimal', precision: 10, scale: 2 }],
  ['NUMERIC( 12 , 4 )', { kind: 'decimal', precision: 12, scale: 4 }],
  ['decimal(1,0)', { kind: 'decimal', precision: 1, scale: 0 }],
  ['decimal(38,38)', { kind: 'decimal', precision: 38, scale: 38 }],
  ['decimal(38)', { kind: 'decimal', precision: 38, scale: 0 }],
  ['boolean', { kind: 'boolean' }],
  ['bool', { kind: 'boolean' }],
  ['date', { kind: 'date' }],
  ['timestamp', { kind: 'timestamp' }],
  ['datetime', { kind: 'timestamp' }],
  ['json', { kind: 'json' }],
  ['jsonb', { kind: 'json' }],
  ['JSONB', { kind: 'json' }],
];

describe('parseContractType', () => {
  test('every accepted spelling', () => {
    for (const [text, type] of cases) assert.deepEqual(parseContractType(text), { type }, text);
  });

  test('canonical names round-trip', () => {
    for (const [, type] of cases) assert.deepEqual(parseContractType(contractTypeName(type)), { type });
  });

  test('decimal bounds', () => {
    const errors: [string, RegExp][] = [
      ['decimal(0)', /^decimal precision must be between 1 and 38, got 0 in "decimal\(0\)"$/],
      ['decimal(39,2)', /^decimal precision must be between 1 and 38, got 39/],
      [
        'decimal(5,6)',
        /^decimal scale must be between 0 and the precision \(5\), got 6 in "decimal\(5,6\)"$/,
      ],
      [
        'decimal(10,-1)',
        /^malformed data_type "decimal\(10,-1\)": write decimal, decimal\(p\) or decimal\(p,s\)/,
      ],
      ['decimal(10,2', /^malformed data_type "decimal\(10,2"/],
      ['numeric(a,b)', /^malformed data_type "numeric\(a,b\)"/],
      ['decimal(10.5)', /^malformed data_type/],
      ['varchar(0)', /^varchar length must be at least 1/],
      ['varchar(n)', /^malformed data_type "varchar\(n\)": write varchar or varchar\(n\)/],
    ];
    for (const [text, pattern] of errors) {
      const result = parseContractType(text);
      assert.ok('error' in result, text);
      assert.match(result.error, pattern, text);
    }
  });

  test('unknown names list the accepted ones, with a did-you-mean for a near miss', () => {
    const near: [string, string][] = [
      ['integr', 'integer'],
      ['bigin', 'bigint'],
      ['doubel', 'double'],
      ['timestmp', 'timestamp'],
      ['boolen', 'boolean'],
      ['jsn', 'json'],
      ['Strng', 'string'],
    ];
    for (const [text, suggestion] of near) {
      const result = parseContractType(text);
      assert.ok('error' in result, text);
      assert.ok(
        result.error.startsWith(
          `unknown data_type "${text}" (did you mean "${suggestion}"?); accepted: text,`,
        ),
        result.error,
      );
    }
    const far = parseContractType('geometry');
    assert.ok('error' in far);
    assert.ok(
      far.error.startsWith('unknown data_type "geometry"; accepted: text, varchar, varchar(n), string,'),
    );
    assert.ok(far.error.includes('decimal(p,s) (1 ≤ p ≤ 38, 0 ≤ s ≤ p; default 18,3)'));
    assert.ok(far.error.endsWith('json, jsonb'));
  });

  test('empty, prototype keys and non-strings', () => {
    const blank = parseContractType('');
    assert.ok('error' in blank && blank.error.startsWith('data_type is empty; accepted: text,'));
    const empty = parseContractType('  ');
    assert.ok('error' in empty && empty.error.startsWith('data_type is empty; accepted: text,'));
    for (const text of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      assert.ok('error' in parseContractType(text), text);
    }
    assert.ok('error' in parseContractType(42 as unknown as string));
  });

  test('each call returns a fresh object', () => {
    const a = parseContractType('integer');
    const b = parseContractType('integer');
    assert.ok('type' in a && 'type' in b);
    assert.notEqual(a.type, b.type);
  });
});

describe('contractTypeName', () => {
  test('canonical portable names', () => {
    assert.equal(contractTypeName({ kind: 'text' }), 'text');
    assert.equal(contractTypeName({ kind: 'smallint' }), 'smallint');
    assert.equal(contractTypeName({ kind: 'integer' }), 'integer');
    assert.equal(contractTypeName({ kind: 'bigint' }), 'bigint');
    assert.equal(contractTypeName({ kind: 'double' }), 'double');
    assert.equal(contractTypeName({ kind: 'decimal', precision: 18, scale: 3 }), 'decimal(18,3)');
    assert.equal(contractTypeName({ kind: 'decimal', precision: 10, scale: 0 }), 'decimal(10,0)');
    assert.equal(contractTypeName({ kind: 'boolean' }), 'boolean');
    assert.equal(contractTypeName({ kind: 'date' }), 'date');
    assert.equal(contractTypeName({ kind: 'timestamp' }), 'timestamp');
    assert.equal(contractTypeName({ kind: 'json' }), 'json');
  });
});
