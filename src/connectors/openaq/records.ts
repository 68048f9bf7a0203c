import type { Inspection } from '../sdk/types.ts';

/**
 * OpenAQ v3 bodies are `{meta: {page, limit, found}, results: [...]}`. `found` is a number when the
 * total is known and a string such as ">100" when it is not; times come as `{utc, local}` pairs.
 */
export function inspect(_resource: string, json: unknown): Inspection {
  if (json === undefined) return { records: null };
  const results = (json as { results?: unknown } | null)?.results;
  if (!Array.isArray(results))
    return { records: null, warning: 'unexpected body shape: expected {meta, results: [...]}' };
  return { records: results.length };
}

/**
 * Whether another page exists after `page` pages of `limit`: a numeric `found` says exactly; a ">N"
 * string (or none) means "at least", so a full page means go on and a short page means done.
 */
export function hasMorePages(json: unknown, page: number, limit: number): boolean | undefined {
  const body = json as { meta?: { found?: unknown }; results?: unknown } | null;
  if (!body || !Array.isArray(body.results)) return undefined;
  if (body.results.length === 0) return false;
  const found = body.meta?.found;
  if (typeof found === 'number') return page * limit < found;
  if (typeof found === 'string' && /^\d+$/.test(found.trim())) return page * limit < Number(found);
  return body.results.length >= limit;
}
