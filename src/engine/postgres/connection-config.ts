import type { ConnectionOptions } from 'node:tls';
import { UsageError } from '../../shared/errors.ts';
import type { PostgresWarehouseConfig } from './config.ts';

/**
 * `warehouse:` (config.ts) into the connection settings pg takes. The URL is parsed here, not by pg:
 * given both, pg lets a connection string win over separate fields, and vaultline's rule is the
 * reverse — host, port, database, user and password beside `url` override the URL's.
 */
export interface ConnectionTarget {
  host: string;
  port: number;
  database: string;
  user: string;
  password: string | undefined;
  sslmode: PostgresWarehouseConfig['sslmode'];
  applicationName: string;
  connectTimeoutMs: number;
  poolSize: number;
}

const DEFAULT_PORT = 5432;

function fromUrl(url: string): Partial<ConnectionTarget> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // Never echo the URL: it may hold the password.
    throw new UsageError('warehouse.url is not a URL; expected postgres://user:password@host:5432/database');
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new UsageError(`warehouse.url must start with postgres:// (it starts with ${parsed.protocol}//)`);
  }
  const out: Partial<ConnectionTarget> = {};
  // A Unix socket folder is `?host=/var/run/postgresql` (libpq) or a percent-encoded host.
  const host = parsed.searchParams.get('host') ?? decodeURIComponent(parsed.hostname).replace(/^\[|\]$/g, '');
  if (host) out.host = host;
  if (parsed.port) out.port = Number(parsed.port);
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  if (database) out.database = database;
  if (parsed.username) out.user = decodeURIComponent(parsed.username);
  if (parsed.password) out.password = decodeURIComponent(parsed.password);
  const sslmode = parsed.searchParams.get('sslmode');
  if (sslmode) {
    if (!['disable', 'prefer', 'require', 'verify-ca', 'verify-full', 'allow'].includes(sslmode)) {
      throw new UsageError(
        `warehouse.url has sslmode=${sslmode}; use disable, prefer, require, verify-ca or verify-full`,
      );
    }
    out.sslmode = (sslmode === 'allow' ? 'prefer' : sslmode) as ConnectionTarget['sslmode'];
  }
  return out;
}

/**
 * Where to connect. `sslmode` always has a value in the parsed config (default `prefer`), so the URL's
 * `?sslmode=` applies unless another mode than the default is set beside it.
 */
export function connectionTarget(config: PostgresWarehouseConfig): ConnectionTarget {
  const url = config.url ? fromUrl(config.url) : {};
  return {
    host: config.host ?? url.host ?? 'localhost',
    port: config.port ?? url.port ?? DEFAULT_PORT,
    database: config.database ?? url.database ?? config.user ?? url.user ?? 'postgres',
    user: config.user ?? url.user ?? 'postgres',
    password: config.password ?? url.password,
    sslmode: config.sslmode !== 'prefer' ? config.sslmode : (url.sslmode ?? 'prefer'),
    applicationName: config.application_name,
    connectTimeoutMs: config.connect_timeout * 1000,
    poolSize: config.pool_size,
  };
}

/**
 * pg's `ssl` for a libpq sslmode: disable → none; prefer and require → encrypted without checking the
 * certificate (pg cannot fall back by itself: the session tries `prefer` with TLS first and without
 * it when the server has none); verify-ca / verify-full → the certificate must be trusted (Node checks
 * the host name as well, so verify-ca is as strict as verify-full).
 */
export function sslOption(sslmode: ConnectionTarget['sslmode']): false | ConnectionOptions {
  if (sslmode === 'disable') return false;
  if (sslmode === 'prefer' || sslmode === 'require') return { rejectUnauthorized: false };
  return { rejectUnauthorized: true };
}

/** `host:port/database`, for messages: never the password. */
export function targetLabel(target: ConnectionTarget): string {
  return `${target.host}:${target.port}/${target.database}`;
}

/** `postgres://user@host:port/database`: the warehouse's location without its password. */
export function describePostgres(config: PostgresWarehouseConfig): string {
  const target = connectionTarget(config);
  const host = target.host.includes(':') ? `[${target.host}]` : target.host;
  return `postgres://${encodeURIComponent(target.user)}@${host}:${target.port}/${encodeURIComponent(target.database)}`;
}
