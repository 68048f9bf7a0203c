import type { HashingStandard } from '../../vault/hashing.ts';

const HEX_LENGTH: Record<HashingStandard['algorithm'], number> = { md5: 32, sha1: 40, sha256: 64 };

/**
 * Whether `text` is a hash key of `algorithm` (lowercase hex of the digest's length). Anything else is
 * refused before SQL is written: a hash key reaches SQL only as a bound parameter anyway, but a
 * malformed one is a mistake worth naming.
 */
export function isHashKey(text: string, algorithm: HashingStandard['algorithm']): boolean {
  return text.length === HEX_LENGTH[algorithm] && /^[0-9a-f]+$/.test(text);
}

export function hashKeyShape(algorithm: HashingStandard['algorithm']): string {
  return `${HEX_LENGTH[algorithm]} lowercase hex digits (${algorithm})`;
}
