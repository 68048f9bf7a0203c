import type { ContractType } from '../../records/contract-types.ts';
import type { Dialect, DialectTypes } from '../dialect.ts';
import { qualifiedName, quoteIdentifier, standardLiteral } from '../sql-text.ts';
import { describeDuckDbError } from './errors.ts';
import { canonicalText, digestToIntegers, hashText } from './hashing.ts';
import { duckdbTypeFamily } from './type-family.ts';

const types: DialectTypes = {
  text: 'VARCHAR',
  integer: 'INTEGER',
  bigint: 'BIGINT',
  double: 'DOUBLE',
  boolean: 'BOOLEAN',
  timestamp: 'TIMESTAMP',
  date: 'DATE',
};

/**
 * DuckDB's SQL spelling. Capabilities were checked against @duckdb/node-api 1.5.6: `MERGE INTO … WHEN
 * MATCHED THEN UPDATE … WHEN NOT MATCHED THEN INSERT` works, and CREATE/DROP inside BEGIN … ROLLBACK is
 * undone (src/engine/duckdb/session.test.ts proves both). Views bind late: a view is bound when it is
 * queried, so replacing or dropping what it reads never fails (also checked there).
 */
export const duckdbDialect: Dialect = {
  name: 'duckdb',
  capabilities: {
    supportsMerge: true,
    supportsTransactionalDdl: true,
    createOrReplace: { table: true, view: true },
    lateBoundViews: true,
  },
  defaultSchema: 'main',
  types,
  maxIdentifierLength: Number.POSITIVE_INFINITY,
  quoteIdentifier,
  relation: qualifiedName,
  literal: (value) => standardLiteral(value, 'DOUBLE'),
  timestampLiteral(text: string): string {
    return `TIMESTAMP ${this.literal(text)}`;
  },
  timestampText(expression: string): string {
    // `2024-01-02 03:04:05` or `… 03:04:05.5` (fractional digits only as far as they are not zero):
    // read back exactly by TIMESTAMP '…', and in text order as the timestamps are (a shorter text
    // is a prefix of the longer one within the same second).
    return `CAST(${expression} AS VARCHAR)`;
  },
  // DuckDB's default collation is binary: text already compares by code point.
  byteOrder: (expression: string) => expression,
  typeFamily: duckdbTypeFamily,
  canonicalText,
  hashText,
  // DuckDB's upper() and trim() are the reference for the standard's (src/engine/dialect.ts).
  upperText: (expression: string) => `upper(${expression})`,
  trimText: (expression: string) => `trim(${expression})`,
  digestToIntegers,
  contractType,
  jsonType: 'JSON',
  describeError: describeDuckDbError,
};

function contractType(type: ContractType): string {
  switch (type.kind) {
    case 'text':
      return types.text;
    case 'smallint':
      return 'SMALLINT';
    case 'integer':
      return 'INTEGER';
    case 'bigint':
      return 'BIGINT';
    case 'double':
      return 'DOUBLE';
    case 'decimal':
      return `DECIMAL(${type.precision}, ${type.scale})`;
    case 'boolean':
      return 'BOOLEAN';
    case 'date':
      return 'DATE';
    case 'timestamp':
      return 'TIMESTAMP';
    case 'json':
      return 'JSON';
  }
}
