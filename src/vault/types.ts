/**
 * Resolved Data Vault entity specs: what `loadVaultSpecs` returns after validation and what a
 * VaultNode carries as `spec`. Plain JSON (no functions), so they can go into manifests and run
 * results. Column names here are staging column names; vault column names are derived (names.ts).
 */
import type { HashingStandard } from './hashing.ts';

export type VaultEntityKind =
  | 'hub'
  | 'link'
  | 'satellite'
  | 'multi_active_satellite'
  | 'effectivity_satellite'
  | 'record_tracking_satellite'
  | 'pit';

export interface VaultEntityBase {
  kind: VaultEntityKind;
  name: string;
  /** Where it was declared, for diagnostics and lineage. */
  file: string;
  line: number;
  description?: string;
  tags: string[];
  /** Target schema override from YAML; the project layer applies its default otherwise. */
  schema?: string;
  /** The hashing standard the entity is built with (the project's, recorded in the warehouse). */
  hashing: HashingStandard;
  /**
   * Every staging column the entity reads, with where the YAML names it: what the build checks
   * against the columns the staging relations will have before anything runs (src/vault/preflight.ts).
   * Set by `loadVaultSpecs`; hand-built specs may leave it out.
   */
  stagingColumns?: StagingColumnRef[];
}

/** A staging column an entity needs, and the YAML line that makes it need it. */
export interface StagingColumnRef {
  /** The staging model (or seed) by the name the YAML uses. */
  relation: string;
  /** The column; several names when any of them will do (`load_ts` or `_load_ts`). */
  anyOf: string[];
  /** What it is for, in words: `business key of hub_country`, `attribute`, `as_of column`. */
  role: string;
  file: string;
  line: number;
}

/** One staging relation feeding an entity, with the staging columns holding each key part. */
export interface HubSource {
  /** Staging model name (resolved to a relation by the caller). */
  name: string;
  /** Staging columns, in the hub's business key order. */
  businessKey: string[];
}

export interface HubSpec extends VaultEntityBase {
  kind: 'hub';
  /** Hash key column, `hk_<hub>` (a leading `hub_` is dropped: hub_country → hk_country). */
  hashKey: string;
  /** Business key column names in the hub (also the default staging column names). */
  businessKey: string[];
  sources: HubSource[];
}

/** One hub a link refers to, and the staging columns holding its business key. */
export interface LinkHubRef {
  hub: string;
  /** Column in the link holding this hub's hash key (`hk_<hub>`, or `hash_key:` for a hub used twice). */
  hashKey: string;
  /** The hub's own hash key column (what `hashKey` refers to). */
  hubHashKey: string;
  /** Staging columns of this hub's business key, in the hub's order. */
  businessKey: string[];
}

export interface LinkSpec extends VaultEntityBase {
  kind: 'link';
  hashKey: string;
  hubs: LinkHubRef[];
  /** Staging model names; each has every hub's business key columns. */
  sources: string[];
}

/**
 * How a satellite's parent hash key is computed from its staging relation: one group of staging
 * columns per hub (one group for a hub parent). The key is NULL — the row skipped and counted —
 * when every column of any group is null or empty, as the parent itself would have skipped it.
 */
export interface ParentKey {
  entity: string;
  kind: 'hub' | 'link';
  hashKey: string;
  groups: string[][];
}

export interface SatelliteSpec extends VaultEntityBase {
  kind: 'satellite';
  parent: ParentKey;
  source: string;
  /** Attribute columns, in hashdiff order (append new ones at the end: see schema drift). */
  attributes: string[];
  /** Staging columns ordering several records of one key that share a load_ts (before the hashdiff). */
  sequence: string[];
  /**
   * The source's own clock for a version (World Bank `lastupdated`, USGS `updated`): one of the
   * attributes, also stored as TIMESTAMP column `effective_from`; the version in effect (PIT) is the
   * newest by this clock among those loaded, not the one landed last.
   */
  effectiveFrom?: string;
}

export interface MultiActiveSatelliteSpec extends VaultEntityBase {
  kind: 'multi_active_satellite';
  parent: ParentKey;
  source: string;
  attributes: string[];
  /** Dependent child key: identifies a row within the set a key has at one load_ts. */
  childKey: string[];
}

export interface EffectivitySatelliteSpec extends VaultEntityBase {
  kind: 'effectivity_satellite';
  /** The link (always a link), with one group per hub. */
  parent: ParentKey;
  source: string;
  /** Indexes into parent.groups of the hubs forming the driving key. */
  drivingKey: number[];
  /** Names of the driving hubs (for messages and docs). */
  drivingHubs: string[];
  sequence: string[];
}

export interface RecordTrackingSatelliteSpec extends VaultEntityBase {
  kind: 'record_tracking_satellite';
  parent: ParentKey;
  /** A staging relation where every load_ts holds a complete snapshot of the source. */
  source: string;
}

export type PitAsOf = { kind: 'daily' } | { kind: 'model'; model: string; column: string };

export interface PitSatelliteRef {
  name: string;
  kind: 'satellite' | 'multi_active_satellite' | 'effectivity_satellite' | 'record_tracking_satellite';
  /** The satellite declares `effective_from:` (the PIT orders its versions by it). */
  effectiveFrom?: boolean;
}

export interface PitSpec extends VaultEntityBase {
  kind: 'pit';
  parent: { entity: string; kind: 'hub' | 'link'; hashKey: string };
  satellites: PitSatelliteRef[];
  asOf: PitAsOf;
}

export type AnySatelliteSpec =
  | SatelliteSpec
  | MultiActiveSatelliteSpec
  | EffectivitySatelliteSpec
  | RecordTrackingSatelliteSpec;

export type VaultEntitySpec = HubSpec | LinkSpec | AnySatelliteSpec | PitSpec;

/** A relation in the warehouse. */
export interface Relation {
  schema: string;
  name: string;
}

/** Staging models and other vault entities an entity reads (for the graph's dependsOn). */
export function entityDependencies(spec: VaultEntitySpec): { models: string[]; entities: string[] } {
  switch (spec.kind) {
    case 'hub':
      return { models: unique(spec.sources.map((s) => s.name)), entities: [] };
    case 'link':
      return { models: unique(spec.sources), entities: unique(spec.hubs.map((h) => h.hub)) };
    case 'pit':
      return {
        models: spec.asOf.kind === 'model' ? [spec.asOf.model] : [],
        entities: unique([spec.parent.entity, ...spec.satellites.map((s) => s.name)]),
      };
    default:
      return { models: [spec.source], entities: [spec.parent.entity] };
  }
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
