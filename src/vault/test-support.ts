/**
 * Test support for the vault layer (not a test file): a fresh warehouse of a test engine
 * (test/helpers/engines.ts; DuckDB unless told) with staging tables in schema `staging`, entities
 * from YAML via loadVaultSpecs, and loads into schema `vault`. Suites become engine-neutral with
 * `for (const engine of testEngines()) … openVaultFixture(yaml, { engine })`.
 */
import assert from 'node:assert/strict';
import { after } from 'node:test';
import { type TestEngine, testEngine } from '../../test/helpers/engines.ts';
import { inValueOrder } from '../../test/helpers/rows.ts';
import type { Catalog } from '../engine/catalog.ts';
import type { DialectTypes, Row, Session } from '../engine/dialect.ts';
import { steppingClock } from '../shared/clock.ts';
import { formatDiagnostic } from '../shared/diagnostics.ts';
import { timestampText } from '../shared/timestamp-text.ts';
import type { HashMacros } from './hashing.ts';
import { type RunVaultEntityOptions, runVaultEntity, type VaultLoadResult } from './run.ts';
import { loadVaultSpecs } from './spec/load.ts';
import type { Relation, VaultEntitySpec } from './types.ts';

/**
 * A staging column's type, by the name of the dialect's own spelling (`text` → DuckDB `VARCHAR`,
 * PostgreSQL `text`; `double` → `DOUBLE` / `double precision`): the same fixture on every engine.
 */
export type StagingType = keyof DialectTypes;

export interface VaultFixture {
  session: Session;
  /** The engine's catalog (what loads read columns through). */
  catalog: Catalog;
  specs: Map<string, VaultEntitySpec>;
  /** Creates (or replaces) staging.<name> with the given columns (name → type). */
  staging(name: string, columns: Record<string, StagingType>): Promise<void>;
  /** Appends rows to staging.<name>; values are SQL literals or JS values. */
  stage(name: string, rows: Record<string, unknown>[]): Promise<void>;
  load(name: string, options?: Partial<RunVaultEntityOptions>): Promise<VaultLoadResult>;
  rows<T extends Row = Row>(sql: string): Promise<T[]>;
  /**
   * Every row of a relation (`vault.hub_a`), in one order that depends on the values only: for
   * comparing a table before and after, where DuckDB's `ORDER BY ALL` is not portable.
   */
  table(relation: string): Promise<Row[]>;
  relationOf(name: string): Relation;
  close(): Promise<void>;
}

/** Entities from a `vault:` YAML text; fails the test on any diagnostic. */
export function specsFromYaml(yaml: string): Map<string, VaultEntitySpec> {
  const { entities, diagnostics } = loadVaultSpecs({ files: [{ file: 'models/vault.yml', text: yaml }] });
  assert.deepEqual(diagnostics.map(formatDiagnostic), []);
  return new Map(entities.map((e) => [e.name, e]));
}

/**
 * Fixtures a test opened and has not closed: a failed assertion skips the test's own `close()`, and a
 * PostgreSQL pool left open would keep the test process alive (and its database undropped).
 */
const unclosed = new Set<VaultFixture>();
after(async () => {
  for (const fixture of unclosed) await fixture.close();
});

export async function openVaultFixture(
  yaml: string,
  options: { macros?: HashMacros; engine?: TestEngine } = {},
): Promise<VaultFixture> {
  // DuckDB unless told (suites run on every engine pass theirs).
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
  const fixture: VaultFixture = {
    session,
    catalog,
    specs,
    relationOf,
    async staging(name, columns) {
      stagingNames.add(name);
      const body = Object.entries(columns)
        .map(([c, t]) => `"${c}" ${session.dialect.types[t]}`)
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
    table: async (relation) => inValueOrder(await session.query(`SELECT * FROM ${relation}`)),
    close: async () => {
      if (!unclosed.delete(fixture)) return;
      await session.close();
      await warehouse.drop();
    },
  };
  unclosed.add(fixture);
  return fixture;
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
