import type { VaultlineConfig } from '../config/schema.ts';
import type { Session } from '../engine/dialect.ts';
import { type Engine, engineFor } from '../engine/engine.ts';

/** Where the project's warehouse is, for messages: a path, or a URL without its password. */
export function warehouseLocation(config: VaultlineConfig): string {
  return engineFor(config.warehouse.type).describe(config.warehouse, config.projectDir);
}

/**
 * The warehouse a long-running process owns (`vaultline serve`, `run-job`): commands it runs in its
 * own process borrow this session instead of opening the warehouse again, so they take no second
 * file lock and their reads and writes share one engine instance.
 */
let owned: { projectDir: string; engine: Engine; session: Session } | undefined;

export function ownWarehouse(projectDir: string, engine: Engine, session: Session): () => void {
  owned = { projectDir, engine, session };
  return () => {
    if (owned?.session === session) owned = undefined;
  };
}

/** Whether this process already owns the project's warehouse (a command run inside `vaultline serve`). */
export function ownsWarehouse(projectDir: string): boolean {
  return owned?.projectDir === projectDir;
}

/** A session whose close() leaves the owner's connection open. */
function borrowed(session: Session): Session {
  return {
    dialect: session.dialect,
    execute: (sql, options) => session.execute(sql, options),
    query: (sql, options) => session.query(sql, options),
    withConnection: (work) => session.withConnection(work),
    singleStatement: (sql) => session.singleStatement(sql),
    transaction: (work) => session.transaction(work),
    append: (schema, table, rows) => session.append(schema, table, rows),
    close: async () => undefined,
  };
}

/** `readOnly`: a session that can change nothing and touch no file outside the warehouse (previews). */
export async function openWarehouse(
  config: VaultlineConfig,
  options: { readOnly?: boolean } = {},
): Promise<{ engine: Engine; session: Session }> {
  if (owned && owned.projectDir === config.projectDir && !options.readOnly)
    return { engine: owned.engine, session: borrowed(owned.session) };
  const engine = engineFor(config.warehouse.type);
  const session = await engine.open(config.warehouse, {
    projectDir: config.projectDir,
    ...(options.readOnly ? { readOnly: true } : {}),
  });
  return { engine, session };
}
