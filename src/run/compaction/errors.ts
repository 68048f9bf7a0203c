import { VaultlineError } from '../../shared/errors.ts';

/**
 * A compacted row that does not match its landed object (or is missing from its file). Reading it
 * could change results, so the read is refused; the landed JSON is intact, so moving the manifest
 * away makes every reader fall back to it.
 */
export class CompactedObjectError extends VaultlineError {
  readonly key: string;
  constructor(input: { key: string; parquetKey: string; manifestKey: string; problem: string }) {
    super(
      `compacted copy of ${input.key} in ${input.parquetKey} ${input.problem}; vaultline refuses to read it. ` +
        `The landed JSON is untouched: move ${input.manifestKey} out of the landing store (readers then use the JSON) and run \`vaultline compact\` again, or restore the file from a backup.`,
    );
    this.key = input.key;
  }
}
