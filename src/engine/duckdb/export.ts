import type { ExportInput, ExportSql } from '../export.ts';
import { duckdbDialect } from './dialect.ts';

/** Parquet has no 128-bit integers: DuckDB would write them as DOUBLE and round anything over 2^53. */
const PARQUET_EXACT: Record<string, string> = { HUGEINT: 'DECIMAL(38,0)', UHUGEINT: 'DECIMAL(38,0)' };

/**
 * COPY … TO: Parquet with zstd (column types kept: DECIMAL, TIMESTAMP, lists and structs; 128-bit
 * integers such as `sum(bigint)` as DECIMAL(38,0), exact — a value beyond 38 digits fails the export
 * rather than being rounded); CSV with a header row and RFC 4180 quoting, values in DuckDB's text
 * rendering (timestamps `2026-01-01 10:15:00.123`, TIMESTAMPTZ with its offset).
 */
export const duckdbExport: ExportSql = {
  async exportRelation(session, input) {
    // DuckDB's COPY returns one row whose first column is the number of rows written.
    const [row] = await session.query(copyTo(input));
    return Number(Object.values(row ?? {})[0] ?? Number.NaN);
  },
};

/** The one COPY statement writing the relation. */
export function copyTo({ relation, columns, path, format }: ExportInput): string {
  const q = (name: string) => duckdbDialect.quoteIdentifier(name);
  const select =
    format === 'parquet' && columns.some((c) => PARQUET_EXACT[c.dataType])
      ? columns
          .map((c) => {
            const exact = PARQUET_EXACT[c.dataType];
            return exact ? `CAST(${q(c.name)} AS ${exact}) AS ${q(c.name)}` : q(c.name);
          })
          .join(', ')
      : '*';
  const options =
    format === 'parquet'
      ? 'FORMAT parquet, COMPRESSION zstd'
      : "FORMAT csv, HEADER true, DELIMITER ',', QUOTE '\"'";
  return `COPY (SELECT ${select} FROM ${relation}) TO ${duckdbDialect.literal(path)} (${options})`;
}
