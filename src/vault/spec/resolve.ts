/**
 * Cross-entity checks and resolution: every reference (hub, parent, satellite, staging model) must
 * exist and be of the right kind, with a did-you-mean when a name is close. Produces the resolved,
 * self-contained specs of types.ts (a satellite knows its parent's key columns, etc.).
 */
import type { PositionedYaml } from '../../config/yaml-positions.ts';
import type { Diagnostic } from '../../shared/diagnostics.ts';
import { didYouMean } from '../../shared/did-you-mean.ts';
import type { HashingStandard } from '../hashing.ts';
import { COL, hubHashKey, linkHashKey } from '../names.ts';
import type {
  AnySatelliteSpec,
  HubSpec,
  LinkSpec,
  ParentKey,
  PitSatelliteRef,
  PitSpec,
  VaultEntityKind,
  VaultEntitySpec,
} from '../types.ts';
import { stagingColumnRefs } from './column-refs.ts';
import type {
  EffectivitySatelliteEntry,
  HubEntry,
  LinkEntry,
  PitEntry,
  RecordTrackingSatelliteEntry,
  SatelliteEntry,
} from './schema.ts';

export type RawEntityKind = Exclude<VaultEntityKind, 'multi_active_satellite'>;

export interface RawEntity {
  kind: RawEntityKind;
  /** Undefined when the entry failed validation (its name still counts as declared). */
  entry:
    | HubEntry
    | LinkEntry
    | SatelliteEntry
    | EffectivitySatelliteEntry
    | RecordTrackingSatelliteEntry
    | PitEntry
    | undefined;
  declaredName?: string;
  file: string;
  yaml: PositionedYaml;
  path: (string | number)[];
}

const KIND_WORDS: Record<VaultEntityKind, string> = {
  hub: 'a hub',
  link: 'a link',
  satellite: 'a satellite',
  multi_active_satellite: 'a multi-active satellite',
  effectivity_satellite: 'an effectivity satellite',
  record_tracking_satellite: 'a record tracking satellite',
  pit: 'a PIT',
};

const RESERVED = new Set<string>(Object.values(COL));

export function resolveEntities(
  raw: RawEntity[],
  hashing: HashingStandard,
  knownModels: Set<string> | undefined,
): { entities: VaultEntitySpec[]; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const report = (r: RawEntity, sub: (string | number)[], message: string, hint?: string) => {
    const name = (r.entry as { name?: string } | undefined)?.name ?? r.declaredName;
    diagnostics.push({
      file: r.file,
      line: r.yaml.lineOf([...r.path, ...sub]),
      ...(name ? { node: name } : {}),
      message,
      ...(hint ? { hint } : {}),
      severity: 'error',
    });
  };

  // Names: unique across every kind (they are relations in one schema).
  const declared = new Map<string, RawEntity>();
  for (const r of raw) {
    const name = r.entry?.name ?? r.declaredName;
    if (!name) continue;
    const first = declared.get(name);
    if (first) {
      report(
        r,
        ['name'],
        `${name} is declared twice`,
        `first declared at ${first.file}:${first.yaml.lineOf(first.path)}`,
      );
    } else declared.set(name, r);
  }
  const valid = raw.filter((r) => r.entry && declared.get(r.entry.name) === r);
  const kindOf = (name: string) => declared.get(name)?.kind;
  const isDeclaredButInvalid = (name: string) => declared.has(name) && !declared.get(name)?.entry;

  /** Checks that `name` is an entity of one of `kinds`; reports and returns false otherwise. */
  const expectEntity = (
    r: RawEntity,
    sub: (string | number)[],
    name: string,
    kinds: RawEntityKind[],
    role: string,
  ) => {
    const kind = kindOf(name);
    if (kind && kinds.includes(kind)) return !isDeclaredButInvalid(name);
    if (kind) {
      report(
        r,
        sub,
        `${role} ${name} is ${KIND_WORDS[kind]}, not ${kinds.map((k) => KIND_WORDS[k]).join(' or ')}`,
      );
      return false;
    }
    const candidates = [...declared.entries()].filter(([, d]) => kinds.includes(d.kind)).map(([n]) => n);
    const suggestion = didYouMean(name, candidates);
    report(
      r,
      sub,
      `${role} ${name} is not declared`,
      suggestion
        ? `did you mean "${suggestion}"?`
        : candidates.length
          ? `declared: ${candidates.join(', ')}`
          : `declare it under vault: ${kinds.map((k) => `${k}s`).join(' or ')}`,
    );
    return false;
  };
  const expectModel = (r: RawEntity, sub: (string | number)[], name: string) => {
    if (!knownModels || knownModels.has(name)) return;
    const suggestion = didYouMean(name, knownModels);
    report(
      r,
      sub,
      `source ${name} is not a model of this project`,
      suggestion ? `did you mean "${suggestion}"?` : 'name a staging model (models/**/*.sql)',
    );
  };

  // Hubs.
  const hubs = new Map<string, HubSpec>();
  for (const r of valid.filter((v) => v.kind === 'hub')) {
    const e = r.entry as HubEntry;
    const sources = e.sources.map((s, i) => {
      const source =
        typeof s === 'string'
          ? { name: s, businessKey: e.business_key }
          : { name: s.name, businessKey: s.business_key };
      expectModel(r, ['sources', i], source.name);
      if (source.businessKey.length !== e.business_key.length) {
        report(
          r,
          ['sources', i, 'business_key'],
          `source ${source.name} lists ${source.businessKey.length} business key column(s); the hub has ${e.business_key.length}`,
          `give one staging column per hub column: ${e.business_key.join(', ')}`,
        );
      }
      return source;
    });
    const hashKey = e.hash_key ?? hubHashKey(e.name);
    checkReserved(r, e.business_key, 'business_key', report);
    if (e.business_key.includes(hashKey))
      report(r, ['business_key'], `business key column ${hashKey} collides with the hash key`);
    hubs.set(e.name, { ...base(r, e, hashing), kind: 'hub', hashKey, businessKey: e.business_key, sources });
  }

  // Links.
  const links = new Map<string, LinkSpec>();
  for (const r of valid.filter((v) => v.kind === 'link')) {
    const e = r.entry as LinkEntry;
    let ok = true;
    const hashKey = e.hash_key ?? linkHashKey(e.name);
    const refs = e.hubs.map((h, i) => {
      const ref = typeof h === 'string' ? { hub: h } : h;
      const hub = hubs.get(ref.hub);
      if (!expectEntity(r, ['hubs', i], ref.hub, ['hub'], 'hub') || !hub) {
        ok = false;
        return undefined;
      }
      const businessKey = ref.business_key ?? hub.businessKey;
      if (businessKey.length !== hub.businessKey.length) {
        report(
          r,
          ['hubs', i, 'business_key'],
          `${ref.hub} has ${hub.businessKey.length} business key column(s); ${businessKey.length} given`,
        );
        ok = false;
      }
      return { hub: ref.hub, hashKey: ref.hash_key ?? hub.hashKey, hubHashKey: hub.hashKey, businessKey };
    });
    const seen = new Map<string, number>();
    refs.forEach((ref, i) => {
      if (!ref) return;
      if (seen.has(ref.hashKey)) {
        report(
          r,
          ['hubs', i],
          `hash key column ${ref.hashKey} appears twice in the link`,
          'give each use of the hub its own hash_key: (e.g. hk_customer_parent)',
        );
        ok = false;
      }
      seen.set(ref.hashKey, i);
      if (ref.hashKey === hashKey) {
        report(
          r,
          ['hash_key'],
          `the link's hash key ${hashKey} equals the column of hub ${ref.hub}`,
          'set hash_key: on the link',
        );
        ok = false;
      }
    });
    e.sources.forEach((s, i) => {
      expectModel(r, ['sources', i], s);
    });
    if (ok) {
      links.set(e.name, {
        ...base(r, e, hashing),
        kind: 'link',
        hashKey,
        hubs: refs.filter((x) => x !== undefined),
        sources: e.sources,
      });
    }
  }

  /** The parent's key columns as found in the satellite's staging relation. */
  const parentKey = (
    r: RawEntity,
    parent: string,
    source: string,
    businessKey: string[] | undefined,
  ): ParentKey | undefined => {
    if (!expectEntity(r, ['parent'], parent, ['hub', 'link'], 'parent')) return undefined;
    const hub = hubs.get(parent);
    if (hub) {
      const columns =
        businessKey ?? hub.sources.find((s) => s.name === source)?.businessKey ?? hub.businessKey;
      if (columns.length !== hub.businessKey.length) {
        report(
          r,
          ['business_key'],
          `${parent} has ${hub.businessKey.length} business key column(s); ${columns.length} given`,
        );
        return undefined;
      }
      return { entity: parent, kind: 'hub', hashKey: hub.hashKey, groups: [columns] };
    }
    const link = links.get(parent);
    if (!link) return undefined; // the link itself is invalid and already reported
    if (businessKey) {
      report(
        r,
        ['business_key'],
        'business_key: applies to a hub parent only',
        `set business_key: on the hubs of ${parent}`,
      );
      return undefined;
    }
    return {
      entity: parent,
      kind: 'link',
      hashKey: link.hashKey,
      groups: link.hubs.map((h) => h.businessKey),
    };
  };

  // Satellites of every kind.
  const satellites = new Map<string, AnySatelliteSpec>();
  for (const r of valid.filter((v) => v.kind.endsWith('satellite'))) {
    const e = r.entry as SatelliteEntry | EffectivitySatelliteEntry | RecordTrackingSatelliteEntry;
    expectModel(r, ['source'], e.source);
    const parent = parentKey(r, e.parent, e.source, 'business_key' in e ? e.business_key : undefined);
    if (!parent) continue;
    if (r.kind === 'satellite') {
      const s = e as SatelliteEntry;
      if (!checkColumns(r, s, parent, report)) continue;
      satellites.set(
        s.name,
        s.child_key
          ? {
              ...base(r, s, hashing),
              kind: 'multi_active_satellite',
              parent,
              source: s.source,
              attributes: s.attributes,
              childKey: s.child_key,
            }
          : {
              ...base(r, s, hashing),
              kind: 'satellite',
              parent,
              source: s.source,
              attributes: s.attributes,
              sequence: s.sequence ?? [],
              ...(s.effective_from ? { effectiveFrom: s.effective_from } : {}),
            },
      );
    } else if (r.kind === 'effectivity_satellite') {
      const s = e as EffectivitySatelliteEntry;
      const link = links.get(s.parent);
      if (!link) {
        report(r, ['parent'], `an effectivity satellite's parent must be a link; ${s.parent} is a hub`);
        continue;
      }
      const driving: number[] = [];
      s.driving_key.forEach((d, i) => {
        const index = link.hubs.findIndex((h) => h.hub === d || h.hashKey === d);
        if (index < 0) {
          const names = link.hubs.flatMap((h) => [h.hub, h.hashKey]);
          const suggestion = didYouMean(d, names);
          report(
            r,
            ['driving_key', i],
            `${d} is not a hub of ${s.parent}`,
            suggestion ? `did you mean "${suggestion}"?` : `hubs: ${link.hubs.map((h) => h.hub).join(', ')}`,
          );
        } else if (!driving.includes(index)) driving.push(index);
      });
      if (driving.length !== s.driving_key.length) continue;
      if (driving.length === link.hubs.length) {
        report(
          r,
          ['driving_key'],
          'the driving key names every hub of the link',
          'leave at least one hub out: the one that changes',
        );
        continue;
      }
      satellites.set(s.name, {
        ...base(r, s, hashing),
        kind: 'effectivity_satellite',
        parent,
        source: s.source,
        drivingKey: driving.sort((a, b) => a - b),
        drivingHubs: driving.map((i) => link.hubs[i]!.hub),
        sequence: s.sequence ?? [],
      });
    } else {
      const s = e as RecordTrackingSatelliteEntry;
      satellites.set(s.name, {
        ...base(r, s, hashing),
        kind: 'record_tracking_satellite',
        parent,
        source: s.source,
      });
    }
  }

  // PITs.
  const pits: PitSpec[] = [];
  for (const r of valid.filter((v) => v.kind === 'pit')) {
    const e = r.entry as PitEntry;
    if (!expectEntity(r, ['parent'], e.parent, ['hub', 'link'], 'parent')) continue;
    const parentSpec = hubs.get(e.parent) ?? links.get(e.parent);
    if (!parentSpec) continue;
    const refs: PitSatelliteRef[] = [];
    e.satellites.forEach((name, i) => {
      if (
        !expectEntity(
          r,
          ['satellites', i],
          name,
          ['satellite', 'effectivity_satellite', 'record_tracking_satellite'],
          'satellite',
        )
      ) {
        return;
      }
      const sat = satellites.get(name);
      if (!sat) return;
      if (sat.parent.entity !== e.parent) {
        report(
          r,
          ['satellites', i],
          `${name} hangs off ${sat.parent.entity}, not ${e.parent}`,
          'a PIT combines satellites of one parent',
        );
        return;
      }
      refs.push({
        name,
        kind: sat.kind,
        ...(sat.kind === 'satellite' && sat.effectiveFrom ? { effectiveFrom: true } : {}),
      });
    });
    if (refs.length !== e.satellites.length) continue;
    if (typeof e.as_of === 'object') expectModel(r, ['as_of', 'model'], e.as_of.model);
    pits.push({
      ...base(r, e, hashing),
      kind: 'pit',
      parent: { entity: e.parent, kind: parentSpec.kind, hashKey: parentSpec.hashKey },
      satellites: refs,
      asOf:
        e.as_of === 'daily'
          ? { kind: 'daily' }
          : { kind: 'model', model: e.as_of.model, column: e.as_of.column },
    });
  }

  const entities = [...hubs.values(), ...links.values(), ...satellites.values(), ...pits];
  for (const entity of entities) {
    const r = declared.get(entity.name);
    if (r) entity.stagingColumns = stagingColumnRefs(entity, r);
  }
  return { entities, diagnostics };
}

function base(
  r: RawEntity,
  e: { name: string; description?: string; tags: string[]; schema?: string },
  hashing: HashingStandard,
) {
  return {
    name: e.name,
    file: r.file,
    line: r.yaml.lineOf(r.path),
    ...(e.description !== undefined ? { description: e.description } : {}),
    tags: e.tags,
    ...(e.schema !== undefined ? { schema: e.schema } : {}),
    hashing,
  };
}

type Report = (r: RawEntity, sub: (string | number)[], message: string, hint?: string) => void;

function checkReserved(r: RawEntity, columns: string[], key: string, report: Report): boolean {
  const bad = columns.filter((c) => RESERVED.has(c));
  for (const c of bad) {
    report(
      r,
      [key, columns.indexOf(c)],
      `${c} is a column vaultline adds to vault tables`,
      'rename it in the staging model',
    );
  }
  return bad.length === 0;
}

/** Attributes, child key and sequence: distinct, not reserved, not the parent's hash key. */
function checkColumns(r: RawEntity, s: SatelliteEntry, parent: ParentKey, report: Report): boolean {
  let ok = checkReserved(r, s.attributes, 'attributes', report);
  ok = checkReserved(r, s.child_key ?? [], 'child_key', report) && ok;
  const seen = new Set<string>();
  s.attributes.forEach((a, i) => {
    if (seen.has(a)) {
      report(r, ['attributes', i], `attribute ${a} is listed twice`);
      ok = false;
    }
    seen.add(a);
    if (a === parent.hashKey) {
      report(r, ['attributes', i], `attribute ${a} collides with the parent's hash key column`);
      ok = false;
    }
  });
  (s.child_key ?? []).forEach((c, i) => {
    if (seen.has(c)) {
      report(r, ['child_key', i], `${c} is both a child key and an attribute`, 'list it in one of them');
      ok = false;
    }
  });
  if (s.effective_from !== undefined && !s.attributes.includes(s.effective_from)) {
    report(
      r,
      ['effective_from'],
      `effective_from: ${s.effective_from} is not one of the attributes`,
      `add ${s.effective_from} to attributes, so that a new version by the source's clock is a new satellite row`,
    );
    ok = false;
  }
  if (s.child_key && s.effective_from !== undefined) {
    report(r, ['effective_from'], 'effective_from: applies to standard satellites', 'remove effective_from:');
    ok = false;
  }
  if (s.child_key && s.sequence) {
    report(
      r,
      ['sequence'],
      'sequence: applies to standard satellites; a multi-active set has no order',
      'remove sequence:',
    );
    ok = false;
  }
  return ok;
}
