import { join } from 'node:path';
import { openDuckDbSession } from '../../src/engine/duckdb/session.ts';

/**
 * A query against a project's warehouse (`<dir>/.vaultline/warehouse.duckdb`), opened for the one query
 * and closed again: DuckDB allows one read-write process per file, and the CLI child that built it has
 * exited by then. `dir` is read at call time (suites create their folder in a hook).
 */
export function warehouseQuery(dir: () => string) {
  return async <T extends Record<string, unknown> = Record<string, unknown>>(sql: string): Promise<T[]> => {
    const session = await openDuckDbSession(join(dir(), '.vaultline/warehouse.duckdb'));
    try {
      return await session.query<T>(sql);
    } finally {
      await session.close();
    }
  };
}
