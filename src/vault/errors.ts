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
    super(
      `${entity} was built with hashing standard ${recorded}; the project now uses ${current}. ` +
        'Loading more rows would mix hash keys that never join. Rebuild it with --full-refresh (re-hashes ' +
        'every row from staging), or restore the previous vault.hashing settings in vaultline.yml.',
    );
    this.entity = entity;
    this.recorded = recorded;
    this.current = current;
  }
}

/** A relation the load needs is missing (staging model not built, parent not loaded). */
export class VaultInputMissingError extends VaultlineError {}
