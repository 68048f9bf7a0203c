/**
 * A copy of examples/cloud-dw-datavault built into one test engine's warehouse (test/helpers/engines.ts):
 * the example folder copied to a temporary folder (without a previous run's .vaultline/ or target/),
 * its vaultline.yml `warehouse:` block replaced by the engine's, and queries that open the warehouse
 * for one statement and close it again (DuckDB allows one process per file: the CLI child that built
 * it must have exited, and the next one must be able to open it).
 */
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Row } from '../../src/engine/dialect.ts';
import type { TestEngine, TestWarehouse } from './engines.ts';

export const EXAMPLE = new URL('../../examples/cloud-dw-datavault/', import.meta.url).pathname;

/** Copies the example (or a copy of it) into `dir`, leaving out warehouse files and compiled SQL. */
export function copyExample(dir: string, from: string = EXAMPLE): void {
  cpSync(from, dir, { recursive: true, filter: (src) => !/\/(\.vaultline|target)(\/|$)/.test(src) });
}

const WAREHOUSE_BLOCK = /warehouse:\n {2}type: duckdb\n {2}path: \.vaultline\/warehouse\.duckdb\n/;

/** The example's vaultline.yml text with its `warehouse:` block replaced by `warehouse`'s. */
export function pointAtWarehouse(yml: string, warehouse: TestWarehouse): string {
  // Checked, not inferred from a changed text: DuckDB's block is the example's own.
  assert.match(yml, WAREHOUSE_BLOCK, "the example's warehouse block changed shape: update this helper");
  return yml.replace(WAREHOUSE_BLOCK, warehouse.yaml());
}

export interface ExampleProject {
  /** The project folder (the CLI's cwd). */
  dir: string;
  warehouse: TestWarehouse;
  /** One query on the warehouse, on a read-only session opened for it and closed again. */
  query<T extends Row = Row>(sql: string): Promise<T[]>;
  /** Drops the warehouse and removes the folder. */
  remove(): Promise<void>;
}

/** A fresh copy of the example whose warehouse is a new, empty one of `engine`. */
export async function exampleProject(
  engine: TestEngine,
  prefix = 'vaultline-example-',
): Promise<ExampleProject> {
  const dir = mkdtempSync(join(tmpdir(), `${prefix}${engine.name}-`));
  copyExample(dir);
  const warehouse = await engine.create(dir);
  const yml = join(dir, 'vaultline.yml');
  writeFileSync(yml, pointAtWarehouse(readFileSync(yml, 'utf8'), warehouse));
  return {
    dir,
    warehouse,
    async query<T extends Row = Row>(sql: string): Promise<T[]> {
      // Read-only: an assertion cannot change what it checks (and PostgreSQL skips the hashing setup).
      const session = await warehouse.open({ readOnly: true });
      try {
        return await session.query<T>(sql);
      } finally {
        await session.close();
      }
    },
    async remove() {
      await warehouse.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
