import type { Session } from '../../src/engine/dialect.ts';
import { engineFor } from '../../src/engine/engine.ts';
import { DEFAULT_WAREHOUSE, type WarehouseConfig } from '../../src/engine/warehouse-config.ts';

/**
 * A session on a project's warehouse, opened through its engine (`config`: the project's
 * `warehouse:`, default the embedded DuckDB file `.vaultline/warehouse.duckdb`). Close it: DuckDB
 * allows one read-write process per file.
 */
export function openProjectWarehouse(
  dir: string,
  config: WarehouseConfig = DEFAULT_WAREHOUSE,
): Promise<Session> {
  return engineFor(config.type).open(config, { projectDir: dir });
}

/**
 * A query against a project's warehouse, opened for the one query and closed again: the CLI child
 * that built it has exited by then. `dir` is read at call time (suites create their folder in a hook).
 */
export function warehouseQuery(dir: () => string, config: WarehouseConfig = DEFAULT_WAREHOUSE) {
  return async <T extends Record<string, unknown> = Record<string, unknown>>(sql: string): Promise<T[]> => {
    const session = await openProjectWarehouse(dir(), config);
    try {
      return await session.query<T>(sql);
    } finally {
      await session.close();
    }
  };
}
