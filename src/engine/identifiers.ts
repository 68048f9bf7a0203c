import { createHash } from 'node:crypto';
import type { Dialect } from './dialect.ts';

/**
 * A name vaultline generates (temporary tables and views, the names a swap builds under, per-entity
 * state tables, raw table generations) made to fit the engine's identifier length. PostgreSQL cuts
 * an identifier at 63 bytes without an error, so two long names sharing a prefix would name one
 * relation, and a suffix that says what a relation is for would be cut off. A name that fits is
 * returned as it is; a longer one keeps as much of `base` as fits, then `_` and 10 hex digits of the
 * SHA-256 of `base + suffix` (distinct names stay distinct), then `suffix` whole.
 */
export function fitIdentifier(
  dialect: Pick<Dialect, 'maxIdentifierLength'>,
  base: string,
  suffix = '',
): string {
  const max = dialect.maxIdentifierLength;
  const name = `${base}${suffix}`;
  if (Buffer.byteLength(name) <= max) return name;
  const tail = `_${createHash('sha256').update(name).digest('hex').slice(0, 10)}${suffix}`;
  let room = max - Buffer.byteLength(tail);
  let kept = '';
  for (const char of base) {
    room -= Buffer.byteLength(char);
    if (room < 0) break;
    kept += char;
  }
  return `${kept}${tail}`;
}
