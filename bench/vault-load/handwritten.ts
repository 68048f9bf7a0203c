/**
 * The comparison point: the satellite load written by hand as one DuckDB statement, the way a
 * competent engineer would without a framework — hash the new staging rows, order each key's rows,
 * keep a row when its hashdiff differs from the previous one (or from the key's latest satellite row,
 * found by scanning the satellite), insert. Same hash expressions as vaultline (the standard is not
 * what is measured). It keeps no current-state table, writes no audit, does not number rows sharing
 * a load_ts and does not count skipped rows.
 */
import { duckdbDialect } from '../../src/engine/duckdb/dialect.ts';
import { DEFAULT_HASHING, hashDiffSql, hashKeySql } from '../../src/vault/hashing.ts';
import { STAGING } from './synthetic.ts';

export const HAND_TABLE = 'vault.sat_customer_hand';

const col = (name: string, type: string) => ({ name, expression: `s.${name}`, type });

export const HAND_DDL = `CREATE TABLE IF NOT EXISTS ${HAND_TABLE} (
  hk_customer VARCHAR NOT NULL, load_ts TIMESTAMP NOT NULL, load_seq INTEGER NOT NULL, record_source VARCHAR NOT NULL,
  hashdiff VARCHAR NOT NULL, name VARCHAR, amount DECIMAL(18,2), score DOUBLE, since DATE)`;

export function handwrittenSatelliteSql(): string {
  const hk = hashKeySql([[col('customer_id', 'VARCHAR')]], DEFAULT_HASHING, duckdbDialect);
  const hd = hashDiffSql(
    [col('name', 'VARCHAR'), col('amount', 'DECIMAL(18,2)'), col('score', 'DOUBLE'), col('since', 'DATE')],
    DEFAULT_HASHING,
    duckdbDialect,
  );
  return `INSERT INTO ${HAND_TABLE}
WITH batch AS (
  SELECT ${hk} AS hk, ${hd} AS hashdiff, s.load_ts, s.record_source, s.name, s.amount, s.score, s.since
  FROM ${STAGING} AS s
  WHERE s.load_ts > (SELECT coalesce(max(load_ts), TIMESTAMP '0001-01-01') FROM ${HAND_TABLE})
), latest AS (
  SELECT hk_customer AS hk, arg_max(hashdiff, load_ts) AS hashdiff FROM ${HAND_TABLE} GROUP BY hk_customer
), ordered AS (
  SELECT b.*, lag(b.hashdiff) OVER (PARTITION BY b.hk ORDER BY b.load_ts, b.hashdiff) AS prev
  FROM batch AS b WHERE b.hk IS NOT NULL
)
SELECT o.hk, o.load_ts, 0, o.record_source, o.hashdiff, o.name, o.amount, o.score, o.since
FROM ordered AS o LEFT JOIN latest AS l ON l.hk = o.hk
WHERE o.hashdiff IS DISTINCT FROM coalesce(o.prev, l.hashdiff)`;
}
