import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { to as copyTo } from 'pg-copy-streams';
import type { Column } from '../catalog.ts';
import { type Session, SqlError } from '../dialect.ts';
import { openDuckDbSession } from '../duckdb/session.ts';
import type { ExportInput, ExportSql } from '../export.ts';
import { copyRowsOut } from './copy-out.ts';
import { postgresDialect } from './dialect.ts';
import { statementFailure } from './errors.ts';
import { onSessionClient } from './session.ts';

/**
 * `vaultline export` on PostgreSQL. The server writes no client file, so rows come to the client with
 * `COPY (SELECT …) TO STDOUT`, streamed:
 * - CSV: the server's own CSV (header row, RFC 4180 quoting, NULL as an empty field) piped into the
 *   file; booleans spelled true/false as DuckDB writes them (PostgreSQL would write t/f), everything
 *   else in the server's text rendering (sessions run in UTC, ISO dates).
 * - Parquet: PostgreSQL cannot write it, so the rows are appended (in batches, as text) to a table in
 *   a scratch DuckDB file beside the output, with exact DuckDB types, and DuckDB writes the Parquet:
 *   smallint/integer/bigint/real/double → SMALLINT/INTEGER/BIGINT/FLOAT/DOUBLE; numeric(p,s) →
 *   DECIMAL(p,s) (p ≤ 38); an unconstrained numeric → the DECIMAL its values need, measured first
 *   (refused beyond 38 digits, or for NaN, rather than rounded); boolean, date, timestamp,
 *   timestamptz, time, uuid, bytea → BOOLEAN, DATE, TIMESTAMP, TIMESTAMPTZ, TIME, UUID, BLOB; json and
 *   jsonb → JSON (the text). Any other type (arrays, intervals, enums, …) is written as its
 *   PostgreSQL text (VARCHAR), which keeps the value exactly but not its type.
 */

const q = (name: string) => postgresDialect.quoteIdentifier(name);

const SIMPLE: Record<string, string> = {
  smallint: 'SMALLINT',
  integer: 'INTEGER',
  bigint: 'BIGINT',
  real: 'FLOAT',
  'double precision': 'DOUBLE',
  boolean: 'BOOLEAN',
  text: 'VARCHAR',
  date: 'DATE',
  'timestamp without time zone': 'TIMESTAMP',
  'timestamp with time zone': 'TIMESTAMPTZ',
  'time without time zone': 'TIME',
  uuid: 'UUID',
  bytea: 'BLOB',
  json: 'JSON',
  jsonb: 'JSON',
};

const MAX_DECIMAL = 38;
const BATCH_ROWS = 2048;

/** DuckDB's type for a PostgreSQL column; undefined for an unconstrained numeric (measured later). */
function duckdbType(dataType: string): string | undefined {
  const simple = SIMPLE[dataType];
  if (simple) return simple;
  if (/^(character varying|character)(\(\d+\))?$/.test(dataType)) return 'VARCHAR';
  if (/^timestamp\(\d\) without time zone$/.test(dataType)) return 'TIMESTAMP';
  if (/^timestamp\(\d\) with time zone$/.test(dataType)) return 'TIMESTAMPTZ';
  const decimal = /^numeric\((\d+),(\d+)\)$/.exec(dataType);
  if (decimal) return Number(decimal[1]) <= MAX_DECIMAL ? `DECIMAL(${decimal[1]},${decimal[2]})` : 'too-wide';
  if (dataType === 'numeric') return undefined;
  return 'VARCHAR';
}

/** The select-list item that renders a column as DuckDB will read its text. */
function exportedValue(column: Column, type: string): string {
  const name = q(column.name);
  // bytea prints as \x4142 (all hex); DuckDB's BLOB text wants \x41\x42.
  if (type === 'BLOB') return `regexp_replace(encode(${name}, 'hex'), '(..)', '\\\\x\\1', 'g')`;
  return name;
}

/** The DECIMAL an unconstrained numeric column's values fit exactly, or a reason it has none. */
async function measuredDecimal(session: Session, relation: string, column: Column): Promise<string> {
  const name = q(column.name);
  const [row] = await session.query<{ nans: bigint; scale: number | null; digits: number | null }>(
    `SELECT count(*) FILTER (WHERE ${name} = 'NaN') AS nans,
            max(scale(${name})) FILTER (WHERE ${name} <> 'NaN') AS scale,
            max(length(trunc(abs(${name}))::text)) FILTER (WHERE ${name} <> 'NaN') AS digits
     FROM ${relation}`,
  );
  const scale = row?.scale ?? 0;
  const digits = row?.digits ?? 1;
  const sql = `export of ${relation}`;
  if ((row?.nans ?? 0n) > 0n) {
    throw new SqlError(
      `column ${column.name} holds NaN, which Parquet's DECIMAL cannot hold; export it as CSV`,
      sql,
    );
  }
  if (digits + scale > MAX_DECIMAL) {
    throw new SqlError(
      `column ${column.name} (numeric) needs ${digits + scale} digits, more than Parquet's DECIMAL(38) holds exactly; cast it in the model or export as CSV`,
      sql,
    );
  }
  return `DECIMAL(${Math.max(digits + scale, 1)},${scale})`;
}

async function exportCsv(session: Session, { relation, columns, path }: ExportInput): Promise<number> {
  const list = columns
    .map((c) =>
      c.dataType === 'boolean'
        ? `CASE WHEN ${q(c.name)} THEN 'true' WHEN NOT ${q(c.name)} THEN 'false' END AS ${q(c.name)}`
        : q(c.name),
    )
    .join(', ');
  const sql = `COPY (SELECT ${list} FROM ${relation}) TO STDOUT (FORMAT csv, HEADER true)`;
  return onSessionClient(session, sql, async ({ client }) => {
    const stream = client.query(copyTo(sql));
    try {
      await pipeline(stream, createWriteStream(path));
    } catch (error) {
      throw statementFailure(error, sql);
    }
    return stream.rowCount ?? Number.NaN;
  });
}

async function exportParquet(session: Session, input: ExportInput): Promise<number> {
  const { relation, columns, path } = input;
  const types: string[] = [];
  for (const column of columns) {
    const type = duckdbType(column.dataType) ?? (await measuredDecimal(session, relation, column));
    if (type === 'too-wide') {
      throw new SqlError(
        `column ${column.name} is ${column.dataType}, wider than Parquet's DECIMAL(38); cast it in the model or export as CSV`,
        `export of ${relation}`,
      );
    }
    types.push(type);
  }
  const scratchPath = `${path}.scratch.duckdb`;
  const scratch = await openDuckDbSession(scratchPath);
  try {
    const d = scratch.dialect;
    await scratch.execute(
      `CREATE TABLE __vl_export (${columns.map((c, i) => `${d.quoteIdentifier(c.name)} ${types[i]}`).join(', ')})`,
    );
    const sql = `COPY (SELECT ${columns.map((c, i) => exportedValue(c, types[i]!)).join(', ')} FROM ${relation}) TO STDOUT`;
    await onSessionClient(session, sql, async ({ client }) => {
      let batch: (string | null)[][] = [];
      try {
        for await (const row of copyRowsOut(client, sql)) {
          batch.push(row);
          if (batch.length >= BATCH_ROWS) {
            await scratch.append('main', '__vl_export', batch);
            batch = [];
          }
        }
      } catch (error) {
        throw statementFailure(error, sql);
      }
      await scratch.append('main', '__vl_export', batch);
    });
    const [row] = await scratch.query(
      `COPY __vl_export TO ${d.literal(path)} (FORMAT parquet, COMPRESSION zstd)`,
    );
    return Number(Object.values(row ?? {})[0] ?? Number.NaN);
  } finally {
    await scratch.close();
    await rm(scratchPath, { force: true });
    await rm(`${scratchPath}.wal`, { force: true });
  }
}

export const postgresExport: ExportSql = {
  exportRelation(session, input) {
    return input.format === 'csv' ? exportCsv(session, input) : exportParquet(session, input);
  },
};
