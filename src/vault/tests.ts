/**
 * Automatic data tests of vault entities, as definitions the run layer turns into TestNodes and runs
 * like any test (each `sql` returns the failing rows; none means pass):
 * - hubs and links: hash key not_null and unique; links: each hub key not_null and
 *   relationships link → hub;
 * - satellites: unique (hk, load_ts, load_seq) for standard and effectivity satellites, (hk,
 *   load_ts, child key…) for multi-active, (hk, load_ts) for record tracking; relationships
 *   satellite → parent (the ghost record excepted); the ghost record exactly once;
 * - PITs: unique (hk, as_of_ts) and relationships PIT → parent.
 */
import type { Dialect } from '../engine/dialect.ts';
import { ghostKey } from './hashing.ts';
import { COL, GHOST_LOAD_TS } from './names.ts';
import type { Relation, VaultEntitySpec } from './types.ts';

export interface VaultTestDefinition {
  /** Unique within the project, dbt style: `unique_sat_country_hk_country__load_ts__load_seq`. */
  name: string;
  /** The entity under test. */
  entity: string;
  testName: 'unique' | 'not_null' | 'relationships' | 'ghost_record';
  /** The column(s) under test. */
  columns: string[];
  arguments: Record<string, unknown>;
  severity: 'error';
  /** A query returning the failing rows. */
  sql: string;
  /** Other entities the test reads (relationships), for the graph. */
  dependsOn: string[];
}

export function vaultTests(
  spec: VaultEntitySpec,
  dialect: Dialect,
  relationOf: (name: string) => Relation,
): VaultTestDefinition[] {
  const table = (name: string) => {
    const r = relationOf(name);
    return dialect.relation(r.schema, r.name);
  };
  const q = (c: string) => dialect.quoteIdentifier(c);
  const self = table(spec.name);
  const out: VaultTestDefinition[] = [];

  const notNull = (column: string) =>
    out.push({
      name: `not_null_${spec.name}_${column}`,
      entity: spec.name,
      testName: 'not_null',
      columns: [column],
      arguments: {},
      severity: 'error',
      sql: `SELECT * FROM ${self} WHERE ${q(column)} IS NULL`,
      dependsOn: [],
    });
  const unique = (columns: string[]) =>
    out.push({
      name: `unique_${spec.name}_${columns.join('__')}`,
      entity: spec.name,
      testName: 'unique',
      columns,
      arguments: {},
      severity: 'error',
      sql: `SELECT ${columns.map(q).join(', ')}, count(*) AS n_records FROM ${self} GROUP BY ${columns.map(q).join(', ')} HAVING count(*) > 1`,
      dependsOn: [],
    });
  const relationship = (column: string, parent: string, parentColumn: string, skipGhost: boolean) =>
    out.push({
      name: `relationships_${spec.name}_${column}__${parent}`,
      entity: spec.name,
      testName: 'relationships',
      columns: [column],
      arguments: { to: parent, field: parentColumn },
      severity: 'error',
      sql:
        `SELECT c.${q(column)} FROM ${self} AS c WHERE c.${q(column)} IS NOT NULL` +
        (skipGhost ? ` AND c.${q(column)} <> ${dialect.literal(ghostKey(spec.hashing))}` : '') +
        ` AND NOT EXISTS (SELECT 1 FROM ${table(parent)} AS p WHERE p.${q(parentColumn)} = c.${q(column)})`,
      dependsOn: [parent],
    });
  const ghostOnce = (hashKey: string) =>
    out.push({
      name: `ghost_record_${spec.name}`,
      entity: spec.name,
      testName: 'ghost_record',
      columns: [hashKey],
      arguments: {},
      severity: 'error',
      sql:
        `SELECT count(*) AS ghost_records FROM ${self} WHERE ${q(hashKey)} = ${dialect.literal(ghostKey(spec.hashing))} ` +
        `AND ${COL.loadTs} = ${dialect.timestampLiteral(GHOST_LOAD_TS)} HAVING count(*) <> 1`,
      dependsOn: [],
    });

  switch (spec.kind) {
    case 'hub':
      notNull(spec.hashKey);
      unique([spec.hashKey]);
      break;
    case 'link':
      notNull(spec.hashKey);
      unique([spec.hashKey]);
      for (const h of spec.hubs) {
        notNull(h.hashKey);
        relationship(h.hashKey, h.hub, h.hubHashKey, false);
      }
      break;
    case 'pit':
      unique([spec.parent.hashKey, COL.asOf]);
      relationship(spec.parent.hashKey, spec.parent.entity, spec.parent.hashKey, false);
      break;
    default: {
      const hk = spec.parent.hashKey;
      if (spec.kind === 'multi_active_satellite') unique([hk, COL.loadTs, ...spec.childKey]);
      else if (spec.kind === 'record_tracking_satellite') unique([hk, COL.loadTs]);
      else unique([hk, COL.loadTs, COL.loadSeq]);
      notNull(hk);
      relationship(hk, spec.parent.entity, hk, true);
      ghostOnce(hk);
    }
  }
  return out;
}
