import { NotFoundError } from '../../landing/errors.ts';
import { parseLandingKey } from '../../landing/keys.ts';
import type { LandingMetadata } from '../../landing/metadata.ts';
import type { LandingStore } from '../../landing/store.ts';

/** Newest load dates kept per source × resource in the summary: older days are counted, not listed. */
export const SUMMARY_DAYS = 90;
/** How much of a body the object view shows. */
export const PREVIEW_BYTES = 64 * 1024;
/** Sidecars read at once (S3 stores answer each with a request). */
const CONCURRENCY = 16;

export interface DaySummary {
  date: string;
  objects: number;
  /** Uncompressed bytes (the sidecars'), as the API returned them. */
  bytes: number;
  compressed_bytes: number;
  /** Sum of the sidecars' record counts; null when no object of the day knows its count. */
  records: number | null;
  invalid_json: number;
}

export interface ResourceSummary {
  source: string;
  resource: string;
  objects: number;
  days: DaySummary[];
  /** Older days left out of `days` (beyond SUMMARY_DAYS), and how many objects they hold. */
  older_days: number;
  older_objects: number;
}

export interface ObjectRow {
  key: string;
  bytes: number;
  compressed_bytes: number;
  records: number | null;
  status: number | null;
  load_ts: string;
  valid_json: boolean;
  parse_error?: string;
  no_data?: string;
  transport?: string;
}

/**
 * Every landed object grouped by source, resource and load date (newest dates first). Keys that are
 * not landing keys are left out. Sidecars are read only for the newest SUMMARY_DAYS days of each
 * resource: a long history costs one listing, not one read per object.
 */
export async function landingSummary(store: LandingStore): Promise<ResourceSummary[]> {
  const byResource = new Map<string, { source: string; resource: string; days: Map<string, string[]> }>();
  for await (const listed of store.list('')) {
    const parsed = parseLandingKey(listed.key);
    if (!parsed) continue;
    const id = `${parsed.source}/${parsed.resource}`;
    let entry = byResource.get(id);
    if (!entry) {
      entry = { source: parsed.source, resource: parsed.resource, days: new Map() };
      byResource.set(id, entry);
    }
    entry.days.set(parsed.loadDate, [...(entry.days.get(parsed.loadDate) ?? []), listed.key]);
  }
  const out: ResourceSummary[] = [];
  for (const entry of [...byResource.values()].sort((a, b) =>
    `${a.source}/${a.resource}` < `${b.source}/${b.resource}` ? -1 : 1,
  )) {
    const dates = [...entry.days.keys()].sort().reverse();
    const shown = dates.slice(0, SUMMARY_DAYS);
    const older = dates.slice(SUMMARY_DAYS);
    const days: DaySummary[] = [];
    for (const date of shown) {
      const metas = await readMetas(store, entry.days.get(date) ?? []);
      const counted = metas.filter((m) => m.record_count !== null);
      days.push({
        date,
        objects: metas.length,
        bytes: metas.reduce((n, m) => n + m.bytes, 0),
        compressed_bytes: metas.reduce((n, m) => n + m.compressed_bytes, 0),
        records: counted.length > 0 ? counted.reduce((n, m) => n + (m.record_count ?? 0), 0) : null,
        invalid_json: metas.filter((m) => !m.valid_json).length,
      });
    }
    out.push({
      source: entry.source,
      resource: entry.resource,
      objects: [...entry.days.values()].reduce((n, keys) => n + keys.length, 0),
      days,
      older_days: older.length,
      older_objects: older.reduce((n, date) => n + (entry.days.get(date)?.length ?? 0), 0),
    });
  }
  return out;
}

/** The objects of one source, resource and load date, in key (load time) order. */
export async function objectsOfDay(
  store: LandingStore,
  source: string,
  resource: string,
  date: string,
): Promise<ObjectRow[]> {
  const keys: string[] = [];
  for await (const listed of store.list(`${source}/${resource}/load_date=${date}/`))
    if (parseLandingKey(listed.key)) keys.push(listed.key);
  return (await readMetas(store, keys)).map(objectRow);
}

export function objectRow(meta: LandingMetadata): ObjectRow {
  return {
    key: meta.key,
    bytes: meta.bytes,
    compressed_bytes: meta.compressed_bytes,
    records: meta.record_count,
    status: meta.response?.status ?? null,
    load_ts: meta.load_ts,
    valid_json: meta.valid_json,
    ...(meta.parse_error !== undefined ? { parse_error: meta.parse_error } : {}),
    ...(meta.no_data !== undefined ? { no_data: meta.no_data } : {}),
    ...(meta.transport !== undefined ? { transport: meta.transport } : {}),
  };
}

/** Sidecars of `keys`, in their order; an object whose sidecar vanished since the listing is left out. */
async function readMetas(store: LandingStore, keys: readonly string[]): Promise<LandingMetadata[]> {
  const out: (LandingMetadata | undefined)[] = new Array(keys.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < keys.length; i = next++) {
      try {
        out[i] = await store.getMeta(keys[i]!);
      } catch (error) {
        if (!(error instanceof NotFoundError)) throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, keys.length) }, worker));
  return out.filter((m): m is LandingMetadata => m !== undefined);
}
