import { type Session, SqlError } from '../engine/dialect.ts';

/** One warehouse relation with its row count: what `vaultline tables` prints and `npm start` verifies. */
export interface RelationCount {
  schema: string;
  name: string;
  kind: 'table' | 'view';
  /** null when the relation cannot be read (a view over a dropped table): `error` says why. */
  rows: number | null;
  error?: string;
}

/** Schemas vaultline keeps for itself; listed only on request. */
export const INTERNAL_SCHEMAS = new Set([
  'vaultline_meta',
  'vaultline_raw',
  'information_schema',
  'pg_catalog',
]);

/**
 * Every table and view (information_schema is the same on DuckDB and Postgres), counted one by one.
 * Counting a view runs its query: that is the point — a mart that cannot be read is listed with its
 * error (and `rows: null`) while the others are counted.
 */
export async function countRelations(
  session: Session,
  options: { schemas?: string[]; includeInternal?: boolean } = {},
): Promise<RelationCount[]> {
  const rows = await session.query<{ table_schema: string; table_name: string; table_type: string }>(
    `SELECT table_schema, table_name, table_type FROM information_schema.tables
     WHERE table_catalog = current_database()
     ORDER BY table_schema, table_name`,
  );
  const wanted = rows.filter(
    (r) =>
      // Temporary tables (any session's: PostgreSQL lists them under pg_temp_N) are nobody's relations.
      r.table_type !== 'LOCAL TEMPORARY' &&
      (options.includeInternal || !INTERNAL_SCHEMAS.has(r.table_schema)) &&
      !r.table_name.startsWith('__vl_') &&
      (!options.schemas?.length || options.schemas.includes(r.table_schema)),
  );
  const out: RelationCount[] = [];
  for (const r of wanted) {
    const relation = session.dialect.relation(r.table_schema, r.table_name);
    const base = {
      schema: r.table_schema,
      name: r.table_name,
      kind: r.table_type === 'VIEW' ? ('view' as const) : ('table' as const),
    };
    try {
      const [count] = await session.query<{ n: bigint | number }>(`SELECT count(*) AS n FROM ${relation}`);
      out.push({ ...base, rows: Number(count?.n ?? 0) });
    } catch (error) {
      // One broken view must not hide the rest of the warehouse: it is listed with its error.
      if (!(error instanceof SqlError)) throw error;
      out.push({ ...base, rows: null, error: error.message });
    }
  }
  return out;
}
