import type { TypeFamily } from '../dialect.ts';

/**
 * DuckDB's type names (information_schema `data_type`, DESCRIBE `column_type`) by family. Nested and
 * special types (STRUCT, LIST, MAP, UNION, BLOB, UUID, INTERVAL, ENUM, BIT, arrays `T[]`) are `other`.
 */
export function duckdbTypeFamily(dataType: string): TypeFamily {
  const t = dataType.trim().toUpperCase();
  if (t.endsWith(']')) return 'other';
  if (/^(U?(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT)|INT[1248]?|LONG|SHORT|SIGNED|UHUGEINT)$/.test(t))
    return 'integer';
  if (/^(FLOAT[48]?|REAL|DOUBLE)$/.test(t)) return 'float';
  if (/^(DECIMAL|NUMERIC)\b/.test(t)) return 'decimal';
  if (/^(VARCHAR|TEXT|STRING|CHAR|BPCHAR)\b/.test(t)) return 'text';
  if (t === 'BOOLEAN' || t === 'BOOL' || t === 'LOGICAL') return 'boolean';
  if (t === 'DATE') return 'date';
  if (t === 'TIMESTAMP WITH TIME ZONE' || t === 'TIMESTAMPTZ') return 'timestamptz';
  if (/^(TIMESTAMP(_S|_MS|_NS)?|DATETIME|TIMESTAMP WITHOUT TIME ZONE)$/.test(t)) return 'timestamp';
  if (/^(TIME|TIMETZ|TIME WITH TIME ZONE)$/.test(t)) return 'time';
  if (t === 'JSON') return 'json';
  return 'other';
}
