/**
 * The engines the conformance suites run on: DuckDB always, PostgreSQL on the throwaway server that
 * `npm test` starts (scripts/test.js sets VAULTLINE_TEST_POSTGRES_URL). `VAULTLINE_TEST_ENGINES=duckdb`
 * runs DuckDB only. Each `create()` is a fresh, empty warehouse: a DuckDB file in a temporary folder,
 * or a new PostgreSQL database (dropped again by `drop()`; default collation ICU en-US), so suites
 * never see each other's tables.
 *
 * Use: `for (const engine of testEngines()) describe(engine.name, () => { … })`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { Session } from '../../src/engine/dialect.ts';
import { type Engine, engineFor, type WarehouseConfig } from '../../src/engine/engine.ts';

export type TestEngineName = 'duckdb' | 'postgres';

export interface TestWarehouse {
  /** The `warehouse:` settings of a project built into this warehouse. */
  config: WarehouseConfig;
  /** The project folder relative paths are taken from (DuckDB's file is under it). */
  projectDir: string;
  /** A new session on the warehouse (close it). */
  open(options?: { readOnly?: boolean }): Promise<Session>;
  /** `vaultline.yml`'s `warehouse:` block for this warehouse (for CLI tests). */
  yaml(): string;
  /** Removes the warehouse (the file, or the database). */
  drop(): Promise<void>;
}

export interface TestEngine {
  name: TestEngineName;
  engine: Engine;
  /** A fresh, empty warehouse; `projectDir` defaults to a new temporary folder. */
  create(projectDir?: string): Promise<TestWarehouse>;
}

let databases = 0;

export function postgresUrl(): string {
  const url = process.env.VAULTLINE_TEST_POSTGRES_URL;
  if (!url) {
    throw new Error(
      'VAULTLINE_TEST_POSTGRES_URL is not set: run the tests through `npm test` (it starts PostgreSQL), ' +
        'or set VAULTLINE_TEST_ENGINES=duckdb',
    );
  }
  return url;
}

/** Runs one statement on the server's maintenance database (CREATE/DROP DATABASE cannot run in a transaction). */
export async function postgresAdmin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: postgresUrl() });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

const duckdb: TestEngine = {
  name: 'duckdb',
  engine: engineFor('duckdb'),
  async create(projectDir) {
    const dir = projectDir ?? mkdtempSync(join(tmpdir(), 'vaultline-duckdb-'));
    const config: WarehouseConfig = { type: 'duckdb', path: '.vaultline/warehouse.duckdb' };
    return {
      config,
      projectDir: dir,
      open: (options) => engineFor('duckdb').open(config, { projectDir: dir, ...options }),
      yaml: () => 'warehouse:\n  type: duckdb\n  path: .vaultline/warehouse.duckdb\n',
      drop: async () => {
        rmSync(join(dir, '.vaultline/warehouse.duckdb'), { force: true });
        rmSync(join(dir, '.vaultline/warehouse.duckdb.wal'), { force: true });
        if (projectDir === undefined) rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};

const postgres: TestEngine = {
  name: 'postgres',
  get engine() {
    return engineFor('postgres');
  },
  async create(projectDir) {
    const dir = projectDir ?? mkdtempSync(join(tmpdir(), 'vaultline-postgres-'));
    databases += 1;
    const database = `vl_test_${process.pid}_${databases}_${Date.now().toString(36)}`;
    // An ICU collation as a server's default (en-US), not the test cluster's C.UTF-8: text then sorts
    // as on most real servers ('a' < 'B', punctuation before digits), which is not DuckDB's byte
    // order, so SQL that orders text without saying how shows up here rather than in production.
    await postgresAdmin(
      `CREATE DATABASE "${database}" TEMPLATE template0 ENCODING 'UTF8' LOCALE_PROVIDER icu ICU_LOCALE 'en-US'`,
    );
    const url = new URL(postgresUrl());
    url.pathname = `/${database}`;
    const config: WarehouseConfig = {
      type: 'postgres',
      url: url.toString(),
      sslmode: 'disable',
      pool_size: 8,
      connect_timeout: 10,
      application_name: 'vaultline-test',
    };
    return {
      config,
      projectDir: dir,
      open: (options) => engineFor('postgres').open(config, { projectDir: dir, ...options }),
      yaml: () => `warehouse:\n  type: postgres\n  url: ${url.toString()}\n  sslmode: disable\n`,
      drop: async () => {
        await postgresAdmin(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
        if (projectDir === undefined) rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};

/** One engine by name, whatever VAULTLINE_TEST_ENGINES says (suites not yet run on every engine). */
export function testEngine(name: TestEngineName): TestEngine {
  return name === 'duckdb' ? duckdb : postgres;
}

/** The engines this test run covers, in order (DuckDB first). */
export function testEngines(): TestEngine[] {
  const names = (process.env.VAULTLINE_TEST_ENGINES ?? 'duckdb,postgres').split(',').map((n) => n.trim());
  return [duckdb, postgres].filter((engine) => names.includes(engine.name));
}
