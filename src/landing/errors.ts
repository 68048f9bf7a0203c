import { VaultlineError } from '../shared/errors.ts';

export class AlreadyExistsError extends VaultlineError {
  readonly key: string;
  constructor(key: string, location: string) {
    super(
      `landing object already exists: ${key} in ${location} (landed objects are write-once; land again to get a new key)`,
    );
    this.key = key;
  }
}

export class NotFoundError extends VaultlineError {
  readonly key: string;
  constructor(key: string, location: string, what = 'landing object') {
    super(`${what} not found: ${key} in ${location} (run \`vaultline landing ls\` to see the keys)`);
    this.key = key;
  }
}

export class ChecksumMismatchError extends VaultlineError {
  readonly key: string;
  /**
   * `actual` is the sha256 the stored body hashes to, or (when `problem` is given) why it could not be
   * hashed at all, e.g. a gzip stream that no longer decompresses.
   */
  constructor(key: string, expected: string, actual: string, problem?: string) {
    super(
      `checksum mismatch for ${key}: ${
        problem
          ? `the stored body ${problem}`
          : `sidecar says sha256 ${expected}, stored body hashes to ${actual}`
      }. The stored object is corrupt; re-extract it from the source, or restore it from a backup or bucket version.`,
    );
    this.key = key;
  }
}

export class CorruptObjectError extends VaultlineError {
  readonly key: string;
  constructor(key: string, problem: string, cause?: unknown) {
    super(`corrupt landing object ${key}: ${problem}`, { cause });
    this.key = key;
  }
}
