import type { ColumnSpec } from '../../project/types.ts';
import { COL } from '../../vault/names.ts';
import type { VaultEntitySpec } from '../../vault/types.ts';

/** The keys of a vault entity as the node page shows them. */
export interface VaultKeys {
  kind: string;
  hash_key: string | null;
  business_key: string[];
  /** Hubs of a link, the parent of a satellite or PIT (with the column holding its key). */
  parents: { entity: string; hash_key: string }[];
  /** Staging models (or, for a PIT, satellites) the entity is loaded from. */
  sources: string[];
  attributes: string[];
  /** Satellite extras: child key, driving hubs, effective_from column, PIT as-of. */
  extra: Record<string, unknown>;
}

export function vaultKeys(spec: VaultEntitySpec): VaultKeys {
  const base = { kind: spec.kind, attributes: [] as string[], extra: {} as Record<string, unknown> };
  switch (spec.kind) {
    case 'hub':
      return {
        ...base,
        hash_key: spec.hashKey,
        business_key: spec.businessKey,
        parents: [],
        sources: spec.sources.map((s) => s.name),
      };
    case 'link':
      return {
        ...base,
        hash_key: spec.hashKey,
        business_key: [],
        parents: spec.hubs.map((h) => ({ entity: h.hub, hash_key: h.hashKey })),
        sources: spec.sources,
      };
    case 'pit':
      return {
        ...base,
        hash_key: spec.parent.hashKey,
        business_key: [],
        parents: [{ entity: spec.parent.entity, hash_key: spec.parent.hashKey }],
        sources: spec.satellites.map((s) => s.name),
        extra: { as_of: spec.asOf },
      };
    default: {
      const extra: Record<string, unknown> = {};
      if (spec.kind === 'satellite' && spec.effectiveFrom) extra.effective_from = spec.effectiveFrom;
      if (spec.kind === 'multi_active_satellite') extra.child_key = spec.childKey;
      if (spec.kind === 'effectivity_satellite') extra.driving_hubs = spec.drivingHubs;
      return {
        ...base,
        hash_key: spec.parent.hashKey,
        business_key: [],
        parents: [{ entity: spec.parent.entity, hash_key: spec.parent.hashKey }],
        sources: [spec.source],
        attributes: 'attributes' in spec ? spec.attributes : [],
        extra,
      };
    }
  }
}

/**
 * Descriptions of the columns vaultline derives for an entity (hash keys, load_ts, record_source,
 * hashdiff …): a vault YAML rarely describes them, and the dictionary should still say what they are.
 */
export function derivedColumnDescriptions(keys: VaultKeys): ColumnSpec[] {
  const out: ColumnSpec[] = [];
  if (keys.hash_key && keys.kind === 'hub')
    out.push({
      name: keys.hash_key,
      description: `hash key of the business key (${keys.business_key.join(', ')})`,
    });
  else if (keys.hash_key && keys.kind === 'link')
    out.push({ name: keys.hash_key, description: 'hash key of the link (its hubs’ business keys)' });
  for (const parent of keys.parents)
    if (!out.some((c) => c.name === parent.hash_key))
      out.push({ name: parent.hash_key, description: `hash key of ${parent.entity}` });
  for (const column of keys.business_key) out.push({ name: column, description: 'business key' });
  out.push(
    { name: COL.loadTs, description: 'when the row’s data was landed (staging load_ts)' },
    { name: COL.recordSource, description: 'where the row came from (record source)' },
    { name: COL.hashdiff, description: 'hash of the attributes: a new one means a new version' },
    { name: COL.loadSeq, description: 'order of several rows of one key sharing a load_ts' },
    { name: COL.effectiveFrom, description: 'the source’s own clock for this version' },
    { name: COL.asOf, description: 'the point in time this row describes' },
    { name: COL.isDeleted, description: 'the key is gone from the source’s snapshot' },
    { name: COL.startTs, description: 'start of the relationship’s effectivity' },
    { name: COL.endTs, description: 'end of the relationship’s effectivity' },
  );
  return out;
}
