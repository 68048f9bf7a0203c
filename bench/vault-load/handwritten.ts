/**
 * The comparison points: the satellite and hub loads written by hand, each as one statement, the way a
 * competent engineer would without a framework — with the same hash expressions as vaultline (the
 * standard is not what is measured), taken from the engine's dialect.
 *
 * Satellite: hash the staging rows newer than the satellite's newest load_ts, order each key's rows,
 * keep a row when its hashdiff differs from the previous one (or from the key's latest satellite row,
 * found by scanning the satellite: DuckDB `arg_max`, PostgreSQL `DISTINCT ON`), insert. It keeps no
 * current-state table, writes no audit, does not number rows sharing a load_ts and does not count
 * skipped rows.
 *
 * Hub: hash the staging rows newer than the hub's newest load_ts, keep each new key's first row (by
 * load_ts, record_source), insert the keys the hub does not hold (an anti-join on the hub).
 */
import type { Dialect } from '../../src/engine/dialect.ts';
import { DEFAULT_HASHING, hashDiffSql, hashKeySql } from '../../src/vault/hashing.ts';
import { STAGING } from './synthetic.ts';

export const HAND_TABLE = 'vault.sat_customer_hand';
export const HAND_HUB_TABLE = 'vault.hub_customer_hand';

const col = (name: string, type: string) => ({ name, expression: `s.${name}`, type });

/** The staging columns' types as the engine's catalog spells them (what vaultline hashes by). */
function typesOf(dialect: Dialect) {
  return dialect.name === 'postgres'
    ? { text: 'text', amount: 'numeric(18,2)', double: 'double precision', date: 'date' }
    : { text: 'VARCHAR', amount: 'DECIMAL(18,2)', double: 'DOUBLE', date: 'DATE' };
}

const hashKey = (dialect: Dialect) =>
  hashKeySql([[col('customer_id', typesOf(dialect).text)]], DEFAULT_HASHING, dialect);

export function handDdl(dialect: Dialect): string[] {
  const t = dialect.types;
  const types = typesOf(dialect);
  return [
    'CREATE SCHEMA IF NOT EXISTS vault',
    `CREATE TABLE IF NOT EXISTS ${HAND_TABLE} (
  hk_customer ${t.text} NOT NULL, load_ts ${t.timestamp} NOT NULL, load_seq ${t.integer} NOT NULL, record_source ${t.text} NOT NULL,
  hashdiff ${t.text} NOT NULL, name ${t.text}, amount ${types.amount}, score ${t.double}, since ${t.date})`,
    `CREATE TABLE IF NOT EXISTS ${HAND_HUB_TABLE} (
  hk_customer ${t.text} NOT NULL, customer_id ${t.text}, load_ts ${t.timestamp} NOT NULL, record_source ${t.text} NOT NULL)`,
  ];
}

export function handwrittenSatelliteSql(dialect: Dialect): string {
  const types = typesOf(dialect);
  const hk = hashKey(dialect);
  const hd = hashDiffSql(
    [
      col('name', types.text),
      col('amount', types.amount),
      col('score', types.double),
      col('since', types.date),
    ],
    DEFAULT_HASHING,
    dialect,
  );
  const latest =
    dialect.name === 'postgres'
      ? `SELECT DISTINCT ON (hk_customer) hk_customer AS hk, hashdiff FROM ${HAND_TABLE} ORDER BY hk_customer, load_ts DESC`
      : `SELECT hk_customer AS hk, arg_max(hashdiff, load_ts) AS hashdiff FROM ${HAND_TABLE} GROUP BY hk_customer`;
  return `INSERT INTO ${HAND_TABLE}
WITH batch AS (
  SELECT ${hk} AS hk, ${hd} AS hashdiff, s.load_ts, s.record_source, s.name, s.amount, s.score, s.since
  FROM ${STAGING} AS s
  WHERE s.load_ts > (SELECT coalesce(max(load_ts), TIMESTAMP '0001-01-01') FROM ${HAND_TABLE})
), latest AS (
  ${latest}
), ordered AS (
  SELECT b.*, lag(b.hashdiff) OVER (PARTITION BY b.hk ORDER BY b.load_ts, b.hashdiff) AS prev
  FROM batch AS b WHERE b.hk IS NOT NULL
)
SELECT o.hk, o.load_ts, 0, o.record_source, o.hashdiff, o.name, o.amount, o.score, o.since
FROM ordered AS o LEFT JOIN latest AS l ON l.hk = o.hk
WHERE o.hashdiff IS DISTINCT FROM coalesce(o.prev, l.hashdiff)`;
}

export function handwrittenHubSql(dialect: Dialect): string {
  const hk = hashKey(dialect);
  return `INSERT INTO ${HAND_HUB_TABLE} (hk_customer, customer_id, load_ts, record_source)
SELECT b.hk, b.customer_id, b.load_ts, b.record_source FROM (
  SELECT h.*, row_number() OVER (PARTITION BY h.hk ORDER BY h.load_ts, h.record_source) AS n FROM (
    SELECT ${hk} AS hk, s.customer_id, s.load_ts, s.record_source
    FROM ${STAGING} AS s
    WHERE s.load_ts > (SELECT coalesce(max(load_ts), TIMESTAMP '0001-01-01') FROM ${HAND_HUB_TABLE})
  ) AS h WHERE h.hk IS NOT NULL
) AS b
WHERE b.n = 1 AND NOT EXISTS (SELECT 1 FROM ${HAND_HUB_TABLE} AS e WHERE e.hk_customer = b.hk)`;
}
