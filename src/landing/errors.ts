import { VaultlineError } from '../shared/errors.ts';

export class AlreadyExistsError extends VaultlineError {
  readonly key: string;
  constructor(key: string, location: string, detail?: string) {
    super(
      `landing object already exists: ${key} in ${location} (${detail ?? 'landed objects are write-once; land again to get a new key'})`,
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

/**
 * A key the store cannot hold: one that would escape the store, a reserved name, or one too long for
 * the file system or S3. A usage error (exit 2): the key is what must change, not the store.
 */
export class InvalidKeyError extends VaultlineError {
  readonly key: string;
  constructor(key: string, problem: string) {
    super(`invalid landing key "${key}": ${problem}`, { exitCode: 2 });
    this.key = key;
  }
}

/**
 * A symbolic link inside a local landing store (DESIGN.md "Safety": nothing inside the store is a
 * symlink). Following it would read or write outside the project, so every operation refuses it.
 * Exit 2: the store's layout must be fixed by hand.
 */
export class SymlinkInStoreError extends VaultlineError {
  readonly key: string;
  readonly link: string;
  constructor(key: string, link: string, location: string) {
    super(
      `symlink inside the landing store (${location}): ${link} (reached for key "${key}"). vaultline never follows links inside the store; replace the link with a real folder or file (e.g. \`cp -a\` the target into place), or point landing.path itself at the other disk — only the store's root may be a link`,
      { exitCode: 2 },
    );
    this.key = key;
    this.link = link;
  }
}
