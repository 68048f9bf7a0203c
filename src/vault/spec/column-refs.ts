/**
 * The staging columns each resolved entity reads, each with the YAML line that names it (or, for a
 * column taken from another entity — a hub's business key read by its satellite — the line of the
 * reference to that entity). The build checks them before anything runs (src/vault/preflight.ts).
 */
import { STAGING_LOAD_TS, STAGING_RECORD_SOURCE } from '../names.ts';
import type { StagingColumnRef, VaultEntitySpec } from '../types.ts';
import type { RawEntity } from './resolve.ts';
import type { HubEntry, LinkEntry, PitEntry, SatelliteEntry } from './schema.ts';

export function stagingColumnRefs(spec: VaultEntitySpec, r: RawEntity): StagingColumnRef[] {
  const refs: StagingColumnRef[] = [];
  const at = (sub: (string | number)[]) => r.yaml.lineOf([...r.path, ...sub]);
  const add = (relation: string, anyOf: readonly string[], role: string, sub: (string | number)[]) =>
    refs.push({ relation, anyOf: [...anyOf], role, file: r.file, line: at(sub) });
  /** Every staging relation carries its rows' load timestamp and record source (CONTEXT.md). */
  const contract = (relation: string, sub: (string | number)[]) => {
    add(relation, STAGING_LOAD_TS, 'load timestamp', sub);
    add(relation, STAGING_RECORD_SOURCE, 'record source', sub);
  };

  switch (spec.kind) {
    case 'hub': {
      const e = r.entry as HubEntry;
      spec.sources.forEach((source, i) => {
        const own = typeof e.sources[i] === 'object';
        source.businessKey.forEach((column, j) => {
          add(
            source.name,
            [column],
            `business key of ${spec.name}`,
            own ? ['sources', i, 'business_key', j] : ['business_key', j],
          );
        });
        contract(source.name, ['sources', i]);
      });
      break;
    }
    case 'link': {
      const e = r.entry as LinkEntry;
      spec.sources.forEach((source, k) => {
        spec.hubs.forEach((hub, i) => {
          const entry = e.hubs[i];
          const own = typeof entry === 'object' && entry.business_key !== undefined;
          hub.businessKey.forEach((column, j) => {
            add(
              source,
              [column],
              `business key of ${hub.hub}`,
              own ? ['hubs', i, 'business_key', j] : ['hubs', i],
            );
          });
        });
        contract(source, ['sources', k]);
      });
      break;
    }
    case 'pit': {
      const e = r.entry as PitEntry;
      if (spec.asOf.kind === 'model' && typeof e.as_of === 'object') {
        add(spec.asOf.model, [spec.asOf.column], 'as_of column', ['as_of', 'column']);
      }
      break;
    }
    default: {
      const e = r.entry as SatelliteEntry & { business_key?: string[] };
      for (const group of spec.parent.groups) {
        group.forEach((column, j) => {
          const sub = e.business_key ? ['business_key', j] : ['parent'];
          add(spec.source, [column], `business key of parent ${spec.parent.entity}`, sub);
        });
      }
      const lists: [string, string, string[]][] = [
        ['attributes', 'attribute', 'attributes' in spec ? spec.attributes : []],
        ['sequence', 'sequence column', 'sequence' in spec ? spec.sequence : []],
        ['child_key', 'child key', 'childKey' in spec ? spec.childKey : []],
      ];
      for (const [key, role, columns] of lists) {
        columns.forEach((column, j) => {
          add(spec.source, [column], role, [key, j]);
        });
      }
      contract(spec.source, ['source']);
    }
  }
  return refs;
}
