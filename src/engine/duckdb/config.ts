import { isAbsolute, join } from 'node:path';
import { z } from 'zod';

/** `warehouse:` for DuckDB in vaultline.yml: one file, relative to the project folder. */
export const duckdbWarehouseSchema = z.strictObject({
  type: z.literal('duckdb'),
  path: z.string().min(1).default('.vaultline/warehouse.duckdb'),
  threads: z.number().int().positive().optional(),
  memory_limit: z.string().optional(),
});

export type DuckDbWarehouseConfig = z.infer<typeof duckdbWarehouseSchema>;

/** The warehouse file's absolute path. */
export function duckdbLocation(config: DuckDbWarehouseConfig, projectDir: string): string {
  return isAbsolute(config.path) ? config.path : join(projectDir, config.path);
}
