import type { TypeFamily } from '../dialect.ts';

/**
 * Families of the type names PostgreSQL's catalog gives: `format_type()` spellings (`character
 * varying(20)`, `numeric(18,3)`, `timestamp(3) without time zone`, `integer[]`) and the
 * information_schema `data_type` ones (`ARRAY`, `USER-DEFINED`). Arrays, domains, enums, composite
 * and other user-defined types are `other`.
 */
export function pgTypeFamily(dataType: string): TypeFamily {
  const t = dataType.trim().toLowerCase().replace(/\s+/g, ' ');
  if (t.endsWith(']') || t === 'array' || t === 'user-defined') return 'other';
  if (/^(smallint|integer|bigint|int[248]?|smallserial|serial[248]?|bigserial)$/.test(t)) return 'integer';
  if (/^(real|double precision|float[48]?)$/.test(t)) return 'float';
  if (/^(numeric|decimal)\b/.test(t)) return 'decimal';
  if (/^(text|character varying|varchar|character|char|bpchar|name|"char"|citext)\b/.test(t)) return 'text';
  if (t === 'boolean' || t === 'bool') return 'boolean';
  if (t === 'date') return 'date';
  if (/^timestamp(\(\d\))? with time zone$/.test(t) || t === 'timestamptz') return 'timestamptz';
  if (/^timestamp(\(\d\))?( without time zone)?$/.test(t)) return 'timestamp';
  if (/^(time|timetz)\b/.test(t)) return 'time';
  if (t === 'json' || t === 'jsonb') return 'json';
  return 'other';
}
