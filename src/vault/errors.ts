import { VaultlineError } from '../shared/errors.ts';

/**
 * The entity was built with another hashing standard than the project's current one: loading more
 * rows would mix keys that never join. Carries both fingerprints so the message can show what changed.
 */
export class VaultHashingMismatchError extends VaultlineError {
  readonly entity: string;
  readonly recorded: string;
  readonly current: string;
  constructor(entity: string, recorded: string, current: string) {
    const changed = changedSettings(recorded, current);
    super(
      `${entity} was built with hashing standard ${recorded}; the project now uses ${current}. ` +
        'Loading more rows would mix hash keys that never join.' +
        (changed.length > 0 ? ` Changed: ${changed.join(', ')}.` : '') +
        '\nhint: rebuild it with --full-refresh (re-hashes every row from staging), or restore the previous ' +
        (changed.some((c) => c.endsWith('_macro'))
          ? "hash_key / hash_diff macros in the project's macros/ folder"
          : 'vault.hashing settings in vaultline.yml'),
    );
    this.entity = entity;
    this.recorded = recorded;
    this.current = current;
  }
}

/** A relation the load needs is missing (staging model not built, parent not loaded). */
export class VaultInputMissingError extends VaultlineError {}

/** The fingerprint fields (hashing.ts `hashingFingerprint`, JSON) that differ: `algorithm`, `hash_key_macro`, … */
function changedSettings(recorded: string, current: string): string[] {
  const parse = (text: string): Record<string, unknown> => {
    try {
      const value: unknown = JSON.parse(text);
      return value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
    } catch {
      return {};
    }
  };
  const a = parse(recorded);
  const b = parse(current);
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].filter(
    (k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]),
  );
}
