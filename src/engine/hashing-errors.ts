/**
 * Errors of DESIGN.md's hashing standard shared by every engine's hashing.ts: the vault layer
 * (src/vault/sql/common.ts) catches them while planning, so they must not depend on one engine.
 */

/** Thrown for a declared column type that has no canonical text. */
export class UnsupportedHashTypeError extends Error {
  readonly columnType: string;
  /**
   * `cast` says, in the engine's own SQL, what to cast the column to in the staging model
   * (e.g. `VARCHAR, or to_json(x)::VARCHAR for nested values`).
   */
  constructor(columnType: string, cast: string) {
    super(
      `type ${columnType} has no canonical text for hashing; cast the column in the staging model (to ${cast})`,
    );
    this.name = 'UnsupportedHashTypeError';
    this.columnType = columnType;
  }
}

/** Thrown when an engine cannot compute the configured digest (`vault.hashing.algorithm`). */
export class UnsupportedHashAlgorithmError extends Error {
  readonly algorithm: string;
  constructor(algorithm: string, engine: string, supported: readonly string[], advice: string) {
    super(
      `${engine} cannot compute ${algorithm} hashes: ${advice}; set vault.hashing.algorithm to ` +
        `${supported.join(' or ')}, or define a hash_key / hash_diff macro`,
    );
    this.name = 'UnsupportedHashAlgorithmError';
    this.algorithm = algorithm;
  }
}
