import type { Inspection } from '../sdk/types.ts';

/**
 * Pageviews bodies are `{items: [{timestamp: "YYYYMMDDHH", views, …}]}`. Days with no views are simply
 * absent (not zero), and a range with no data at all is a 404 problem+json — landed as "no data".
 */
export function inspect(_resource: string, json: unknown): Inspection {
  if (json === undefined) return { records: null };
  const items = (json as { items?: unknown } | null)?.items;
  if (!Array.isArray(items))
    return { records: null, warning: 'unexpected body shape: expected {items: [...]}' };
  return { records: items.length };
}

/** The sidecar's `no_data` for a Wikimedia "no data" 404. */
export const NO_DATA = 'Wikimedia: no data for the requested dates';

/** "…we either do not have data for those date(s)…" and other wordings that say the same. */
const SAYS_NO_DATA = /\b(do not|don't|does not|doesn't) have (any )?data\b|\bno data\b/i;

/**
 * A 404 problem+json whose `detail` says there is no data (a range before the article existed or not
 * loaded yet, an article nobody viewed): the type does not matter — `about:blank` today,
 * `https://mediawiki.org/wiki/HyperSwitch/errors/not_found` in older releases, none in some. Any other
 * 404 (`"detail":"invalid route"`, a proxy's HTML page) is a failure.
 */
export function noData(_resource: string, status: number, json: unknown): string | undefined {
  if (status !== 404 || typeof json !== 'object' || json === null) return undefined;
  const detail = (json as { detail?: unknown }).detail;
  const text = Array.isArray(detail) ? detail.filter((d) => typeof d === 'string').join(' ') : detail;
  if (typeof text !== 'string' || !SAYS_NO_DATA.test(text)) return undefined;
  return NO_DATA;
}

/** Timestamps a complete answer would hold, to name the days (or months) the API left out. */
export function expectedTimestamps(start: string, end: string, granularity: 'daily' | 'monthly'): string[] {
  const toDate = (t: string) =>
    new Date(Date.UTC(Number(t.slice(0, 4)), Number(t.slice(4, 6)) - 1, Number(t.slice(6, 8))));
  const out: string[] = [];
  const last = toDate(end);
  const current = toDate(start);
  if (granularity === 'monthly') current.setUTCDate(1);
  while (current <= last && out.length < 100_000) {
    out.push(`${current.toISOString().slice(0, 10).replaceAll('-', '')}00`);
    if (granularity === 'daily') current.setUTCDate(current.getUTCDate() + 1);
    else current.setUTCMonth(current.getUTCMonth() + 1);
  }
  return granularity === 'monthly' ? out.filter((t) => t >= `${start.slice(0, 6)}0100`) : out;
}

export function missingTimestamps(json: unknown, expected: readonly string[]): string[] {
  const items = (json as { items?: { timestamp?: unknown }[] } | undefined)?.items;
  if (!Array.isArray(items)) return [];
  const present = new Set(items.map((item) => String(item?.timestamp)));
  return expected.filter((t) => !present.has(t));
}
