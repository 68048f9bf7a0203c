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

/**
 * A connection of the owner's own (DuckDB: another connection to the same instance; a server engine:
 * a pooled client), held until close(): each command gets its own, so a read on one never queues
 * behind a build's transaction on another, and closing it leaves the owner's instance open.
 */
async function leasedConnection(owner: Session): Promise<Session> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  let ended: Promise<unknown> = Promise.resolve();
  const session = await new Promise<Session>((resolve, reject) => {
    ended = owner
      .withConnection(async (connection) => {
        resolve(connection);
        await released;
      })
      .catch(reject);
  });
  // The connection's own session, but closing it ends the lease instead: made as an object whose
  // prototype is the session, so the engine's own internals (its private door to the client) stay reachable.
  return Object.create(session, {
    close: {
      value: async () => {
        release();
        await ended;
      },
    },
  }) as Session;
}

/** `readOnly`: a session that can change nothing and touch no file outside the warehouse (previews). */
export async function openWarehouse(
  config: VaultlineConfig,
  options: { readOnly?: boolean } = {},
): Promise<{ engine: Engine; session: Session }> {
  if (owned && owned.projectDir === config.projectDir && !options.readOnly)
    return { engine: owned.engine, session: await leasedConnection(owned.session) };
  const engine = engineFor(config.warehouse.type);
  const session = await engine.open(config.warehouse, {
    projectDir: config.projectDir,
    ...(options.readOnly ? { readOnly: true } : {}),
  });
  return { engine, session };
}
