/**
 * PLACEHOLDER — another helper writes the real file (DESIGN.md's canonical text and digests on
 * PostgreSQL, byte-identical to DuckDB's). Only the signatures are fixed here so the engine compiles;
 * this body is NOT the hashing standard: it renders every value with PostgreSQL's own text cast.
 */
export function canonicalText(expression: string, _columnType?: string): string {
  return `CAST(${expression} AS text)`;
}

export function hashText(expression: string, algorithm: 'md5' | 'sha1' | 'sha256'): string {
  if (algorithm === 'md5') return `md5(${expression})`;
  return `encode(${algorithm}(convert_to(${expression}, 'UTF8')), 'hex')`;
}
