/**
 * JSON structures as DuckDB's `json_group_structure` spells them: a type name (`"VARCHAR"`,
 * `"UBIGINT"`, `"DOUBLE"`, `"BOOLEAN"`, `"NULL"`, `"JSON"` …), an object of field structures, or a
 * one-element array holding the element structure. vaultline computes one structure per landed object
 * (cached in vaultline_meta) and merges them here, so a source's columns come from metadata, not from
 * re-reading its whole history. Pure functions.
 */
export type JsonStructure = string | JsonStructure[] | { [field: string]: JsonStructure };

const INTEGERS = ['UBIGINT', 'BIGINT', 'HUGEINT'];

export function parseStructure(text: string): JsonStructure {
  return JSON.parse(text) as JsonStructure;
}

/**
 * Widens two structures to one that holds both without losing values: NULL gives way to anything;
 * integers widen to HUGEINT, then DOUBLE; scalars of different kinds become VARCHAR (numbers and
 * booleans read as their text); objects merge field by field (first-seen order); anything else is JSON.
 */
export function mergeStructures(a: JsonStructure, b: JsonStructure): JsonStructure {
  if (a === 'NULL') return b;
  if (b === 'NULL') return a;
  if (typeof a === 'string' && typeof b === 'string') return mergeScalars(a, b);
  if (Array.isArray(a) && Array.isArray(b)) {
    const [ea, eb] = [a[0] ?? 'NULL', b[0] ?? 'NULL'];
    return [mergeStructures(ea, eb)];
  }
  if (isObject(a) && isObject(b)) {
    const out: Record<string, JsonStructure> = { ...a };
    for (const [field, structure] of Object.entries(b)) {
      const existing = out[field];
      out[field] = existing === undefined ? structure : mergeStructures(existing, structure);
    }
    return out;
  }
  return 'JSON';
}

function mergeScalars(a: string, b: string): string {
  if (a === b) return a;
  if (a === 'JSON' || b === 'JSON') return 'JSON';
  const numeric = (t: string) => INTEGERS.includes(t) || t === 'DOUBLE';
  if (INTEGERS.includes(a) && INTEGERS.includes(b))
    return a === 'UBIGINT' && b === 'UBIGINT' ? 'UBIGINT' : 'HUGEINT';
  if (numeric(a) && numeric(b)) return 'DOUBLE';
  return 'VARCHAR';
}

function isObject(s: JsonStructure): s is Record<string, JsonStructure> {
  return typeof s === 'object' && !Array.isArray(s);
}

/**
 * The structure json_transform should apply: fields that were only ever null become JSON (they keep
 * any later value as text), an object with no fields becomes JSON, and UBIGINT (DuckDB's guess for
 * non-negative integers) becomes BIGINT, the type users expect.
 */
export function finalizeStructure(s: JsonStructure): JsonStructure {
  if (typeof s === 'string') {
    if (s === 'NULL') return 'JSON';
    if (s === 'UBIGINT') return 'BIGINT';
    return s;
  }
  if (Array.isArray(s)) return [finalizeStructure(s[0] ?? 'NULL')];
  const fields = Object.entries(s);
  if (fields.length === 0) return 'JSON';
  return Object.fromEntries(fields.map(([k, v]) => [k, finalizeStructure(v)]));
}

/** The DuckDB type a (finalized) structure converts to, e.g. `STRUCT("mag" DOUBLE)[]`. */
export function structureType(s: JsonStructure, quote: (name: string) => string): string {
  if (typeof s === 'string') return s;
  if (Array.isArray(s)) return `${structureType(s[0] ?? 'JSON', quote)}[]`;
  const fields = Object.entries(s).map(([k, v]) => `${quote(k)} ${structureType(v, quote)}`);
  return `STRUCT(${fields.join(', ')})`;
}

/** Top-level columns a structure yields: an object's fields, or one `value` column for anything else. */
export function structureColumns(s: JsonStructure): { name: string; structure: JsonStructure }[] {
  if (isObject(s) && Object.keys(s).length > 0) {
    return Object.entries(s).map(([name, structure]) => ({ name, structure }));
  }
  return [{ name: 'value', structure: s }];
}

export function isObjectStructure(s: JsonStructure): boolean {
  return isObject(s) && Object.keys(s).length > 0;
}
