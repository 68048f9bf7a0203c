import { z } from 'zod';
import { DEFAULT_WAREHOUSE, warehouseSchema } from '../engine/warehouse-config.ts';
import { alertsSchema, jobsSchema, sensorsSchema, serveSchema } from '../orchestrator/config.ts';

export { warehouseSchema } from '../engine/warehouse-config.ts';

/**
 * vaultline.yml, validated with zod. Objects are strict: an unknown key is an error (with a "did you
 * mean" when a known key is close), because a misspelt option silently ignored is a bug in waiting.
 * Sections that later layers own in detail (`models:`, `vault:`, `connectors.<source>`) are checked
 * here for shape only and fully by their owners, which report file:line diagnostics the same way.
 */
export const localLandingSchema = z.strictObject({
  type: z.literal('local'),
  path: z.string().min(1).default('.vaultline/raw'),
});

export const s3LandingSchema = z.strictObject({
  type: z.literal('s3'),
  bucket: z.string().min(1),
  prefix: z.string().default(''),
  region: z.string().min(1).default('us-east-1'),
  endpoint: z.url().optional(),
  force_path_style: z.boolean().default(false),
  sse: z.enum(['AES256', 'aws:kms']).optional(),
  kms_key_id: z.string().min(1).optional(),
  /** Where S3 bodies are cached after their sha256 is checked (the records layer reads them there). */
  cache_path: z.string().min(1).default('.vaultline/cache'),
});

export const landingSchema = z.discriminatedUnion('type', [localLandingSchema, s3LandingSchema]);

/** One connector's settings: `base_url` is common to all; the rest is declared by the connector. */
export const connectorSettingsSchema = z.looseObject({
  base_url: z.url().optional(),
  enabled: z.boolean().default(true),
});

const pathList = (fallback: string) => z.array(z.string().min(1)).min(1).default([fallback]);

export const configSchema = z.strictObject({
  name: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must use letters, digits and "_", starting with a letter'),
  version: z.union([z.string(), z.number()]).optional(),
  profile: z.string().optional(),
  landing: landingSchema.default({ type: 'local', path: '.vaultline/raw' }),
  warehouse: warehouseSchema.default(DEFAULT_WAREHOUSE),
  vars: z.record(z.string(), z.unknown()).default({}),
  connectors: z.record(z.string(), connectorSettingsSchema).default({}),
  model_paths: pathList('models'),
  macro_paths: pathList('macros'),
  test_paths: pathList('tests'),
  seed_paths: pathList('seeds'),
  target_path: z.string().min(1).default('target'),
  /** Folder-level model configs (`+materialized`, `+schema`, `+tags`), checked by the project loader. */
  models: z.record(z.string(), z.unknown()).default({}),
  seeds: z.record(z.string(), z.unknown()).default({}),
  tests: z.record(z.string(), z.unknown()).default({}),
  /** Data Vault settings (hashing standard overrides, entities), checked by the vault layer. */
  vault: z.record(z.string(), z.unknown()).default({}),
  /** The orchestrator (src/orchestrator/config.ts): jobs on schedules, sensors, alerts, `vaultline serve`. */
  jobs: jobsSchema,
  sensors: sensorsSchema,
  alerts: alertsSchema,
  serve: serveSchema.default({
    host: '127.0.0.1',
    port: 8765,
    state_path: '.vaultline/orchestrator',
    heartbeat: 60_000,
  }),
});

export type VaultlineConfigFile = z.infer<typeof configSchema>;
export type LandingConfig = z.infer<typeof landingSchema>;
export type S3LandingConfig = z.infer<typeof s3LandingSchema>;
export type WarehouseConfig = z.infer<typeof warehouseSchema>;

/** A loaded configuration, with where it came from. */
export interface VaultlineConfig extends VaultlineConfigFile {
  /** Absolute path of the project folder (the one holding vaultline.yml). */
  projectDir: string;
  /** Absolute path of vaultline.yml. */
  configFile: string;
  /** Dotted paths of values that are secrets (masked by `vaultline config`). */
  secretPaths: string[];
}
