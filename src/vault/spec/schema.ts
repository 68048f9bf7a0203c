import { z } from 'zod';

/**
 * The `vault:` section of vaultline.yml and of models/**\/*.yml files, validated with zod (strict
 * objects: a misspelt key is an error with a "did you mean"). References between entities and to
 * staging models are checked afterwards (resolve.ts), where every entity is known.
 */
const identifier = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'use letters, digits and "_", starting with a letter or "_"');
const columns = z.array(identifier).min(1);

const common = {
  name: identifier,
  description: z.string().optional(),
  tags: z.array(z.string()).default([]),
  /** Target schema; the project's default (`vault`) otherwise. */
  schema: identifier.optional(),
};

export const hubSourceSchema = z.union([
  identifier,
  /** A source whose business key columns are named differently. */
  z.strictObject({ name: identifier, business_key: columns }),
]);

export const hubSchema = z.strictObject({
  ...common,
  business_key: columns,
  /** Several sources are unioned; the earliest load_ts wins (ties: lowest record_source). */
  sources: z.array(hubSourceSchema).min(1),
  hash_key: identifier.optional(),
});

export const linkHubSchema = z.union([
  identifier,
  z.strictObject({
    hub: identifier,
    /** Staging columns of this hub's business key when they differ from the hub's names. */
    business_key: columns.optional(),
    /** Column name in the link; required when a link uses the same hub twice. */
    hash_key: identifier.optional(),
  }),
]);

export const linkSchema = z.strictObject({
  ...common,
  hubs: z.array(linkHubSchema).min(2),
  sources: z.array(identifier).min(1),
  hash_key: identifier.optional(),
});

export const satelliteSchema = z.strictObject({
  ...common,
  parent: identifier,
  source: identifier,
  attributes: columns,
  /** Multi-active: the dependent child key identifying a row within a key's set. */
  child_key: columns.optional(),
  /** Orders several records of one key sharing a load_ts (standard satellites). */
  sequence: columns.optional(),
  /** An attribute holding the source's own version timestamp: the PIT takes the newest by it. */
  effective_from: identifier.optional(),
  /** Staging columns of a hub parent's business key when they differ from the hub's. */
  business_key: columns.optional(),
});

export const effectivitySatelliteSchema = z.strictObject({
  ...common,
  parent: identifier,
  source: identifier,
  /** Hubs of the link (names, or their hash_key names) whose key has one active relationship. */
  driving_key: columns,
  sequence: columns.optional(),
});

export const recordTrackingSatelliteSchema = z.strictObject({
  ...common,
  parent: identifier,
  /** A full-snapshot staging relation: every load_ts holds every current record. */
  source: identifier,
  business_key: columns.optional(),
});

export const pitSchema = z.strictObject({
  ...common,
  parent: identifier,
  satellites: columns,
  as_of: z.union(
    [z.literal('daily'), z.strictObject({ model: identifier, column: identifier.default('as_of_ts') })],
    {
      error:
        'must be daily (one as-of time per day) or {model: <a model selecting the as-of times>, column: <its timestamp column, default as_of_ts>}; for a fixed list of dates, select them in a model and name it here',
    },
  ),
});

export const hashingSchema = z.strictObject({
  algorithm: z.enum(['md5', 'sha1', 'sha256']).default('sha256'),
  case: z.enum(['upper', 'preserve']).default('upper'),
  delimiter: z.string().min(1).default('||'),
  null_token: z.string().min(1).default('^^'),
});

export const vaultSectionSchema = z.strictObject({
  /** Project-wide; only in vaultline.yml. */
  hashing: hashingSchema.optional(),
  hubs: z.array(hubSchema).default([]),
  links: z.array(linkSchema).default([]),
  satellites: z.array(satelliteSchema).default([]),
  effectivity_satellites: z.array(effectivitySatelliteSchema).default([]),
  record_tracking_satellites: z.array(recordTrackingSatelliteSchema).default([]),
  pits: z.array(pitSchema).default([]),
});

/** A YAML document that may hold a `vault:` section; other top-level keys belong to other layers. */
export const vaultDocumentSchema = z.looseObject({ vault: vaultSectionSchema.nullish() });

export type VaultSection = z.infer<typeof vaultSectionSchema>;
export type HubEntry = z.infer<typeof hubSchema>;
export type LinkEntry = z.infer<typeof linkSchema>;
export type SatelliteEntry = z.infer<typeof satelliteSchema>;
export type EffectivitySatelliteEntry = z.infer<typeof effectivitySatelliteSchema>;
export type RecordTrackingSatelliteEntry = z.infer<typeof recordTrackingSatelliteSchema>;
export type PitEntry = z.infer<typeof pitSchema>;
