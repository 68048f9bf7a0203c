import { z } from 'zod';
import { duckdbWarehouseSchema } from './duckdb/config.ts';
import { postgresSecrets, postgresWarehouseSchema } from './postgres/config.ts';

/**
 * `warehouse:` in vaultline.yml: one shape per engine, told apart by `type`. Each engine folder owns
 * its own part (config.ts), so src/config/ names no engine.
 */
export const warehouseSchema = z.discriminatedUnion('type', [duckdbWarehouseSchema, postgresWarehouseSchema]);

export type WarehouseConfig = z.infer<typeof warehouseSchema>;

/** The warehouse of a project that does not configure one: the embedded default. */
export const DEFAULT_WAREHOUSE: WarehouseConfig = { type: 'duckdb', path: '.vaultline/warehouse.duckdb' };

/** The secret values of a warehouse config (passwords), for the redactor. */
export function warehouseSecrets(config: WarehouseConfig): string[] {
  return config.type === 'postgres' ? postgresSecrets(config) : [];
}
