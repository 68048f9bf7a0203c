/**
 * The JSON structure of a source without a contract, on PostgreSQL: for the records themselves and
 * for each top-level field (in order of first appearance), the set of value kinds seen. Found per
 * landed object in SQL (landed-json.ts), kept in vaultline_meta.raw_objects, merged here — a union,
 * so the merged structure does not depend on the order objects are merged in. Pure functions.
 *
 * Kinds: `null`; `boolean`; `string`; `bigint` (an integer literal in the int64 range); `numeric` (a
 * larger integer literal); `double` (a number with a fraction or an exponent); `object`; `array`.
 * Only top-level fields are typed (nested values stay JSON): DuckDB would type nested structs and
 * lists, which PostgreSQL has no column type for short of a composite type per source.
 */
export type JsonKind = 'null' | 'boolean' | 'string' | 'bigint' | 'numeric' | 'double' | 'object' | 'array';

export interface JsonStructure {
  /** Kinds of the records themselves (`object` for the usual records). */
  record: JsonKind[];
  /** Top-level fields of object records, in order of first appearance, with their kinds. */
  fields: [string, JsonKind[]][];
}

export function parseStructure(text: string): JsonStructure {
  const parsed = JSON.parse(text) as Partial<JsonStructure> | null;
  return { record: parsed?.record ?? [], fields: parsed?.fields ?? [] };
}

const union = (a: JsonKind[], b: JsonKind[]) => [...new Set([...a, ...b])].sort();

export function mergeStructures(a: JsonStructure, b: JsonStructure): JsonStructure {
  const fields = new Map(a.fields);
  for (const [name, kinds] of b.fields) fields.set(name, union(fields.get(name) ?? [], kinds));
  return { record: union(a.record, b.record), fields: [...fields] };
}

/** The PostgreSQL type of an inferred column. */
export type InferredType = 'bigint' | 'numeric' | 'double precision' | 'boolean' | 'text' | 'jsonb';

/**
 * The type that holds every kind seen without losing a value, as DuckDB's merge widens: nothing but
 * nulls → jsonb (takes any later value); integers → bigint, or numeric beyond int64; integers and
 * fractions → double precision; one other scalar kind → its type; scalars of different kinds → text
 * (numbers and booleans read as their JSON text); objects or arrays, alone or mixed → jsonb.
 */
export function columnType(kinds: JsonKind[]): InferredType {
  const seen = kinds.filter((k) => k !== 'null');
  if (seen.length === 0) return 'jsonb';
  if (seen.some((k) => k === 'object' || k === 'array')) return 'jsonb';
  const numbers = seen.filter((k) => k === 'bigint' || k === 'numeric' || k === 'double');
  if (numbers.length === seen.length) {
    if (numbers.includes('double')) return 'double precision';
    return numbers.includes('numeric') ? 'numeric' : 'bigint';
  }
  if (seen.length > 1) return 'text';
  return seen[0] === 'boolean' ? 'boolean' : 'text';
}

/** Records are objects with at least one field: one column per field; else one `value` column. */
export function hasFieldColumns(structure: JsonStructure): boolean {
  const kinds = structure.record.filter((k) => k !== 'null');
  return kinds.length === 1 && kinds[0] === 'object' && structure.fields.length > 0;
}
