/**
 * Golden files of the generated SQL per dialect, one per entity kind and situation, under
 * test/golden/<dialect>/vault/ (duckdb, postgres). A change to the SQL shows up as a diff in review.
 * Pure SQL text: no warehouse is opened; staging column types are spelled as each engine's catalog
 * reports them. `UPDATE_GOLDEN=1 node scripts/test.js vault/sql/golden` rewrites them.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Dialect } from '../../engine/dialect.ts';
import { engineFor } from '../../engine/engine.ts';
import { compileVaultEntity } from '../compile.ts';
import { specsFromYaml } from '../test-support.ts';
import { vaultTests } from '../tests.ts';
import type { Relation, VaultEntitySpec } from '../types.ts';
import type { PlanContext, StagingInput } from './common.ts';
import { planVaultLoad } from './plan.ts';

const GOLDEN_ROOT = join(dirname(fileURLToPath(import.meta.url)), '../../../test/golden');

const YAML = `
vault:
  hubs:
    - name: hub_customer
      business_key: [customer_id]
      sources: [stg_customers, { name: stg_orders, business_key: [cust_no] }]
    - name: hub_address
      business_key: [street, city]
      sources: [stg_customers]
  links:
    - name: link_customer_address
      hubs: [hub_customer, hub_address]
      sources: [stg_customers]
  satellites:
    - name: sat_customer
      parent: hub_customer
      source: stg_customers
      attributes: [name, balance, birth_date]
      sequence: [event_seq]
    - name: sat_customer_phones
      parent: hub_customer
      source: stg_phones
      child_key: [phone_type]
      attributes: [phone]
  effectivity_satellites:
    - name: eff_customer_address
      parent: link_customer_address
      driving_key: [hub_customer]
      source: stg_customers
  record_tracking_satellites:
    - name: rts_customer
      parent: hub_customer
      source: stg_customers
  pits:
    - name: pit_customer
      parent: hub_customer
      satellites: [sat_customer, sat_customer_phones]
      as_of: daily
`;

type StagingType = 'bigint' | 'text' | 'decimal' | 'date' | 'integer' | 'timestamptz' | 'timestamp';

/** Each staging type as the engine's catalog names it (what a load finds in the warehouse). */
const CATALOG_TYPES: Record<Dialect['name'], Record<StagingType, string>> = {
  duckdb: {
    bigint: 'BIGINT',
    text: 'VARCHAR',
    decimal: 'DECIMAL(18,2)',
    date: 'DATE',
    integer: 'INTEGER',
    timestamptz: 'TIMESTAMP WITH TIME ZONE',
    timestamp: 'TIMESTAMP',
  },
  postgres: {
    bigint: 'bigint',
    text: 'text',
    decimal: 'numeric(18,2)',
    date: 'date',
    integer: 'integer',
    timestamptz: 'timestamp with time zone',
    timestamp: 'timestamp without time zone',
  },
};

const columns: Record<string, [string, StagingType][]> = {
  stg_customers: [
    ['customer_id', 'bigint'],
    ['name', 'text'],
    ['balance', 'decimal'],
    ['birth_date', 'date'],
    ['street', 'text'],
    ['city', 'text'],
    ['event_seq', 'integer'],
    ['_landing_key', 'text'],
    ['load_ts', 'timestamptz'],
    ['record_source', 'text'],
  ],
  stg_orders: [
    ['cust_no', 'text'],
    ['_load_ts', 'timestamp'],
    ['_record_source', 'text'],
  ],
  stg_phones: [
    ['customer_id', 'bigint'],
    ['phone_type', 'text'],
    ['phone', 'text'],
    ['_landing_key', 'text'],
    ['load_ts', 'timestamp'],
    ['record_source', 'text'],
  ],
};

const specs = specsFromYaml(YAML);
const relationOf = (name: string): Relation =>
  name in columns ? { schema: 'staging', name } : { schema: 'vault', name };

function staging(dialect: Dialect, highWater?: string): StagingInput[] {
  return Object.entries(columns).map(([name, cols]) => ({
    name,
    relation: relationOf(name),
    columns: new Map(cols.map(([column, type]) => [column, CATALOG_TYPES[dialect.name][type]])),
    ...(cols.some(([c]) => c === '_landing_key') ? { landingKey: '_landing_key' } : {}),
    ...(highWater ? { highWater } : {}),
  }));
}

function render(dialect: Dialect, spec: VaultEntitySpec, incremental: boolean): string {
  const ctx: PlanContext = {
    dialect,
    hashing: spec.hashing,
    target: relationOf(spec.name),
    metaSchema: 'vaultline_meta',
    fullRefresh: false,
    arrival: 2,
  };
  // An incremental load finds the table as the first load created it, less the last column (schema drift).
  if (incremental) {
    const created =
      render(dialect, spec, false).match(/CREATE TABLE "vault"\."\w+" \(\n([\s\S]*?)\n\)/)?.[1] ?? '';
    const existing = [...created.matchAll(/^ {2}"(\w+)"/gm)].map((m) => m[1]!);
    ctx.targetColumns = spec.kind === 'satellite' ? existing.slice(0, -1) : existing;
  }
  const pit =
    spec.kind === 'pit'
      ? {
          parent: relationOf('hub_customer'),
          satellites: [
            {
              name: 'sat_customer',
              relation: relationOf('sat_customer'),
              hashKey: 'hk_customer',
              hasLoadSeq: true,
            },
            {
              name: 'sat_customer_phones',
              relation: relationOf('sat_customer_phones'),
              hashKey: 'hk_customer',
              hasLoadSeq: false,
            },
          ],
          changes: ['vault.hub_customer', 'vault.sat_customer', 'vault.sat_customer_phones'].map(
            (entity, i) => ({
              entity,
              after: incremental ? 3 + i : 0,
              upTo: 5 + i,
            }),
          ),
          asOf: { kind: 'daily' as const, from: '2024-01-01 00:00:00', to: '2024-01-08 00:00:00' },
        }
      : undefined;
  const plan = planVaultLoad(
    spec,
    ctx,
    staging(dialect, incremental ? '2024-01-05 10:15:00.123456' : undefined),
    pit,
  );
  return `${plan.statements.map((s) => `-- ${s.label}${s.read ? ` (read: ${s.read})` : ''}\n${s.sql};`).join('\n\n')}\n`;
}

function checkGolden(dialect: Dialect, file: string, actual: string): void {
  const dir = join(GOLDEN_ROOT, dialect.name, 'vault');
  const path = join(dir, file);
  if (process.env.UPDATE_GOLDEN === '1' || !existsSync(path)) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(path, actual);
    if (process.env.UPDATE_GOLDEN !== '1')
      assert.fail(`${file} did not exist; written — review it and run again`);
    return;
  }
  assert.equal(actual, readFileSync(path, 'utf8'), `${file} differs (UPDATE_GOLDEN=1 to accept)`);
}

for (const dialect of [engineFor('duckdb').dialect, engineFor('postgres').dialect]) {
  describe(`golden SQL (${dialect.name})`, () => {
    for (const spec of specs.values()) {
      test(`${spec.kind} ${spec.name}: first load`, () =>
        checkGolden(dialect, `${spec.name}.first.sql`, render(dialect, spec, false)));
      test(`${spec.kind} ${spec.name}: incremental load`, () =>
        checkGolden(dialect, `${spec.name}.incremental.sql`, render(dialect, spec, true)));
    }

    test('compile without a warehouse (types unknown)', () => {
      const spec = specs.get('sat_customer')!;
      checkGolden(
        dialect,
        'sat_customer.compiled-untyped.sql',
        `${compileVaultEntity(spec, dialect, { target: relationOf(spec.name), relationOf })}\n`,
      );
    });

    test('automatic vault tests', () => {
      const text = [...specs.values()]
        .flatMap((spec) => vaultTests(spec, dialect, relationOf))
        .map((t) => `-- ${t.name} (${t.testName} on ${t.entity}: ${t.columns.join(', ')})\n${t.sql};`)
        .join('\n\n');
      checkGolden(dialect, 'tests.sql', `${text}\n`);
    });
  });
}
