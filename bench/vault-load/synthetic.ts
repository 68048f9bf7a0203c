/**
 * Synthetic staging for the vault benchmark, generated inside the warehouse in one statement (DuckDB
 * `range()`, PostgreSQL `generate_series`): one row per customer at the first load_ts (the full
 * batch), then batches where 1% of the customers changed. Both engines get the same values.
 */
import type { Dialect } from '../../src/engine/dialect.ts';

export const STAGING = 'staging.stg_customers';

const FIRST_LOAD = '2024-01-01 00:00:00';

function rows(dialect: Dialect, size: number, where: string, version: number, loadTs: string): string {
  const pg = dialect.name === 'postgres';
  // DuckDB's `/` on integers is a DOUBLE division and `//` the integer one; PostgreSQL's `/` on
  // integers is the integer division.
  const cents = pg ? '100.0' : '100';
  const intDiv = pg ? '/' : '//';
  const series = pg ? `generate_series(0::bigint, ${size - 1}::bigint) AS t(i)` : `range(${size}) AS t(i)`;
  return `SELECT
    'C' || lpad(CAST(i AS ${dialect.types.text}), 9, '0') AS customer_id,
    'name_' || CAST(i % 100003 AS ${dialect.types.text}) || '_v${version}' AS name,
    CAST(((i * 37 + ${version}) % 10000000) / ${cents} AS DECIMAL(18,2)) AS amount,
    CAST(i % 1000 AS ${dialect.types.double}) / 7 + ${version} AS score,
    DATE '2015-01-01' + CAST(i % 3650 AS INTEGER) AS since,
    -- One landed object per 1,000 records, as paged API answers give: the vault's boundary is the
    -- set of objects read (vault_read_keys), so the benchmark pays for that anti-join.
    'bench/crm/v${version}/' || CAST(i ${intDiv} 1000 AS ${dialect.types.text}) AS _landing_key,
    TIMESTAMP '${loadTs}' AS load_ts,
    'bench.crm' AS record_source
  FROM ${series}${where ? ` WHERE ${where}` : ''}`;
}

/** The full batch: `size` customers at the first load_ts. */
export function createStagingSql(dialect: Dialect, size: number): string[] {
  const select = rows(dialect, size, '', 1, FIRST_LOAD);
  return [
    'CREATE SCHEMA IF NOT EXISTS staging',
    ...(dialect.capabilities.createOrReplace.table
      ? [`CREATE OR REPLACE TABLE ${STAGING} AS ${select}`]
      : [`DROP TABLE IF EXISTS ${STAGING}`, `CREATE TABLE ${STAGING} AS ${select}`]),
  ];
}

/** Batch `n` (1, 2, …): 1% of the customers, each with changed attributes, one day later each time. */
export function appendChangedBatchSql(dialect: Dialect, size: number, n: number): string {
  const loadTs = `2024-01-${String(1 + n).padStart(2, '0')} 00:00:00`;
  return `INSERT INTO ${STAGING} ${rows(dialect, size, `i % 100 = ${n % 100}`, 1 + n, loadTs)}`;
}

export const VAULT_YAML = `
vault:
  hubs:
    - { name: hub_customer, business_key: [customer_id], sources: [stg_customers] }
  satellites:
    - { name: sat_customer, parent: hub_customer, source: stg_customers, attributes: [name, amount, score, since] }
`;
