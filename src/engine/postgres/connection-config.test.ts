import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { UsageError } from '../../shared/errors.ts';
import type { PostgresWarehouseConfig } from './config.ts';
import { connectionTarget, describePostgres, sslOption } from './connection-config.ts';

const base = {
  type: 'postgres',
  sslmode: 'prefer',
  pool_size: 8,
  connect_timeout: 10,
  application_name: 'vaultline',
} as const;
const config = (more: Partial<PostgresWarehouseConfig>): PostgresWarehouseConfig =>
  ({ ...base, ...more }) as PostgresWarehouseConfig;

describe('PostgreSQL connection settings', () => {
  test('the URL, and the fields beside it overriding its parts', () => {
    const url = 'postgres://ann:p%40ss@db.example:6543/warehouse?sslmode=require';
    assert.deepEqual(connectionTarget(config({ url })), {
      host: 'db.example',
      port: 6543,
      database: 'warehouse',
      user: 'ann',
      password: 'p@ss',
      sslmode: 'require',
      applicationName: 'vaultline',
      connectTimeoutMs: 10_000,
      poolSize: 8,
    });
    const overridden = connectionTarget(
      config({
        url,
        host: 'other',
        port: 5433,
        database: 'dev',
        user: 'bob',
        password: 'x',
        sslmode: 'disable',
      }),
    );
    assert.deepEqual(
      [
        overridden.host,
        overridden.port,
        overridden.database,
        overridden.user,
        overridden.password,
        overridden.sslmode,
      ],
      ['other', 5433, 'dev', 'bob', 'x', 'disable'],
    );
  });

  test('parts only, a Unix socket folder, IPv6', () => {
    assert.deepEqual(
      [
        connectionTarget(config({ host: 'h', database: 'd' })).port,
        connectionTarget(config({ host: 'h', database: 'd' })).user,
      ],
      [5432, 'postgres'],
    );
    assert.equal(
      connectionTarget(config({ url: 'postgres:///d?host=/var/run/postgresql' })).host,
      '/var/run/postgresql',
    );
    assert.equal(connectionTarget(config({ url: 'postgres://[::1]:5432/d' })).host, '::1');
  });

  test('describe: the location without the password', () => {
    assert.equal(
      describePostgres(config({ url: 'postgresql://ann:secret@db:5432/wh' })),
      'postgres://ann@db:5432/wh',
    );
    assert.equal(
      describePostgres(config({ host: '::1', database: 'wh', user: 'u', password: 'secret' })),
      'postgres://u@[::1]:5432/wh',
    );
  });

  test('a URL that is not one is refused without echoing it', () => {
    assert.throws(
      () => connectionTarget(config({ url: 'not a url with secret' })),
      (error: unknown) => {
        assert.ok(error instanceof UsageError);
        assert.doesNotMatch(error.message, /secret/);
        return true;
      },
    );
    assert.throws(() => connectionTarget(config({ url: 'mysql://h/d' })), /must start with postgres/);
  });

  test('sslmode as pg takes it', () => {
    assert.equal(sslOption('disable'), false);
    assert.deepEqual(sslOption('require'), { rejectUnauthorized: false });
    assert.deepEqual(sslOption('prefer'), { rejectUnauthorized: false });
    assert.deepEqual(sslOption('verify-full'), { rejectUnauthorized: true });
    assert.deepEqual(sslOption('verify-ca'), { rejectUnauthorized: true });
  });
});
