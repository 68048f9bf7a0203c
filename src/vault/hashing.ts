/**
 * The vault hashing standard (DESIGN.md): which digest, case folding, delimiter and null token, and
 * the SQL for hash keys and hashdiffs built from them through the engine's Dialect. Engine-agnostic:
 * the per-type `text(x)`, `trim`, `upper` and the digest come from the dialect (`canonicalText`,
 * `trimText`, `upperText`, `hashText`), so every engine produces the same bytes.
 *
 * One addition to DESIGN.md's formula, recorded in the fingerprint: a hashdiff drops trailing null
 * tokens (`a||^^||^^` hashes as `a`), so appending an attribute to a satellite does not make every
 * existing key look changed while the new column is still null (schema drift, see CONTEXT.md).
 */
import { createHash } from 'node:crypto';
import type { Dialect } from '../engine/dialect.ts';

export type HashAlgorithm = 'md5' | 'sha1' | 'sha256';

export interface HashingStandard {
  algorithm: HashAlgorithm;
  /** `upper`: hash keys are case-insensitive (DESIGN.md); `preserve`: they are not. Hashdiffs never fold case. */
  case: 'upper' | 'preserve';
  delimiter: string;
  nullToken: string;
}

export const DEFAULT_HASHING: HashingStandard = {
  algorithm: 'sha256',
  case: 'upper',
  delimiter: '||',
  nullToken: '^^',
};

/** Bumped whenever the generated hash SQL changes meaning; part of the recorded fingerprint. */
export const HASHING_STANDARD_VERSION = 'vaultline-dv2/1';

/** A column to hash: its SQL expression and, when known, its type (for canonical text). */
export interface HashColumn {
  name: string;
  expression: string;
  type?: string;
}

/**
 * The user's own `hash_key` / `hash_diff` macros, rendered by the project layer into functions from
 * columns to a SQL expression (see CONTEXT.md). vaultline still skips rows whose key columns are all
 * null or empty; everything else about the digest is the macro's.
 */
export interface HashMacros {
  hashKey?: (columns: HashColumn[]) => string;
  hashDiff?: (columns: HashColumn[]) => string;
}

export function hexLength(algorithm: HashAlgorithm): number {
  return algorithm === 'md5' ? 32 : algorithm === 'sha1' ? 40 : 64;
}

/** The all-zero key of ghost records and PIT pointers where nothing applies yet. */
export function ghostKey(standard: HashingStandard): string {
  return '0'.repeat(hexLength(standard.algorithm));
}

/**
 * A canonical JSON description of the standard, stored per entity in `vaultline_meta.vault_hashing`.
 * User macros are fingerprinted by the SQL they render for two probe columns.
 */
export function hashingFingerprint(standard: HashingStandard, macros?: HashMacros): string {
  const probe: HashColumn[] = [
    { name: 'c1', expression: '"c1"', type: 'VARCHAR' },
    { name: 'c2', expression: '"c2"', type: 'VARCHAR' },
  ];
  const digest = (sql: string | undefined) =>
    sql === undefined ? null : createHash('sha256').update(sql).digest('hex').slice(0, 16);
  return JSON.stringify({
    standard: HASHING_STANDARD_VERSION,
    algorithm: standard.algorithm,
    case: standard.case,
    delimiter: standard.delimiter,
    null_token: standard.nullToken,
    hashdiff: 'trailing-null-tokens-dropped',
    hash_key_macro: digest(macros?.hashKey?.(probe)),
    hash_diff_macro: digest(macros?.hashDiff?.(probe)),
  });
}

function text(column: HashColumn, dialect: Dialect): string {
  return dialect.trimText(dialect.canonicalText(column.expression, column.type));
}

/** SQL that is TRUE when every column of the group is null or empty (the key is then NULL). */
export function allNullSql(group: HashColumn[], dialect: Dialect): string {
  const parts = group.map((c) => `nullif(${text(c, dialect)}, '')`);
  return parts.length === 1 ? `${parts[0]} IS NULL` : `coalesce(${parts.join(', ')}) IS NULL`;
}

/**
 * Hash key over groups of business key columns (one group per hub; a hub key is one group). NULL
 * when any group is entirely null or empty — for a link, a missing hub key means no link row.
 */
export function hashKeySql(
  groups: HashColumn[][],
  standard: HashingStandard,
  dialect: Dialect,
  macros?: HashMacros,
): string {
  const columns = groups.flat();
  const nullWhen = groups.map((g) => allNullSql(g, dialect)).join(' OR ');
  const digest = macros?.hashKey
    ? macros.hashKey(columns)
    : dialect.hashText(hashKeyTextSql(columns, standard, dialect), standard.algorithm);
  return `CASE WHEN ${nullWhen} THEN NULL ELSE ${digest} END`;
}

/**
 * The text a hash key digests: each column's canonical text, trimmed, case-folded per the standard,
 * null or empty as the null token, joined by the delimiter. What a user `hash_key(expr)` macro receives.
 */
export function hashKeyTextSql(columns: HashColumn[], standard: HashingStandard, dialect: Dialect): string {
  const token = dialect.literal(standard.nullToken);
  const parts = columns.map((c) => {
    const t = standard.case === 'upper' ? dialect.upperText(text(c, dialect)) : text(c, dialect);
    return `coalesce(nullif(${t}, ''), ${token})`;
  });
  return concat(parts, standard, dialect);
}

/**
 * Each attribute's canonical text, trimmed, null or empty as the null token (never case-folded), in
 * declared order. What a user `hash_diff(cols)` macro receives.
 */
export function hashDiffPartsSql(
  columns: HashColumn[],
  standard: HashingStandard,
  dialect: Dialect,
): string[] {
  const token = dialect.literal(standard.nullToken);
  return columns.map((c) => `coalesce(nullif(${text(c, dialect)}, ''), ${token})`);
}

/**
 * Hashdiff of attribute columns in declared order: case-sensitive, trailing null tokens dropped
 * (schema drift). Never NULL.
 */
export function hashDiffSql(
  columns: HashColumn[],
  standard: HashingStandard,
  dialect: Dialect,
  macros?: HashMacros,
): string {
  if (macros?.hashDiff) return macros.hashDiff(columns);
  const parts = hashDiffPartsSql(columns, standard, dialect);
  if (parts.length === 1) return dialect.hashText(parts[0]!, standard.algorithm);
  const pattern = `(${escapeRegex(standard.delimiter)}${escapeRegex(standard.nullToken)})+$`;
  const stripped = `regexp_replace(${concat(parts, standard, dialect)}, ${dialect.literal(pattern)}, '')`;
  return dialect.hashText(stripped, standard.algorithm);
}

function concat(parts: string[], standard: HashingStandard, dialect: Dialect): string {
  return parts.length === 1
    ? parts[0]!
    : `concat_ws(${dialect.literal(standard.delimiter)}, ${parts.join(', ')})`;
}

function escapeRegex(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
