import type { Catalog, Column } from '../catalog.ts';
import type { Session } from '../dialect.ts';
import { duckdbDialect } from './dialect.ts';

const lit = (v: string) => duckdbDialect.literal(v);

async function columnsWhere(session: Session, where: string): Promise<Column[]> {
  const rows = await session.query<{ column_name: string; data_type: string }>(
    `SELECT column_name, data_type FROM information_schema.columns WHERE ${where} ORDER BY ordinal_position`,
  );
  return rows.map((r) => ({ name: r.column_name, dataType: r.data_type }));
}

/** DuckDB's catalog through information_schema; temporary objects live in catalog `temp`. */
export const duckdbCatalog: Catalog = {
  async relationKind(session, schema, name) {
    const rows = await session.query<{ table_type: string }>(
      `SELECT table_type FROM information_schema.tables WHERE table_catalog = current_database() AND table_schema = ${lit(schema)} AND table_name = ${lit(name)}`,
    );
    const type = rows[0]?.table_type;
    if (type === undefined) return undefined;
    return type === 'VIEW' ? 'view' : 'table';
  },
  columns(session, schema, name) {
    return columnsWhere(
      session,
      `table_catalog = current_database() AND table_schema = ${lit(schema)} AND table_name = ${lit(name)}`,
    );
  },
  tempColumns(session, name) {
    return columnsWhere(session, `table_catalog = 'temp' AND table_name = ${lit(name)}`);
  },
  async queryColumns(session, sql) {
    // DESCRIBE binds the query (relations, columns, types) and returns one row per result column.
    const rows = await session.query<{ column_name: string; column_type: string }>(`DESCRIBE ${sql}`);
    return rows.map((r) => ({ name: r.column_name, dataType: r.column_type }));
  },
};
