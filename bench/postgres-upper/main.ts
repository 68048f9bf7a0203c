// The hashing standard's upper on PostgreSQL, 1M rows per kind of text: vaultline_meta.vl_upper
// (ASCII inlined, blocks translated) against one translate() over DuckDB's whole table, inlined
// in the statement, and PostgreSQL's own upper() for scale.
// `VAULTLINE_BENCH_POSTGRES_URL=postgres://… node --import tsx bench/postgres-upper/main.ts`
import pg from 'pg';
import { hashingSetupStatements, upperText } from '../../src/engine/postgres/hashing.ts';
import { UPPER_MAPPINGS } from '../../src/engine/postgres/unicode-tables.ts';

const url = process.env.VAULTLINE_BENCH_POSTGRES_URL;
if (!url)
  throw new Error('set VAULTLINE_BENCH_POSTGRES_URL to a PostgreSQL database to write scratch tables in');
const rows = Number(process.env.ROWS ?? 1_000_000);
const client = new pg.Client({ connectionString: url });
await client.connect();
await client.query('BEGIN');
for (const sql of hashingSetupStatements()) await client.query(sql);
await client.query('COMMIT');
await client.query('SET max_parallel_workers_per_gather = 0');
await client.query('SET jit = off');

const literal = (cps: number[]) => `'${String.fromCodePoint(...cps).replaceAll("'", "''")}'`;
const wholeTable = `translate(t, ${literal(UPPER_MAPPINGS.map(([f]) => f))}, ${literal(UPPER_MAPPINGS.map(([, u]) => u))})`;
const kinds: Record<string, string> = {
  ascii: `'customer-' || g`,
  latin: `'München straße ' || g`,
  greek: `'Αθήνα οδός ' || g`,
  cyrillic: `'Москва улица ' || g`,
  mixed: `CASE WHEN g % 10 = 0 THEN 'São Paulo ' ELSE 'customer-' END || g`,
};
const ways: Record<string, string> = {
  'upper()': 'upper(t)',
  vl_upper: upperText('t'),
  'translate(whole table)': wholeTable,
};
for (const [kind, expression] of Object.entries(kinds)) {
  await client.query('DROP TABLE IF EXISTS vl_bench_upper');
  await client.query(
    `CREATE TABLE vl_bench_upper AS SELECT ${expression} AS t FROM generate_series(1, ${rows}) AS g`,
  );
  for (const [way, sql] of Object.entries(ways)) {
    // The whole-table translate is ~100 µs a row: 20 000 rows, scaled, say enough.
    const n = way.startsWith('translate') ? Math.min(rows, 20_000) : rows;
    const started = performance.now();
    await client.query(`SELECT count(DISTINCT ${sql}) FROM (SELECT t FROM vl_bench_upper LIMIT ${n}) AS s`);
    const ms = ((performance.now() - started) * rows) / n;
    console.log(
      `${kind.padEnd(9)} ${way.padEnd(23)} ${(ms / 1000).toFixed(2).padStart(7)} s per ${rows} rows`,
    );
  }
}
await client.query('DROP TABLE IF EXISTS vl_bench_upper');
await client.end();
