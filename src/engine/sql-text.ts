/**
 * The SQL spellings DuckDB and PostgreSQL share (standard SQL with standard-conforming strings), for
 * each engine's dialect.ts to use; an engine that quotes differently writes its own.
 */

/** `"name"` with embedded quotes doubled. */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** `"schema"."name"`. */
export function qualifiedName(schema: string, name: string): string {
  return `${quoteIdentifier(schema)}.${quoteIdentifier(name)}`;
}

/**
 * A literal: NULL, TRUE/FALSE, a finite number as JavaScript prints it (exact for every double), a
 * string with its quotes doubled (a backslash is an ordinary character). NaN and ±Infinity have no
 * numeric literal: they are text cast to the engine's `doubleType`.
 */
export function standardLiteral(value: string | number | boolean | null, doubleType: string): string {
  if (value === null) return 'NULL';
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return `'${String(value)}'::${doubleType}`;
    return String(value);
  }
  return `'${value.replaceAll("'", "''")}'`;
}
