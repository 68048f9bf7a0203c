import { createHash } from 'node:crypto';
import type { ContractType } from '../../records/contract-types.ts';
import type { Dialect, DialectTypes } from '../dialect.ts';
import { qualifiedName, quoteIdentifier, standardLiteral } from '../sql-text.ts';
import { describePostgresError } from './errors.ts';
import { canonicalText, hashText, trimText, upperText } from './hashing.ts';
import { pgTypeFamily } from './type-family.ts';

/** `DOUBLE` and `VARCHAR`-as-text are DuckDB's; PostgreSQL's own spellings. */
const types: DialectTypes = {
  text: 'text',
  integer: 'integer',
  bigint: 'bigint',
  double: 'double precision',
  boolean: 'boolean',
  timestamp: 'timestamp',
  date: 'date',
};

/**
 * PostgreSQL's SQL spelling (15 and later). Capabilities, each proved on the server by
 * test/engine-conformance.test.ts:
 * - supportsMerge: MERGE exists since 15, and the run layer's statement (incremental.ts: target and
 *   source aliased, `UPDATE SET "c" = __vl_new."c"` without a qualifier on the left, `DO NOTHING`)
 *   runs as generated.
 * - supportsTransactionalDdl: CREATE/DROP/ALTER inside BEGIN … ROLLBACK are undone.
 * - createOrReplace: views only. There is no CREATE OR REPLACE TABLE, and CREATE OR REPLACE VIEW
 *   cannot drop or retype a column.
 * - lateBoundViews: false. A view is bound to the relations it reads when it is created: DROP fails
 *   while views depend on a relation, so the run layer swaps relations (src/run/materializations/target.ts).
 *
 * Literals assume `standard_conforming_strings = on`, which every session sets on each connection:
 * a backslash in '…' is an ordinary character, only the quote is doubled.
 */
export const postgresDialect: Dialect = {
  name: 'postgres',
  capabilities: {
    supportsMerge: true,
    supportsTransactionalDdl: true,
    createOrReplace: { table: false, view: true },
    lateBoundViews: false,
  },
  /** Unqualified names go to `public` (the default search_path). */
  defaultSchema: 'public',
  types,
  /** NAMEDATALEN - 1: the server truncates a longer identifier (with a NOTICE only). */
  maxIdentifierLength: 63,
  quoteIdentifier,
  relation: qualifiedName,
  literal: (value) => standardLiteral(value, 'double precision'),
  timestampLiteral,
  timestampText,
  // The database's collation (often a linguistic one: en-US says 'a' < 'B') would order text
  // differently from DuckDB; "C" compares bytes, which for UTF-8 is code point order.
  byteOrder: (expression: string) => `(${expression} COLLATE "C")`,
  typeFamily: pgTypeFamily,
  canonicalText,
  hashText,
  upperText,
  trimText,
  contractType,
  lookupIndex,
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

/**
 * `CREATE INDEX IF NOT EXISTS` for equality lookups (Dialect.lookupIndex). One column: a hash index —
 * the vault's keys are hex digests, probed by equality only, and a B-tree would compare them under
 * the column's collation (with a libc or ICU collation such as C.UTF-8 or en_US.UTF-8, building or
 * filling a B-tree of a million 64-character keys is several times slower than hashing them). Several
 * columns: a B-tree. The name is the table's, shortened, with a digest of table and columns, so it
 * stays unique within the 63 bytes PostgreSQL keeps of a name.
 */
function lookupIndex(relation: { schema: string; name: string }, columns: readonly string[]): string {
  const digest = createHash('sha256')
    .update(JSON.stringify([relation.schema, relation.name, columns]))
    .digest('hex')
    .slice(0, 10);
  let prefix = relation.name.slice(0, 40);
  while (Buffer.byteLength(prefix) > 40) prefix = prefix.slice(0, -1);
  const name = `${prefix}_${digest}_vl`;
  const q = (n: string) => postgresDialect.quoteIdentifier(n);
  const method = columns.length === 1 ? ' USING hash' : '';
  return `CREATE INDEX IF NOT EXISTS ${q(name)} ON ${postgresDialect.relation(relation.schema, relation.name)}${method} (${columns.map(q).join(', ')})`;
}

/** `TIMESTAMP '2024-01-02 03:04:05.123456'` (timestamp without time zone, read as written). */
function timestampLiteral(text: string): string {
  return `TIMESTAMP '${text.replaceAll("'", "''")}'`;
}

/**
 * Always six fractional digits, whatever DateStyle says (a bare `::text` follows DateStyle): read back
 * exactly by timestampLiteral, and fixed width, so text order is time order. The CAST gives to_char
 * one signature also for a bare NULL (`to_char(NULL, …)` is ambiguous).
 */
function timestampText(expression: string): string {
  return `to_char(CAST(${expression} AS timestamp), 'YYYY-MM-DD HH24:MI:SS.US')`;
}
