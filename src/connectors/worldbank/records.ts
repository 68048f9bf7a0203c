import type { Inspection } from '../sdk/types.ts';

/** The sidecar's `no_data` for a World Bank answer without rows. */
export const NO_DATA = 'World Bank: no data for this country, indicator and dates';

/**
 * World Bank v2 bodies are `[meta, rows]`. A series with no data answers 200 with `rows` null, e.g.
 * `[{"page":0,"pages":0,"per_page":50,"lastupdated":"2024-06-28","total":0,"sourceid":null},null]`:
 * that is "no data" (landed, 0 records, never a failure), as is an empty rows list with `total` 0.
 * Errors come back with status 200 as `[{"message":[{"id","key","value"}]}]`. Older releases put
 * numbers in strings (`"page":"1"`, `"per_page":"50"`, `"value":"57339635"`): paging reads both.
 */
export function inspect(_resource: string, json: unknown): Inspection {
  if (json === undefined) return { records: null };
  const error = errorMessage(json);
  if (error) return { records: 0, error };
  if (!Array.isArray(json) || json.length < 2 || typeof json[0] !== 'object' || json[0] === null) {
    return { records: null, warning: 'unexpected body shape: expected [meta, rows]' };
  }
  const rows = json[1];
  if (rows === null) return { records: 0, noData: NO_DATA };
  if (Array.isArray(rows) && rows.length === 0 && count((json[0] as { total?: unknown }).total) === 0)
    return { records: 0, noData: NO_DATA };
  if (!Array.isArray(rows))
    return { records: null, warning: 'unexpected body shape: the second element is not a list of rows' };
  return { records: rows.length };
}

/** `World Bank error 120 (Invalid value): The provided parameter value is not valid`, or undefined. */
export function errorMessage(json: unknown): string | undefined {
  if (!Array.isArray(json) || json.length !== 1) return undefined;
  const first = json[0] as { message?: unknown } | null;
  if (!first || typeof first !== 'object' || !Array.isArray(first.message)) return undefined;
  const parts = first.message.map((m: { id?: unknown; key?: unknown; value?: unknown }) =>
    `World Bank error ${String(m?.id ?? '?')} (${String(m?.key ?? 'error')}): ${String(m?.value ?? '')}`.trim(),
  );
  return parts.join('; ') || 'World Bank error (no message)';
}

/**
 * `meta.page` and `meta.pages` as numbers, whether the release sent numbers or strings. An empty
 * answer says `"page":0,"pages":0`: page 0 of 0, the last page.
 */
export function pagePosition(json: unknown): { page: number; pages: number } | undefined {
  if (!Array.isArray(json)) return undefined;
  const meta = json[0] as { page?: unknown; pages?: unknown } | undefined;
  const page = count(meta?.page);
  const pages = count(meta?.pages);
  if (page === undefined || pages === undefined || (page < 1 && pages > 0)) return undefined;
  return { page, pages };
}

/** A whole number sent as a number or as a string of digits (`5`, `"5"`); undefined otherwise. */
function count(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) && value >= 0 ? value : undefined;
  if (typeof value === 'string' && /^\s*\d+\s*$/.test(value)) return Number(value);
  return undefined;
}
