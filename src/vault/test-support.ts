/**
 * Test support for the vault layer (not a test file): a fresh warehouse of a test engine
 * (test/helpers/engines.ts; DuckDB unless told) with staging tables in schema `staging`, entities
 * from YAML via loadVaultSpecs, and loads into schema `vault`. Suites become engine-neutral with
 * `for (const engine of testEngines()) … openVaultFixture(yaml, { engine })`.
 */
import assert from 'node:assert/strict';
import { type TestEngine, testEngine } from '../../test/helpers/engines.ts';
import type { Catalog } from '../engine/catalog.ts';
import type { Row, Session } from '../engine/dialect.ts';
import { steppingClock } from '../shared/clock.ts';
import { formatDiagnostic } from '../shared/diagnostics.ts';
import { timestampText } from '../shared/timestamp-text.ts';
import type { HashMacros } from './hashing.ts';
import { type RunVaultEntityOptions, runVaultEntity, type VaultLoadResult } from './run.ts';
import { loadVaultSpecs } from './spec/load.ts';
import type { Relation, VaultEntitySpec } from './types.ts';

export interface VaultFixture {
  session: Session;
  /** The engine's catalog (what loads read columns through). */
  catalog: Catalog;
  specs: Map<string, VaultEntitySpec>;
  /** Creates (or replaces) staging.<name> with the given columns (name → type). */
  staging(name: string, columns: Record<string, string>): Promise<void>;
  /** Appends rows to staging.<name>; values are SQL literals or JS values. */
  stage(name: string, rows: Record<string, unknown>[]): Promise<void>;
  load(name: string, options?: Partial<RunVaultEntityOptions>): Promise<VaultLoadResult>;
  rows<T extends Row = Row>(sql: string): Promise<T[]>;
  relationOf(name: string): Relation;
  close(): Promise<void>;
}

/** Entities from a `vault:` YAML text; fails the test on any diagnostic. */
export function specsFromYaml(yaml: string): Map<string, VaultEntitySpec> {
  const { entities, diagnostics } = loadVaultSpecs({ files: [{ file: 'models/vault.yml', text: yaml }] });
  assert.deepEqual(diagnostics.map(formatDiagnostic), []);
  return new Map(entities.map((e) => [e.name, e]));
}

export async function openVaultFixture(
  yaml: string,
  options: { macros?: HashMacros; engine?: TestEngine } = {},
): Promise<VaultFixture> {
  // DuckDB unless told: every vault suite runs on it today.
  const chosen = options.engine ?? testEngine('duckdb');
  const warehouse = await chosen.create();
  const session = await warehouse.open();
  const { catalog } = chosen.engine;
  await session.execute('CREATE SCHEMA IF NOT EXISTS staging');
  const specs = specsFromYaml(yaml);
  const stagingNames = new Set<string>();
  const relationOf = (name: string): Relation =>
    stagingNames.has(name) ? { schema: 'staging', name } : { schema: 'vault', name };
  const clock = steppingClock(new Date('2024-01-20T00:00:00Z'), 1000);
  return {
    session,
    catalog,
    specs,
    relationOf,
    async staging(name, columns) {
      stagingNames.add(name);
      const body = Object.entries(columns)
        .map(([c, t]) => `"${c}" ${t}`)
        .join(', ');
      await session.execute(`DROP TABLE IF EXISTS staging."${name}"`);
      await session.execute(`CREATE TABLE staging."${name}" (${body})`);
    },
    async stage(name, rows) {
      if (rows.length === 0) return;
      const columns = Object.keys(rows[0]!);
      const values = rows
        .map((r) => `(${columns.map((c) => literal(session, r[c])).join(', ')})`)
        .join(',\n');
      await session.execute(
        `INSERT INTO staging."${name}" (${columns.map((c) => `"${c}"`).join(', ')}) VALUES ${values}`,
      );
    },
    async load(name, overrides = {}) {
      const spec = specs.get(name);
      assert.ok(spec, `no entity ${name}`);
      return runVaultEntity(session, spec, {
        target: { schema: 'vault', name },
        relationOf,
        clock,
        catalog,
        ...(options.macros ? { macros: options.macros } : {}),
        ...overrides,
      });
    },
    rows: (sql) => session.query(sql),
    close: async () => {
      await session.close();
      await warehouse.drop();
    },
  };
}

function literal(session: Session, value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return session.dialect.timestampLiteral(timestampText(value));
  return session.dialect.literal(String(value));
}

/** `2024-01-0D` (UTC midnight, or `hour`) shorthand for staged load timestamps. */
export function day(d: number, hour = 0): Date {
  return new Date(Date.UTC(2024, 0, d, hour));
}
