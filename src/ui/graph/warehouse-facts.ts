import type { VaultlineConfig } from '../../config/schema.ts';
import type { Column } from '../../engine/catalog.ts';
import type { Row, Session } from '../../engine/dialect.ts';
import { engineFor } from '../../engine/engine.ts';
import { relationIdentity } from '../../project/relations.ts';
import type { GraphNode, TestNode } from '../../project/types.ts';
import { META_SCHEMA, metaTable } from '../../run/meta/schema.ts';
import { entityKey, HASHING_TABLE, LOAD_LOG_TABLE } from '../../vault/names.ts';

/** What the warehouse says about a node: every part is null when its table does not exist yet. */
export interface WarehouseFacts {
  /** The relation's columns as built (null: not built). */
  columns: Column[] | null;
  row_count: number | null;
  last_build: Row | null;
  /** Last result per test id. */
  test_results: Record<string, Row>;
  /** Failing rows of tests that store them and did not pass (at most 20 per test). */
  stored_failures: Record<string, Row[]>;
  /** Vault entities: the recorded hashing fingerprint (JSON) and the newest loads. */
  hashing_recorded: string | null;
  load_log: Row[] | null;
  /** Models reading sources: per source, the landed objects read. */
  load_audit: Row[] | null;
}

/** JSON-safe values: bigints as numbers, dates as ISO text. */
function plain(rows: Row[]): Row[] {
  return rows.map((row) => {
    const out: Row = {};
    for (const [key, value] of Object.entries(row)) {
      out[key] =
        typeof value === 'bigint'
          ? Number(value)
          : value instanceof Date
            ? value.toISOString()
            : value !== null &&
                typeof value === 'object' &&
                !Array.isArray(value) &&
                value.constructor !== Object
              ? String(value)
              : value;
    }
    return out;
  });
}

/** Runs a read; a missing table or relation (nothing built yet) answers null. */
async function maybe<T>(work: () => Promise<T>): Promise<T | null> {
  try {
    return await work();
  } catch {
    return null;
  }
}

export async function warehouseFacts(
  config: VaultlineConfig,
  session: Session,
  node: GraphNode,
  tests: TestNode[],
): Promise<WarehouseFacts> {
  const dialect = session.dialect;
  const { catalog } = engineFor(config.warehouse.type);
  const lit = (value: string) => dialect.literal(value);
  const results = metaTable(dialect, 'node_results');
  const query = async (sql: string) => plain(await session.query(sql));

  const identity = node.resourceType === 'test' ? undefined : relationIdentity(node);
  let columns: Column[] | null = null;
  let rowCount: number | null = null;
  if (identity) {
    const kind = await maybe(() => catalog.relationKind(session, identity.schema, identity.name));
    if (kind) {
      columns = await maybe(() => catalog.columns(session, identity.schema, identity.name));
      const counted = await maybe(() =>
        query(`SELECT count(*) AS n FROM ${dialect.relation(identity.schema, identity.name)}`),
      );
      rowCount = counted?.[0] ? Number(counted[0].n) : null;
    }
  }
  const lastBuild =
    (
      await maybe(() =>
        query(
          `SELECT run_id, status, message, rows_affected, failures, started_at, duration_ms FROM ${results} ` +
            `WHERE unique_id = ${lit(node.uniqueId)} ORDER BY started_at DESC LIMIT 1`,
        ),
      )
    )?.[0] ?? null;

  const testResults: Record<string, Row> = {};
  if (tests.length > 0) {
    const ids = tests.map((t) => lit(t.uniqueId)).join(', ');
    const rows = await maybe(() =>
      query(
        `SELECT unique_id, run_id, status, message, failures, started_at, sample FROM ${results} ` +
          `WHERE unique_id IN (${ids}) AND (unique_id, started_at) IN ` +
          `(SELECT unique_id, max(started_at) FROM ${results} WHERE unique_id IN (${ids}) GROUP BY unique_id)`,
      ),
    );
    for (const row of rows ?? []) testResults[String(row.unique_id)] = row;
  }
  const storedFailures: Record<string, Row[]> = {};
  for (const test of tests) {
    const status = testResults[test.uniqueId]?.status;
    if (!test.storeFailures || status === undefined || status === 'pass') continue;
    const rows = await maybe(() =>
      query(
        `SELECT * FROM ${dialect.relation(test.storeFailures!.schema, test.storeFailures!.name)} LIMIT 20`,
      ),
    );
    if (rows) storedFailures[test.uniqueId] = rows;
  }

  let hashingRecorded: string | null = null;
  let loadLog: Row[] | null = null;
  if (node.resourceType === 'vault') {
    const entity = lit(entityKey({ schema: node.schema, name: node.alias }));
    const recorded = await maybe(() =>
      query(
        `SELECT fingerprint FROM ${dialect.relation(META_SCHEMA, HASHING_TABLE)} WHERE entity = ${entity}`,
      ),
    );
    hashingRecorded = recorded?.[0] ? String(recorded[0].fingerprint) : null;
    loadLog = await maybe(() =>
      query(
        `SELECT run_id, loaded_at, full_refresh, source, rows_read, rows_inserted, skipped_null_keys, ` +
          `skipped_late_rows, duplicates, unchanged, high_water_load_ts FROM ${dialect.relation(META_SCHEMA, LOAD_LOG_TABLE)} ` +
          `WHERE entity = ${entity} ORDER BY loaded_at DESC LIMIT 20`,
      ),
    );
  }
  const loadAudit =
    node.resourceType === 'model'
      ? await maybe(() =>
          query(
            `SELECT source_unique_id, count(*) AS objects, sum(row_count) AS records, max(loaded_at) AS last_loaded_at ` +
              `FROM ${metaTable(dialect, 'load_audit')} WHERE model_unique_id = ${lit(node.uniqueId)} ` +
              `GROUP BY source_unique_id ORDER BY source_unique_id`,
          ),
        )
      : null;

  return {
    columns,
    row_count: rowCount,
    last_build: lastBuild,
    test_results: testResults,
    stored_failures: storedFailures,
    hashing_recorded: hashingRecorded,
    load_log: loadLog,
    load_audit: loadAudit && loadAudit.length > 0 ? loadAudit : null,
  };
}
