import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { finalizeStructure, mergeStructures, structureColumns, structureType } from './json-structure.ts';

const q = (n: string) => `"${n}"`;

describe('JSON structures', () => {
  test('merging widens without losing values', () => {
    assert.equal(mergeStructures('NULL', 'VARCHAR'), 'VARCHAR');
    assert.equal(mergeStructures('UBIGINT', 'UBIGINT'), 'UBIGINT');
    assert.equal(mergeStructures('UBIGINT', 'BIGINT'), 'HUGEINT');
    assert.equal(mergeStructures('BIGINT', 'DOUBLE'), 'DOUBLE');
    assert.equal(mergeStructures('BOOLEAN', 'DOUBLE'), 'VARCHAR');
    assert.equal(mergeStructures('VARCHAR', 'JSON'), 'JSON');
    assert.equal(mergeStructures({ a: 'VARCHAR' }, ['VARCHAR']), 'JSON');
    assert.deepEqual(mergeStructures(['UBIGINT'], ['DOUBLE']), ['DOUBLE']);
    assert.deepEqual(
      mergeStructures(
        { a: 'UBIGINT', b: { x: 'NULL' } },
        { c: 'VARCHAR', b: { x: 'BOOLEAN', y: 'VARCHAR' } },
      ),
      {
        a: 'UBIGINT',
        b: { x: 'BOOLEAN', y: 'VARCHAR' },
        c: 'VARCHAR',
      },
    );
  });

  test('finalizing: only-null fields and empty objects become JSON, UBIGINT becomes BIGINT', () => {
    assert.deepEqual(finalizeStructure({ a: 'NULL', b: 'UBIGINT', c: {}, d: ['NULL'] }), {
      a: 'JSON',
      b: 'BIGINT',
      c: 'JSON',
      d: ['JSON'],
    });
  });

  test('types and columns', () => {
    assert.equal(
      structureType({ a: ['DOUBLE'], 'odd "name"': { x: 'VARCHAR' } }, q),
      'STRUCT("a" DOUBLE[], "odd "name"" STRUCT("x" VARCHAR))',
    );
    assert.deepEqual(structureColumns(['BIGINT']), [{ name: 'value', structure: ['BIGINT'] }]);
    assert.deepEqual(structureColumns({ id: 'BIGINT' }), [{ name: 'id', structure: 'BIGINT' }]);
  });
});
