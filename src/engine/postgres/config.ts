import { z } from 'zod';

/**
 * `warehouse:` for PostgreSQL in vaultline.yml: a connection URL (`postgres://user:pass@host:5432/db`,
 * usually `${DATABASE_URL}`), or its parts. Fields given beside `url` override the URL's. The password
 * (and the URL's password) is a secret: the config loader hands it to the redactor, so it never
 * reaches a log, an artefact or a metadata table.
 */
export const postgresWarehouseSchema = z
  .strictObject({
    type: z.literal('postgres'),
    url: z.string().min(1).optional(),
    host: z.string().min(1).optional(),
    port: z.number().int().positive().max(65535).optional(),
    database: z.string().min(1).optional(),
    user: z.string().min(1).optional(),
    password: z.string().optional(),
    /** libpq's sslmode: `disable` (loopback), `require` (encrypted, any certificate), `verify-full`. */
    sslmode: z.enum(['disable', 'prefer', 'require', 'verify-ca', 'verify-full']).default('prefer'),
    /** Connections the pool may open (at least `--threads` + 1: one for the run's bookkeeping). */
    pool_size: z.number().int().positive().max(100).default(8),
    /** Seconds to wait for a connection before failing with a clear error. */
    connect_timeout: z.number().int().positive().default(10),
    /** Name shown in pg_stat_activity. */
    application_name: z.string().min(1).default('vaultline'),
  })
  .refine((value) => value.url !== undefined || value.host !== undefined || value.database !== undefined, {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: vaultline.yml syntax, shown to the user
    message: 'needs `url` (e.g. url: ${DATABASE_URL}) or `host` and `database`',
  });

export type PostgresWarehouseConfig = z.infer<typeof postgresWarehouseSchema>;

/** The secret values of a PostgreSQL warehouse config: its password and the URL's password. */
export function postgresSecrets(config: PostgresWarehouseConfig): string[] {
  const secrets: string[] = [];
  if (config.password) secrets.push(config.password);
  if (config.url) {
    try {
      const url = new URL(config.url);
      if (url.password) secrets.push(url.password, decodeURIComponent(url.password));
    } catch {
      // Not a URL: the driver reports it when connecting.
    }
  }
  return [...new Set(secrets.filter((s) => s.length > 0))];
}
