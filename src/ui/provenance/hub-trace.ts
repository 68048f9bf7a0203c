import type { Session } from '../../engine/dialect.ts';
import type { LandingStore } from '../../landing/store.ts';
import { didYouMean } from '../../shared/did-you-mean.ts';
import { COL, GHOST_RECORD_SOURCE } from '../../vault/names.ts';
import type { AnySatelliteSpec, LinkSpec, PitSpec } from '../../vault/types.ts';
import { hashKeyShape, isHashKey } from './hash-key.ts';
import { type LandedObject, type LandingUse, landedObjects } from './landed.ts';
import type { ProvenanceProject, VaultEntity } from './project.ts';
import { jsonRow } from './values.ts';

/** The most rows of one entity a trace shows (a key rarely has more versions; the rest are counted). */
const MAX_ROWS = 200;

export interface SatelliteVersion {
  load_ts: unknown;
  load_seq?: unknown;
  record_source: unknown;
  hashdiff?: unknown;
  effective_from?: unknown;
  /** The version a PIT built now would pick (several for a multi-active satellite's newest set). */
  in_effect: boolean;
  attributes: Record<string, unknown>;
}

export interface HubTrace {
  hub: {
    name: string;
    hash_key_column: string;
    business_key_columns: string[];
    row: Record<string, unknown>;
  };
  satellites: {
    name: string;
    kind: string;
    effective_from_column?: string;
    in_effect_rule: string;
    versions: SatelliteVersion[];
  }[];
  links: {
    name: string;
    hash_key_column: string;
    rows: {
      hk: unknown;
      load_ts: unknown;
      record_source: unknown;
      hubs: { hub: string; column: string; hk: unknown }[];
    }[];
  }[];
  pits: { name: string; rows: Record<string, unknown>[] }[];
  landed: LandedObject[];
}

export type TraceAnswer =
  | { status: 200; body: HubTrace }
  | { status: 400 | 404; body: { error: string; hint?: string } };

/** Everything the vault holds for one hub key, back to the landed objects and their records. */
export async function traceHubKey(
  read: <T>(work: (session: Session) => Promise<T>) => Promise<T>,
  store: LandingStore,
  project: ProvenanceProject,
  hubName: string,
  hk: string,
): Promise<TraceAnswer> {
  const entity = project.entities.get(hubName);
  if (entity?.spec.kind !== 'hub') {
    const hubs = [...project.entities.values()].filter((e) => e.spec.kind === 'hub').map((e) => e.spec.name);
    const guess = didYouMean(hubName, hubs);
    return {
      status: 404,
      body: {
        error: `no hub ${hubName} in the project's vault${guess ? ` (did you mean ${guess}?)` : ''}`,
        hint: `hubs: ${hubs.join(', ')}`,
      },
    };
  }
  const hub = entity.spec;
  if (!isHashKey(hk, hub.hashing.algorithm))
    return {
      status: 400,
      body: {
        error: `"${hk}" is not a hash key of ${hub.name}: expected ${hashKeyShape(hub.hashing.algorithm)}`,
      },
    };

  const children = [...project.entities.values()];
  const satellites = children.filter(
    (e): e is VaultEntity & { spec: AnySatelliteSpec } =>
      'parent' in e.spec && e.spec.kind !== 'pit' && e.spec.parent.entity === hub.name,
  );
  const links = children.filter(
    (e): e is VaultEntity & { spec: LinkSpec } =>
      e.spec.kind === 'link' && e.spec.hubs.some((h) => h.hub === hub.name),
  );
  const pits = children.filter(
    (e): e is VaultEntity & { spec: PitSpec } => e.spec.kind === 'pit' && e.spec.parent.entity === hub.name,
  );

  return read(async (session) => {
    const relation = (e: VaultEntity) => session.dialect.relation(e.schema, e.table);
    const q = (name: string) => session.dialect.quoteIdentifier(name);
    // Every value below reaches SQL as a bound parameter; every name comes from the vault specs.
    const rowsOf = (e: VaultEntity, column: string, order: string) =>
      session.query(`SELECT * FROM ${relation(e)} WHERE ${q(column)} = $1 ${order} LIMIT ${MAX_ROWS}`, {
        params: [hk],
      });
    const hubRows = await rowsOf(entity, hub.hashKey, '');
    const hubRow = hubRows[0];
    if (!hubRow)
      return { status: 404, body: { error: `${hub.name} has no row with ${hub.hashKey} = ${hk}` } } as const;

    const uses: LandingUse[] = [];
    const businessKey = hub.businessKey.map((c) => hubRow[c]);
    const hubSource = String(hubRow[COL.recordSource] ?? '');
    for (const source of hub.sources)
      if (hubSource && hubSource !== GHOST_RECORD_SOURCE)
        uses.push({
          key: hubSource,
          staging: source.name,
          columns: source.businessKey,
          values: businessKey,
          usedBy: hub.name,
        });

    const satelliteTraces: HubTrace['satellites'] = [];
    for (const sat of satellites) {
      const rows = await rowsOf(sat, sat.spec.parent.hashKey, `ORDER BY ${q(COL.loadTs)} DESC`);
      const versions = rows.map((row) => satelliteVersion(sat.spec, row));
      markInEffect(sat.spec, versions);
      satelliteTraces.push({
        name: sat.spec.name,
        kind: sat.spec.kind,
        ...(sat.spec.kind === 'satellite' && sat.spec.effectiveFrom
          ? { effective_from_column: sat.spec.effectiveFrom }
          : {}),
        in_effect_rule: inEffectRule(sat.spec),
        versions,
      });
      for (const version of versions) {
        const key = String(version.record_source ?? '');
        if (!key || key === GHOST_RECORD_SOURCE) continue;
        uses.push({
          key,
          staging: sat.spec.source,
          columns: sat.spec.parent.groups[0] ?? [],
          values: businessKey,
          usedBy: `${sat.spec.name} @ ${String(version.load_ts)}`,
        });
      }
    }

    const linkTraces: HubTrace['links'] = [];
    for (const link of links) {
      const rows = new Map<string, Record<string, unknown>>();
      for (const ref of link.spec.hubs.filter((h) => h.hub === hub.name))
        for (const row of await rowsOf(link, ref.hashKey, `ORDER BY ${q(COL.loadTs)} DESC`))
          rows.set(String(row[link.spec.hashKey]), jsonRow(row));
      linkTraces.push({
        name: link.spec.name,
        hash_key_column: link.spec.hashKey,
        rows: [...rows.values()].map((row) => ({
          hk: row[link.spec.hashKey],
          load_ts: row[COL.loadTs],
          record_source: row[COL.recordSource],
          hubs: link.spec.hubs.map((ref) => ({ hub: ref.hub, column: ref.hashKey, hk: row[ref.hashKey] })),
        })),
      });
    }

    const pitTraces: HubTrace['pits'] = [];
    for (const pit of pits) {
      const rows = await rowsOf(pit, pit.spec.parent.hashKey, `ORDER BY ${q(COL.asOf)} DESC`);
      pitTraces.push({ name: pit.spec.name, rows: rows.map(jsonRow) });
    }

    return {
      status: 200,
      body: {
        hub: {
          name: hub.name,
          hash_key_column: hub.hashKey,
          business_key_columns: hub.businessKey,
          row: jsonRow(hubRow),
        },
        satellites: satelliteTraces,
        links: linkTraces,
        pits: pitTraces,
        landed: await landedObjects(store, project, uses, hub.hashing.case === 'upper'),
      },
    } as const;
  });
}

const SYSTEM_COLUMNS = new Set<string>([
  COL.loadTs,
  COL.loadSeq,
  COL.recordSource,
  COL.hashdiff,
  COL.effectiveFrom,
]);

function satelliteVersion(spec: AnySatelliteSpec, raw: Record<string, unknown>): SatelliteVersion {
  const row = jsonRow(raw);
  const attributes: Record<string, unknown> = {};
  for (const [column, value] of Object.entries(row))
    if (!SYSTEM_COLUMNS.has(column) && column !== spec.parent.hashKey) attributes[column] = value;
  return {
    load_ts: row[COL.loadTs],
    ...(COL.loadSeq in row ? { load_seq: row[COL.loadSeq] } : {}),
    record_source: row[COL.recordSource],
    ...(COL.hashdiff in row ? { hashdiff: row[COL.hashdiff] } : {}),
    ...(COL.effectiveFrom in row ? { effective_from: row[COL.effectiveFrom] } : {}),
    in_effect: false,
    attributes,
  };
}

function inEffectRule(spec: AnySatelliteSpec): string {
  if (spec.kind === 'satellite' && spec.effectiveFrom)
    return `the newest by ${spec.effectiveFrom} (effective_from) among the versions loaded, whenever each was landed`;
  if (spec.kind === 'multi_active_satellite') return 'every row of the newest load_ts (the current set)';
  return 'the newest by load_ts';
}

/** Marks what a PIT built now would pick (ghost rows never). Versions come newest load_ts first. */
function markInEffect(spec: AnySatelliteSpec, versions: SatelliteVersion[]): void {
  const real = versions.filter((v) => v.record_source !== GHOST_RECORD_SOURCE);
  if (real.length === 0) return;
  const text = (v: unknown) => (v === null || v === undefined ? '' : String(v));
  const newerThan = (a: SatelliteVersion, b: SatelliteVersion, byEffective: boolean): boolean => {
    const keys = (v: SatelliteVersion) => [
      ...(byEffective ? [text(v.effective_from)] : []),
      text(v.load_ts),
      Number(v.load_seq ?? 0)
        .toString()
        .padStart(12, '0'),
    ];
    const ka = keys(a);
    const kb = keys(b);
    for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return (ka[i] as string) > (kb[i] as string);
    return false;
  };
  if (spec.kind === 'multi_active_satellite') {
    const newest = text(real[0]?.load_ts);
    for (const v of real) if (text(v.load_ts) === newest) v.in_effect = true;
    return;
  }
  const byEffective = spec.kind === 'satellite' && spec.effectiveFrom !== undefined;
  let best = real[0] as SatelliteVersion;
  for (const v of real) if (newerThan(v, best, byEffective)) best = v;
  best.in_effect = true;
}
