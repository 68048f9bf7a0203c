import type { Row } from '../../engine/dialect.ts';

/**
 * A warehouse value as JSON can carry it: timestamps as ISO text, integers beyond 2^53 as text (a
 * BIGINT would otherwise fail JSON.stringify or lose digits).
 */
export function jsonValue(value: unknown): unknown {
  if (typeof value === 'bigint')
    return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
      ? Number(value)
      : value.toString();
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (value instanceof Uint8Array) return `<${value.byteLength} bytes>`;
  if (Array.isArray(value)) return value.map(jsonValue);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) out[key] = jsonValue(inner);
    return out;
  }
  return value;
}

export function jsonRow(row: Row): Record<string, unknown> {
  return jsonValue(row) as Record<string, unknown>;
}
