import { createHash } from 'node:crypto';
import { type Session, SqlError } from '../dialect.ts';
import type { FileSql } from '../files.ts';
import { copyRowsIn } from './copy-in.ts';
import { csvRecords } from './csv-records.ts';
import { ColumnSniffer } from './csv-types.ts';
import { postgresDialect } from './dialect.ts';
import { statementFailure } from './errors.ts';
import { onSessionClient } from './session.ts';

/**
 * Seed CSVs on PostgreSQL. The server cannot read the client's file, so `stageCsv` reads it in Node
 * (csv-records.ts: header row, RFC 4180 quoting, streamed), COPYs every record as text into a
 * temporary table, and makes the typed temporary table `csvSelect` reads: a pinned type as given
 * (`column_types`), any other column typed from its values as DuckDB's sniffer would (csv-types.ts).
 * Both temporary tables live in the transaction and are dropped at its commit or rollback.
 * Not covered (DuckDB's sniffer has them): other delimiters and quote characters, files without a
 * header row. Empty fields are NULL, as on DuckDB.
 */

const q = (name: string) => postgresDialect.quoteIdentifier(name);

/** The staged table of a file, the same name in stageCsv and csvSelect. */
function stagedName(path: string): string {
  return `__vl_seed_${createHash('sha256').update(path).digest('hex').slice(0, 16)}`;
}

/** A type name as YAML gives it (`numeric(5,2)`, `varchar(20)`, `text[]`, `double precision`): spliced
 * into a CAST, so anything else is refused. */
const TYPE_NAME = /^[A-Za-z_][A-Za-z0-9_ ]*(\(\s*\d+\s*(,\s*\d+\s*)?\))?(\[\])*$/;

/** Header names as DuckDB makes them: an empty one is `column<index>`, a repeated one gets `_1`, `_2`. */
function columnNames(header: string[]): string[] {
  const used = new Set<string>();
  return header.map((raw, i) => {
    let name = raw === '' ? `column${i}` : raw;
    for (let n = 1; used.has(name); n++) name = `${raw}_${n}`;
    used.add(name);
    return name;
  });
}

async function stage(session: Session, path: string, columnTypes: Record<string, string>): Promise<void> {
  const table = stagedName(path);
  const text = `${table}_text`;
  const what = `COPY ${q(text)} FROM STDIN -- ${path}`;
  for (const [column, type] of Object.entries(columnTypes)) {
    if (!TYPE_NAME.test(type)) {
      throw new SqlError(`column_types: ${column}: ${JSON.stringify(type)} is not a type name`, what);
    }
  }
  const records = csvRecords(path);
  const header = await records.next().catch((error: unknown) => {
    throw new SqlError(`cannot read the seed ${path}: ${(error as Error).message}`, what, error);
  });
  if (header.done) throw new SqlError(`the seed ${path} is empty: it needs a header row`, what);
  const names = columnNames(header.value.fields);
  for (const column of Object.keys(columnTypes)) {
    if (!names.includes(column)) {
      throw new SqlError(`column_types names ${column}, which the header of ${path} does not have`, what);
    }
  }
  const sniffers = names.map(() => new ColumnSniffer());

  async function* rows(): AsyncGenerator<(string | null)[]> {
    for await (const record of records) {
      if (record.fields.length !== names.length) {
        throw new SqlError(
          `${path} line ${record.line} has ${record.fields.length} field(s); its header has ${names.length}`,
          what,
        );
      }
      yield record.fields.map((value, i) => {
        if (value === '') return null;
        sniffers[i]!.see(value);
        return value;
      });
    }
  }

  await onSessionClient(session, what, async ({ client, inTransaction }) => {
    if (!inTransaction) {
      throw new SqlError('a seed is staged inside the transaction that creates its table', what);
    }
    const run = async (sql: string) => {
      try {
        await client.query(sql);
      } catch (error) {
        throw statementFailure(error, sql);
      }
    };
    await run(`DROP TABLE IF EXISTS pg_temp.${q(text)}`);
    await run(
      `CREATE TEMPORARY TABLE ${q(text)} (${names.map((n) => `${q(n)} text`).join(', ')}) ON COMMIT DROP`,
    );
    try {
      await copyRowsIn(client, `COPY pg_temp.${q(text)} FROM STDIN`, rows());
    } catch (error) {
      throw error instanceof SqlError ? error : statementFailure(error, what);
    }
    const typed = names.map((n, i) => {
      const type = columnTypes[n] ?? sniffers[i]!.type;
      return type === 'text' ? q(n) : `CAST(${q(n)} AS ${type}) AS ${q(n)}`;
    });
    await run(`DROP TABLE IF EXISTS pg_temp.${q(table)}`);
    await run(
      `CREATE TEMPORARY TABLE ${q(table)} ON COMMIT DROP AS SELECT ${typed.join(', ')} FROM pg_temp.${q(text)}`,
    );
  });
}

export const postgresFiles: FileSql = {
  stageCsv: stage,
  csvSelect(path) {
    return `SELECT * FROM pg_temp.${q(stagedName(path))}`;
  },
};
