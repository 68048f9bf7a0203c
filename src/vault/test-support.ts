/**
 * Test support for the vault layer (not a test file): an in-memory DuckDB warehouse with staging
 * tables in schema `staging`, entities from YAML via loadVaultSpecs, and loads into schema `vault`.
 */
import assert from 'node:assert/strict';
import type { Row, Session } from '../engine/dialect.ts';
import { openDuckDbSession } from '../engine/duckdb/session.ts';
import { steppingClock } from '../shared/clock.ts';
import { formatDiagnostic } from '../shared/diagnostics.ts';
import type { HashMacros } from './hashing.ts';
import { type RunVaultEntityOptions, runVaultEntity, type VaultLoadResult } from './run.ts';
import { loadVaultSpecs } from './spec/load.ts';
import type { Relation, VaultEntitySpec } from './types.ts';

export interface VaultFixture {
  session: Session;
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
  options: { macros?: HashMacros; path?: string } = {},
): Promise<VaultFixture> {
  const session = await openDuckDbSession(options.path ?? ':memory:');
  await session.execute('CREATE SCHEMA IF NOT EXISTS staging');
  const specs = specsFromYaml(yaml);
  const stagingNames = new Set<string>();
  const relationOf = (name: string): Relation =>
    stagingNames.has(name) ? { schema: 'staging', name } : { schema: 'vault', name };
  const clock = steppingClock(new Date('2024-01-20T00:00:00Z'), 1000);
  return {
    session,
    specs,
    relationOf,
    async staging(name, columns) {
      stagingNames.add(name);
      const body = Object.entries(columns)
        .map(([c, t]) => `"${c}" ${t}`)
        .join(', ');
      await session.execute(`CREATE OR REPLACE TABLE staging."${name}" (${body})`);
    },
    async stage(name, rows) {
      if (rows.length === 0) return;
      const columns = Object.keys(rows[0]!);
      const values = rows.map((r) => `(${columns.map((c) => literal(r[c])).join(', ')})`).join(',\n');
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
        ...(options.macros ? { macros: options.macros } : {}),
        ...overrides,
      });
    },
    rows: (sql) => session.query(sql),
    close: () => session.close(),
  };
}

function literal(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return `TIMESTAMP '${value.toISOString().replace('T', ' ').replace('Z', '')}'`;
  return `'${String(value).replaceAll("'", "''")}'`;
}

/** `TIMESTAMP '2024-01-0D 00:00:00'` shorthand for staged load timestamps. */
export function day(d: number, hour = 0): Date {
  return new Date(Date.UTC(2024, 0, d, hour));
}
