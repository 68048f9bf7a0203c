import type { ContractType } from '../../records/contract-types.ts';
import type { Dialect } from '../dialect.ts';
import { describePostgresError } from './errors.ts';
import { canonicalText, hashText } from './hashing.ts';

/**
 * PostgreSQL's SQL spelling (15 and later). Capabilities, each proved on the server by
 * test/engine-conformance.test.ts:
 * - supportsMerge: MERGE exists since 15, and the run layer's statement (incremental.ts: target and
 *   source aliased, `UPDATE SET "c" = __vl_new."c"` without a qualifier on the left, `DO NOTHING`)
 *   runs as generated.
 * - supportsTransactionalDdl: CREATE/DROP/ALTER inside BEGIN … ROLLBACK are undone.
 * - supportsCreateOrReplace: false. There is no CREATE OR REPLACE TABLE, and CREATE OR REPLACE VIEW
 *   cannot drop or retype a column — so materializations DROP then CREATE, inside their transaction.
 *
 * Literals assume `standard_conforming_strings = on`, which every session sets on each connection:
 * a backslash in '…' is an ordinary character, only the quote is doubled.
 */
export const postgresDialect: Dialect = {
  name: 'postgres',
  capabilities: {
    supportsMerge: true,
    supportsTransactionalDdl: true,
    supportsCreateOrReplace: false,
  },
  quoteIdentifier(name: string): string {
    return `"${name.replaceAll('"', '""')}"`;
  },
  relation(schema: string, name: string): string {
    return `${this.quoteIdentifier(schema)}.${this.quoteIdentifier(name)}`;
  },
  literal(value: string | number | boolean | null): string {
    if (value === null) return 'NULL';
    if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) return `'${String(value)}'::double precision`;
      return String(value);
    }
    return `'${value.replaceAll("'", "''")}'`;
  },
  canonicalText,
  hashText,
  contractType,
  /**
   * `json`, not `jsonb`: json keeps the text exactly as appended (key order, spacing, duplicate keys,
   * number spelling), so `_record` reads back byte for byte and hashes the same as on DuckDB. It has
   * no equality operator: DISTINCT, GROUP BY or UNION over it need a cast (`::jsonb` or `::text`).
   */
  jsonType: 'json',
  describeError: describePostgresError,
};

function contractType(type: ContractType): string {
  switch (type.kind) {
    case 'text':
      return 'text';
    case 'smallint':
      return 'smallint';
    case 'integer':
      return 'integer';
    case 'bigint':
      return 'bigint';
    case 'double':
      return 'double precision';
    case 'decimal':
      return `numeric(${type.precision},${type.scale})`;
    case 'boolean':
      return 'boolean';
    case 'date':
      return 'date';
    case 'timestamp':
      return 'timestamp';
    case 'json':
      // As _record: the declared JSON value's text exactly (see jsonType).
      return 'json';
  }
}
