import { lstatSync, type Stats } from 'node:fs';
import { constants, lstat, mkdir, readdir, stat } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { InvalidKeyError, SymlinkInStoreError } from './errors.ts';
import { assertListPrefix, assertStoreKey, isMetaKey, META_SUFFIX } from './keys.ts';

/**
 * The LocalStore's folder tree, with the rule DESIGN.md sets for it: nothing inside the store is a
 * symlink. Every path the store resolves goes through here — each component between the root and the
 * target is lstat'ed, and a link anywhere is SymlinkInStoreError naming the key and the link — and
 * the walks behind `list`, `listEntries` and `listPartitions` refuse a link the moment they meet one.
 *
 * The root itself may be a link (a user may point `landing.path` at another disk): it is the one
 * component that is followed, and what lies above it is the user's business.
 *
 * Races: reads open the final file with O_NOFOLLOW, so a file swapped for a link after the check is
 * still refused; writes create folders one level at a time, checking each, and create temp files with
 * O_EXCL (which never follows a link) in a folder just checked. What remains is a folder swapped for a
 * link between its check and the open below it, which takes a hostile process already able to write
 * into the store.
 */

/** O_NOFOLLOW where the platform has it (not Windows, where links need privileges to create anyway). */
export const NO_FOLLOW = constants.O_NOFOLLOW ?? 0;

/** The longest absolute path (bytes) the OS opens: PATH_MAX less the terminating NUL. */
const MAX_PATH_BYTES = process.platform === 'darwin' ? 1023 : process.platform === 'win32' ? 259 : 4095;

/** `debris`: the key is a temp file's (see assertStoreKey). */
type KeyOptions = { debris?: boolean };

export class StoreTree {
  constructor(
    readonly root: string,
    private readonly location: string,
  ) {}

  /** The file for `key`, after checking the key's shape and the length of the path (no I/O). */
  pathOf(key: string, options: KeyOptions = {}): string {
    assertStoreKey(key, options);
    const path = join(this.root, ...key.split('/'));
    const longest = isMetaKey(key) || options.debris ? path : `${path}${META_SUFFIX}`;
    const bytes = Buffer.byteLength(resolve(longest));
    if (bytes > MAX_PATH_BYTES) {
      throw new InvalidKeyError(
        key,
        `its path in ${this.location} takes ${bytes} bytes${longest === path ? '' : ' with the sidecar suffix'}, over this system's limit of ${MAX_PATH_BYTES}; use shorter names, or a landing.path nearer the file-system root`,
      );
    }
    return path;
  }

  /** The key of a path inside the store. */
  keyOf(path: string): string {
    return relative(this.root, path).split(sep).join('/');
  }

  /**
   * The lstat of `key`'s file (undefined when it, or a folder on the way, does not exist), after
   * checking that no component from the root down to it is a symlink.
   */
  async inspect(key: string, options: KeyOptions = {}): Promise<Stats | undefined> {
    const segments = key.split('/');
    this.pathOf(key, options);
    let path = this.root;
    const paths = segments.map((segment) => {
      path = join(path, segment);
      return path;
    });
    // Synchronous lstats: on cached directory entries each takes microseconds, where a promise
    // round trip through the thread pool costs far more — builds inspect every body they read.
    let info: Stats | undefined;
    for (const path of paths) {
      info = lstatSyncOrUndefined(path);
      if (!info) return undefined;
      if (info.isSymbolicLink()) throw new SymlinkInStoreError(key, path, this.location);
    }
    return info;
  }

  /**
   * The folder that holds `key`, created one level at a time below the root, each level checked to be
   * a real folder; temp files created in it with O_EXCL therefore land inside the store.
   */
  async folderFor(key: string, options: KeyOptions = {}): Promise<string> {
    this.pathOf(key, options);
    await mkdir(this.root, { recursive: true });
    let path = this.root;
    for (const segment of key.split('/').slice(0, -1)) {
      path = join(path, segment);
      let info = await lstatOrUndefined(path);
      if (!info) {
        await mkdir(path).catch((error: NodeJS.ErrnoException) => {
          if (error.code !== 'EEXIST') throw error;
        });
        info = await lstat(path);
      }
      if (info.isSymbolicLink()) throw new SymlinkInStoreError(key, path, this.location);
      if (!info.isDirectory()) throw new Error(`cannot store ${key}: ${path} exists and is not a folder`);
    }
    return path;
  }

  /** Converts the ELOOP of an O_NOFOLLOW open into the store's error. */
  refuseLink(key: string, error: unknown): never {
    if ((error as NodeJS.ErrnoException).code === 'ELOOP')
      throw new SymlinkInStoreError(key, this.pathOf(key), this.location);
    throw error;
  }

  /** The real folder for a key prefix's folder part (`a/b/` or `a/b/c` → `a/b`), or undefined if absent. */
  async baseFolder(prefix: string): Promise<string | undefined> {
    assertListPrefix(prefix);
    const slash = prefix.lastIndexOf('/');
    const baseKey = slash >= 0 ? prefix.slice(0, slash) : '';
    // The root is the one component that is followed (it may be a link to another disk).
    if (!baseKey)
      return (await stat(this.root).catch(() => undefined))?.isDirectory() ? this.root : undefined;
    const info = await this.inspect(baseKey);
    return info?.isDirectory() ? this.pathOf(baseKey) : undefined;
  }

  /** A folder's entries sorted as their keys sort (a folder as `name/`); a link is refused. */
  async sortedEntries(dir: string) {
    const entries = (await readdir(dir, { withFileTypes: true })).map((entry) => ({
      entry,
      sortKey: entry.isDirectory() ? `${entry.name}/` : entry.name,
    }));
    for (const { entry } of entries) {
      if (entry.isSymbolicLink()) {
        const path = join(dir, entry.name);
        throw new SymlinkInStoreError(this.keyOf(path), path, this.location);
      }
    }
    return entries.sort((a, b) => (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0));
  }

  /**
   * The files of a folder tree in key order, as runs of consecutive files of one folder (a subfolder
   * sorts where `name/` would), each with the names of every file in that folder. `skip(key)` leaves
   * out a subfolder (the hidden `_repair/`).
   */
  async *fileRuns(
    dir: string,
    skip: (folderKey: string) => boolean,
  ): AsyncIterable<{ dir: string; files: string[]; names: Set<string> }> {
    const entries = await this.sortedEntries(dir);
    const names = new Set(entries.filter((e) => e.entry.isFile()).map((e) => e.entry.name));
    let run: string[] = [];
    for (const { entry } of entries) {
      if (entry.isDirectory()) {
        if (run.length > 0) yield { dir, files: run, names };
        run = [];
        const path = join(dir, entry.name);
        if (!skip(`${this.keyOf(path)}/`)) yield* this.fileRuns(path, skip);
      } else if (entry.isFile()) run.push(entry.name);
    }
    if (run.length > 0) yield { dir, files: run, names };
  }

  /** Every file under `dir` in key order (see fileRuns). */
  async *files(dir: string, skip: (folderKey: string) => boolean): AsyncIterable<string> {
    for await (const run of this.fileRuns(dir, skip)) for (const name of run.files) yield join(run.dir, name);
  }
}

function lstatSyncOrUndefined(path: string): Stats | undefined {
  try {
    return lstatSync(path, { throwIfNoEntry: false });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
    throw error;
  }
}

async function lstatOrUndefined(path: string): Promise<Stats | undefined> {
  try {
    return await lstat(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw error;
  }
}
