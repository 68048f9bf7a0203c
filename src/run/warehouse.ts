import { projectPath } from '../config/load.ts';
import type { VaultlineConfig } from '../config/schema.ts';
import type { Session } from '../engine/dialect.ts';
import { type Engine, engineFor } from '../engine/engine.ts';

/** The project's warehouse: config.warehouse.path (relative to the project folder), created on first use. */
export function warehouseLocation(config: VaultlineConfig): string {
  return projectPath(config, config.warehouse.path);
}

/** `readOnly`: a session that can change nothing and touch no file outside the warehouse (previews). */
export async function openWarehouse(
  config: VaultlineConfig,
  options: { readOnly?: boolean } = {},
): Promise<{ engine: Engine; session: Session }> {
  const engine = engineFor(config.warehouse.type);
  const session = await engine.open(warehouseLocation(config), {
    threads: config.warehouse.threads,
    memoryLimit: config.warehouse.memory_limit,
    ...(options.readOnly ? { readOnly: true } : {}),
  });
  return { engine, session };
}
