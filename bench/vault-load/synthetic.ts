/**
 * Synthetic staging for the vault benchmark, generated inside DuckDB with range(): one row per
 * customer at the first load_ts (the full batch), then batches where 1% of the customers changed.
 */
export const STAGING = 'staging.stg_customers';

const FIRST_LOAD = '2024-01-01 00:00:00';

function rows(size: number, where: string, version: number, loadTs: string): string {
  return `SELECT
    'C' || lpad(CAST(i AS VARCHAR), 9, '0') AS customer_id,
    'name_' || CAST(i % 100003 AS VARCHAR) || '_v${version}' AS name,
    CAST(((i * 37 + ${version}) % 10000000) / 100 AS DECIMAL(18,2)) AS amount,
    CAST(i % 1000 AS DOUBLE) / 7 + ${version} AS score,
    DATE '2015-01-01' + CAST(i % 3650 AS INTEGER) AS since,
    -- One landed object per 1,000 records, as paged API answers give: the vault's boundary is the
    -- set of objects read (vault_read_keys), so the benchmark pays for that anti-join.
    'bench/crm/v${version}/' || CAST(i // 1000 AS VARCHAR) AS _landing_key,
    TIMESTAMP '${loadTs}' AS load_ts,
    'bench.crm' AS record_source
  FROM range(${size}) AS t(i)${where ? ` WHERE ${where}` : ''}`;
}

/** The full batch: `size` customers at the first load_ts. */
export function createStagingSql(size: number): string[] {
  return [
    'CREATE SCHEMA IF NOT EXISTS staging',
    `CREATE OR REPLACE TABLE ${STAGING} AS ${rows(size, '', 1, FIRST_LOAD)}`,
  ];
}

/** Batch `n` (1, 2, …): 1% of the customers, each with changed attributes, one day later each time. */
export function appendChangedBatchSql(size: number, n: number): string {
  const loadTs = `2024-01-${String(1 + n).padStart(2, '0')} 00:00:00`;
  return `INSERT INTO ${STAGING} ${rows(size, `i % 100 = ${n % 100}`, 1 + n, loadTs)}`;
}

export const VAULT_YAML = `
vault:
  hubs:
    - { name: hub_customer, business_key: [customer_id], sources: [stg_customers] }
  satellites:
    - { name: sat_customer, parent: hub_customer, source: stg_customers, attributes: [name, amount, score, since] }
`;
