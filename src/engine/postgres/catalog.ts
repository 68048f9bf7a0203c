import type pg from 'pg';
import type { Catalog, Column } from '../catalog.ts';
import { type Session, SqlError } from '../dialect.ts';
import { statementFailure } from './errors.ts';
import { onSessionClient } from './session.ts';
import { singleStatement } from './statements.ts';

/**
 * PostgreSQL's catalog through pg_catalog, not information_schema: information_schema.data_type says
 * `ARRAY`, `USER-DEFINED` or a bare `numeric`, while `format_type(atttypid, atttypmod)` is the full type
 * as CREATE TABLE / ALTER TABLE ADD COLUMN take it (`numeric(18,3)`, `text[]`, `character varying(20)`,
 * `timestamp with time zone`, a schema-qualified enum). Names are compared exactly (the run layer
 * gives them unquoted-but-exact, as they were created quoted).
 */

async function columnsOf(session: Session, relationWhere: string, params: string[]): Promise<Column[]> {
  const rows = await session.query<{ name: string; data_type: string }>(
    `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS data_type
     FROM pg_catalog.pg_attribute a
     JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
     JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
     WHERE ${relationWhere} AND a.attnum > 0 AND NOT a.attisdropped
     ORDER BY a.attnum`,
    { params },
  );
  return rows.map((r) => ({ name: r.name, dataType: r.data_type }));
}

/** The result types of `fields` (pg's RowDescription: type oid and modifier) as format_type spells them. */
async function formatTypes(session: Session, fields: { dataTypeID: number; dataTypeModifier: number }[]) {
  if (fields.length === 0) return [];
  const rows = await session.query<{ type: string }>(
    `SELECT format_type(t.oid, t.typmod) AS type
     FROM unnest($1::oid[], $2::int[]) WITH ORDINALITY AS t(oid, typmod, position)
     ORDER BY t.position`,
    {
      params: [
        `{${fields.map((f) => f.dataTypeID).join(',')}}`,
        `{${fields.map((f) => f.dataTypeModifier).join(',')}}`,
      ],
    },
  );
  return rows.map((r) => r.type);
}

export const postgresCatalog: Catalog = {
  async relationKind(session, schema, name) {
    const rows = await session.query<{ relkind: string }>(
      `SELECT c.relkind FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = $1 AND c.relname = $2`,
      { params: [schema, name] },
    );
    const kind = rows[0]?.relkind;
    // Tables (and partitioned ones); views (and materialized ones, which vaultline only ever reads).
    if (kind === 'r' || kind === 'p') return 'table';
    if (kind === 'v' || kind === 'm') return 'view';
    return undefined;
  },

  columns(session, schema, name) {
    return columnsOf(session, 'n.nspname = $1 AND c.relname = $2', [schema, name]);
  },

  /** Temporary tables live in this connection's own pg_temp_N schema: call on the session that made it. */
  tempColumns(session, name) {
    return columnsOf(session, 'c.relnamespace = pg_my_temp_schema() AND c.relname = $1', [name]);
  },

  /**
   * pg's API has no describe-only call, so the query runs wrapped in `LIMIT 0`, in a transaction (or,
   * inside the caller's transaction, a savepoint) that is rolled back: the server parses, binds and
   * plans it — an unknown relation or column fails as it would — and the executor stops at the limit
   * before reading a row or evaluating anything per row. Only a query (statements.ts) is ever run so
   * (a data-modifying WITH would write whatever the limit), with the session's own checks.
   */
  async queryColumns(session, sql) {
    const one = singleStatement(sql);
    if (one.kind !== 'query') {
      throw new SqlError(`only a query has result columns; this is ${article(one.keyword)} statement`, sql);
    }
    const wrapped = `SELECT * FROM (\n${one.text}\n) AS __vl_describe LIMIT 0`;
    const fields = await onSessionClient(session, wrapped, async ({ client, inTransaction, check }) => {
      check(wrapped);
      const [begin, undo] = inTransaction
        ? ['SAVEPOINT __vl_describe', 'ROLLBACK TO SAVEPOINT __vl_describe; RELEASE SAVEPOINT __vl_describe']
        : ['BEGIN READ ONLY', 'ROLLBACK'];
      await client.query(begin);
      try {
        const result = await client.query({
          text: wrapped,
          values: [],
          queryMode: 'extended',
        } as pg.QueryConfig);
        return result.fields;
      } catch (error) {
        throw statementFailure(error, wrapped);
      } finally {
        await client.query(undo).catch(() => {});
      }
    });
    const types = await formatTypes(session, fields);
    return fields.map((f, i) => ({ name: f.name, dataType: types[i] ?? 'text' }));
  },
};

function article(keyword: string): string {
  if (!keyword) return 'another';
  return /^[AEIOU]/.test(keyword) ? `an ${keyword}` : `a ${keyword}`;
}
