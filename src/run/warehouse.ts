import type { VaultlineConfig } from '../config/schema.ts';
import type { Session } from '../engine/dialect.ts';
import { type Engine, engineFor } from '../engine/engine.ts';

/** Where the project's warehouse is, for messages: a path, or a URL without its password. */
export function warehouseLocation(config: VaultlineConfig): string {
  return engineFor(config.warehouse.type).describe(config.warehouse, config.projectDir);
}

/** `readOnly`: a session that can change nothing and touch no file outside the warehouse (previews). */
export async function openWarehouse(
  config: VaultlineConfig,
  options: { readOnly?: boolean } = {},
): Promise<{ engine: Engine; session: Session }> {
  const engine = engineFor(config.warehouse.type);
  const session = await engine.open(config.warehouse, {
    projectDir: config.projectDir,
    ...(options.readOnly ? { readOnly: true } : {}),
  });
  return { engine, session };
}
