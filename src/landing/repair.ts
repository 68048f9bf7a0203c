import { metaKeyFor, repairFolder } from './keys.ts';
import type { LandingStore } from './store.ts';
import { pairEntries } from './verify.ts';

/**
 * `vaultline landing repair`: moves what interrupted writes leave behind — bodies without sidecar,
 * sidecars without body, LocalStore temp files, S3 write claims — out of the key space, into
 * `_repair/<compact ts>/<original key>`, which no listing, verify or build reads (keys.ts
 * HIDDEN_PREFIXES). Nothing is deleted: the folder can be inspected, and removed by hand.
 *
 * What it never touches: a committed object (body and sidecar both present) — whether or not it
 * verifies; a corrupt one is evidence, and `verify` reports it — and anything modified within
 * `olderThanMs`, since a live writer may be between its body and its sidecar, or filling a temp file.
 * Right before each move the orphan is checked again (its partner may have appeared since the listing).
 */
export type RepairKind = 'body_without_sidecar' | 'sidecar_without_body' | 'temp' | 'claim';

export interface RepairEntry {
  key: string;
  kind: RepairKind;
  bytes: number;
  lastModified: Date;
}

export interface RepairReport {
  /** Where entries were (or, with dryRun, would be) moved: `_repair/<compact ts>/`. */
  folder: string;
  dryRun: boolean;
  moved: RepairEntry[];
  /** Orphans and debris younger than the grace period, left in place. */
  young: RepairEntry[];
  /** Orphans whose partner appeared between the listing and the move (a write that completed). */
  completed: string[];
  bytes: number;
}

export interface RepairOptions {
  prefix?: string;
  /** Grace period (default DEFAULT_GRACE_MS). */
  olderThanMs?: number;
  dryRun?: boolean;
  now?: Date;
}

/** Ten minutes: far longer than any write takes between its body and its sidecar. */
export const DEFAULT_GRACE_MS = 10 * 60 * 1000;

export async function repairStore(store: LandingStore, options: RepairOptions): Promise<RepairReport> {
  const now = options.now ?? new Date();
  const prefix = options.prefix ?? '';
  const candidates: (RepairEntry & { partner?: string })[] = [];
  for (const { key, body, meta } of await pairEntries(store, prefix)) {
    if (body && !meta) {
      const { size, lastModified } = body;
      candidates.push({
        key,
        kind: 'body_without_sidecar',
        bytes: size,
        lastModified,
        partner: metaKeyFor(key),
      });
    } else if (meta && !body) {
      const { size, lastModified } = meta;
      candidates.push({
        key: meta.key,
        kind: 'sidecar_without_body',
        bytes: size,
        lastModified,
        partner: key,
      });
    }
  }
  for await (const entry of store.listDebris(prefix)) {
    candidates.push({
      key: entry.key,
      kind: entry.kind,
      bytes: entry.size,
      lastModified: entry.lastModified,
    });
  }

  const report: RepairReport = {
    folder: repairFolder(now),
    dryRun: options.dryRun === true,
    moved: [],
    young: [],
    completed: [],
    bytes: 0,
  };
  for (const { partner, ...entry } of candidates) {
    if (now.getTime() - entry.lastModified.getTime() < (options.olderThanMs ?? DEFAULT_GRACE_MS)) {
      report.young.push(entry);
      continue;
    }
    if (partner && (await hasEntry(store, partner))) {
      report.completed.push(entry.key);
      continue;
    }
    if (!report.dryRun) await store.moveToRepair(entry.key, report.folder);
    report.moved.push(entry);
    report.bytes += entry.bytes;
  }
  return report;
}

async function hasEntry(store: LandingStore, key: string): Promise<boolean> {
  for await (const entry of store.listEntries(key)) if (entry.key === key) return true;
  return false;
}
