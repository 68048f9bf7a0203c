import type { Inspection } from '../sdk/types.ts';

/**
 * SpaceX API v4 list endpoints answer a JSON array; the query API (`POST /v4/<resource>/query`) a page
 * `{docs: [...], totalDocs, …}`, whose records are `docs`. Launches refer to other documents
 * (`rocket`, `launchpad`, `payloads[]`, `capsules[]`, `ships[]`, `crew[]`, `fairings.ships[]`,
 * `cores[].core`, `cores[].landpad`), launchpads to rockets and launches (`rockets[]`, `launches[]`).
 * A reference is an id string, null (not known yet: an upcoming launch's core), or — with the query
 * API's `populate`, or a mirror that populates — the document itself, `{"id": "5e9d…", "name": …}`;
 * a crew entry may also be `{crew: <reference>, role}` (the v5 shape). All of these are accepted; a
 * reference that is none of them (a number, an object without an id) is counted in a warning.
 */
export function inspect(resource: string, json: unknown): Inspection {
  if (json === undefined) return { records: null };
  const records = recordsOf(json);
  if (!records)
    return {
      records: null,
      warning: 'unexpected body shape: expected a list (or a query page {docs: [...]})',
    };
  const bad = badReferences(resource, records);
  if (bad.length === 0) return { records: records.length };
  const shown = bad
    .slice(0, 3)
    .map((b) => `${b.path} = ${b.value}`)
    .join(', ');
  return {
    records: records.length,
    warning: `${bad.length} reference(s) are neither an id string nor an object with an id: ${shown}${bad.length > 3 ? ', …' : ''}`,
  };
}

/** The documents of a body: the list itself, or the `docs` of a query page. */
export function recordsOf(json: unknown): unknown[] | undefined {
  if (Array.isArray(json)) return json;
  const docs = (json as { docs?: unknown } | null)?.docs;
  return Array.isArray(docs) ? docs : undefined;
}

/**
 * The id a reference names: the string itself, or the `id` (or `_id`) of a populated document; null
 * for a null reference; undefined when the value is not a reference at all.
 */
export function referenceId(value: unknown): string | null | undefined {
  if (value === null) return null;
  if (typeof value === 'string') return value;
  if (typeof value !== 'object' || Array.isArray(value)) return undefined;
  const record = value as { id?: unknown; _id?: unknown };
  if (typeof record.id === 'string') return record.id;
  if (typeof record._id === 'string') return record._id;
  return undefined;
}

/** A crew entry: a reference (v4), or `{crew: <reference>, role}` (v5). */
export function crewId(value: unknown): string | null | undefined {
  if (value !== null && typeof value === 'object' && 'crew' in value && !('id' in value) && !('_id' in value))
    return referenceId((value as { crew?: unknown }).crew);
  return referenceId(value);
}

interface BadReference {
  path: string;
  value: string;
}

const SINGLE: Record<string, readonly string[]> = { launches: ['rocket', 'launchpad'] };
const LISTS: Record<string, readonly string[]> = {
  launches: ['payloads', 'capsules', 'ships'],
  launchpads: ['rockets', 'launches'],
};

function badReferences(resource: string, records: readonly unknown[]): BadReference[] {
  const bad: BadReference[] = [];
  const check = (path: string, value: unknown, read = referenceId) => {
    if (value !== undefined && read(value) === undefined) bad.push({ path, value: shortJson(value) });
  };
  const checkList = (path: string, list: unknown, read = referenceId) => {
    if (!Array.isArray(list)) return;
    for (const [i, item] of list.entries()) check(`${path}[${i}]`, item, read);
  };
  for (const [index, record] of records.entries()) {
    if (record === null || typeof record !== 'object') continue;
    const doc = record as Record<string, unknown>;
    for (const field of SINGLE[resource] ?? []) check(`[${index}].${field}`, doc[field]);
    for (const field of LISTS[resource] ?? []) checkList(`[${index}].${field}`, doc[field]);
    if (resource !== 'launches') continue;
    checkList(`[${index}].crew`, doc.crew, crewId);
    checkList(`[${index}].fairings.ships`, (doc.fairings as { ships?: unknown } | null | undefined)?.ships);
    if (!Array.isArray(doc.cores)) continue;
    for (const [i, core] of doc.cores.entries()) {
      if (core === null || typeof core !== 'object') continue;
      check(`[${index}].cores[${i}].core`, (core as { core?: unknown }).core);
      check(`[${index}].cores[${i}].landpad`, (core as { landpad?: unknown }).landpad);
    }
  }
  return bad;
}

function shortJson(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}
