import { randomBytes } from 'node:crypto';
import { constants, copyFile, type FileHandle, link, lstat, open, readFile, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import {
  type ArtifactSource,
  assertArtifactKey,
  hashBytes,
  hashFile,
  type StoredArtifact,
  verifyArtifactFile,
} from './artifacts.ts';
import { verifyBody, verifyBodyFile } from './body.ts';
import { AlreadyExistsError, CorruptObjectError, NotFoundError, SymlinkInStoreError } from './errors.ts';
import {
  assertRepairFolder,
  assertWritableKey,
  isBodyKey,
  isHiddenKey,
  isMetaKey,
  META_SUFFIX,
  metaKeyFor,
  STATE_PREFIX,
  TEMP_PREFIX,
} from './keys.ts';
import { NO_FOLLOW, StoreTree } from './local-tree.ts';
import { buildMetadata, type LandingMetadata, type LandingMetadataInput } from './metadata.ts';
import { isStateKeyOf, nextStateKey, parseState, statePrefix } from './state.ts';
import type { DebrisEntry, LandingStore, ListedObject, PartitionEntry, RawEntry } from './store.ts';

/**
 * A landing store in a local folder. Write-once is enforced by the filesystem: each file is written to
 * a temp name, fsynced, then hard-linked to its final name — `link` fails if the name exists, so two
 * writers can never both succeed and nothing is ever overwritten — and the temp name removed.
 * Every path goes through StoreTree (local-tree.ts), which refuses symlinks inside the store.
 */
export class LocalStore implements LandingStore {
  readonly location: string;
  private readonly tree: StoreTree;
  constructor(readonly root: string) {
    this.location = `local folder ${root}`;
    this.tree = new StoreTree(root, this.location);
  }

  async put(key: string, body: Uint8Array, input: LandingMetadataInput): Promise<LandingMetadata> {
    assertWritableKey(key);
    this.tree.pathOf(key);
    // A stray sidecar (from a hand edit or a restore) must not be paired with a new body.
    if (await this.tree.inspect(metaKeyFor(key))) throw new AlreadyExistsError(key, this.location);
    const compressed = gzipSync(body);
    const meta = buildMetadata(key, body, compressed.byteLength, input);
    // Body first, sidecar last: the sidecar is the commit point that makes the object visible.
    await this.createExclusive(key, compressed);
    await this.createExclusive(metaKeyFor(key), Buffer.from(`${JSON.stringify(meta, null, 2)}\n`));
    return meta;
  }

  private async createExclusive(key: string, bytes: Uint8Array): Promise<void> {
    await this.placeExclusive(key, async (temp) => {
      const handle = await open(temp, 'wx');
      try {
        await handle.writeFile(bytes);
        await handle.sync();
      } finally {
        await handle.close();
      }
    });
  }

  /** Fills a fresh temp file (`fill`), then links it to `key` exclusively (see createExclusive). */
  private async placeExclusive(key: string, fill: (temp: string) => Promise<void>): Promise<void> {
    assertWritableKey(key);
    // A folder checked to be real, level by level; the temp file is created in it with O_EXCL.
    const folder = await this.tree.folderFor(key);
    const target = this.tree.pathOf(key);
    const temp = join(folder, `${TEMP_PREFIX}${randomBytes(8).toString('hex')}`);
    try {
      await fill(temp);
    } catch (error) {
      await unlink(temp).catch(() => undefined);
      throw error;
    }
    try {
      await link(temp, target);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
        if ((await lstat(target)).isSymbolicLink()) throw new SymlinkInStoreError(key, target, this.location);
        throw new AlreadyExistsError(key, this.location);
      }
      throw error;
    } finally {
      await unlink(temp).catch(() => undefined);
    }
    // Make the new name durable before anything that depends on it (the sidecar) is written, so that
    // after a power cut the sidecar cannot exist while the body's directory entry was lost.
    await syncDirectory(folder);
  }

  /** The bytes of `key`'s file, refusing a link on the way (undefined when there is no such file). */
  private async readChecked(key: string): Promise<Buffer | undefined> {
    if (!(await this.tree.inspect(key))) return undefined;
    try {
      // O_NOFOLLOW: a file swapped for a link since the check is refused too.
      return await readFile(this.tree.pathOf(key), { flag: constants.O_RDONLY | NO_FOLLOW });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      return this.tree.refuseLink(key, error);
    }
  }

  async getMeta(key: string): Promise<LandingMetadata> {
    this.tree.pathOf(key); // an invalid key is reported as given, not as its sidecar's name
    const bytes = await this.readChecked(metaKeyFor(key));
    if (!bytes) throw new NotFoundError(key, this.location);
    try {
      return JSON.parse(bytes.toString('utf8')) as LandingMetadata;
    } catch (error) {
      throw new CorruptObjectError(key, `sidecar ${key}${META_SUFFIX} is not valid JSON`, error);
    }
  }

  async get(key: string): Promise<{ body: Buffer; meta: LandingMetadata }> {
    const meta = await this.getMeta(key);
    const stored = await this.readChecked(key);
    if (!stored) throw new CorruptObjectError(key, 'the sidecar exists but the body is missing');
    return { body: verifyBody(key, stored, meta), meta };
  }

  async exists(key: string): Promise<boolean> {
    this.tree.pathOf(key);
    const [meta, body] = await Promise.all([this.tree.inspect(metaKeyFor(key)), this.tree.inspect(key)]);
    return meta?.isFile() === true && body?.isFile() === true;
  }

  async *list(prefix = ''): AsyncIterable<ListedObject> {
    // One readdir per folder tells which bodies have their sidecar (committed); only those are
    // stat'ed, a few at a time — listing a day's folder is the cost of finding its new objects.
    const baseDir = await this.tree.baseFolder(prefix);
    if (!baseDir) return;
    for await (const { dir, files, names } of this.tree.fileRuns(baseDir, (k) => isHiddenKey(k, prefix))) {
      const found: { key: string; path: string }[] = [];
      for (const name of files) {
        if (name.startsWith(TEMP_PREFIX) || !isBodyKey(name) || !names.has(`${name}${META_SUFFIX}`)) continue;
        const path = join(dir, name);
        const key = this.tree.keyOf(path);
        if (!key.startsWith(prefix)) continue;
        if (!prefix.startsWith(STATE_PREFIX) && key.startsWith(STATE_PREFIX)) continue;
        found.push({ key, path });
      }
      // The walk met these files in folders it checked, and refuses links: no per-key check needed.
      for (let i = 0; i < found.length; i += STAT_BATCH) {
        const batch = found.slice(i, i + STAT_BATCH);
        const infos = await Promise.all(batch.map((f) => lstat(f.path)));
        for (const [j, { key }] of batch.entries()) {
          const info = infos[j]!;
          yield { key, size: info.size, lastModified: info.mtime };
        }
      }
    }
  }

  async *listEntries(prefix = ''): AsyncIterable<RawEntry> {
    for await (const { key, path } of this.walk(prefix)) {
      if (key.slice(key.lastIndexOf('/') + 1).startsWith(TEMP_PREFIX)) continue;
      const info = await lstat(path);
      yield { key, size: info.size, kind: entryKind(key), lastModified: info.mtime };
    }
  }

  /** Temp files (`.tmp-*`) under `prefix`: what a write killed before its link leaves behind. */
  async *listDebris(prefix = ''): AsyncIterable<DebrisEntry> {
    for await (const { key, path } of this.walk(prefix)) {
      if (!key.slice(key.lastIndexOf('/') + 1).startsWith(TEMP_PREFIX)) continue;
      const info = await lstat(path);
      yield { key, size: info.size, kind: 'temp', lastModified: info.mtime };
    }
  }

  /** Every file whose key starts with `prefix`, walking only the folders that can hold one, in key order. */
  private async *walk(prefix: string): AsyncIterable<{ key: string; path: string }> {
    const baseDir = await this.tree.baseFolder(prefix);
    if (!baseDir) return;
    for await (const path of this.tree.files(baseDir, (k) => isHiddenKey(k, prefix))) {
      const key = this.tree.keyOf(path);
      if (key.startsWith(prefix)) yield { key, path };
    }
  }

  async readEntry(key: string): Promise<Buffer> {
    const bytes = await this.readChecked(key);
    if (!bytes) throw new NotFoundError(key, this.location, 'entry');
    return bytes;
  }

  /**
   * Moves an uncommitted entry to `<folder><key>` (link, then unlink: the destination is never
   * overwritten). The caller (repair.ts) has checked it is an orphan or debris.
   */
  async moveToRepair(key: string, folder: string): Promise<void> {
    assertRepairFolder(folder);
    const debris = key.slice(key.lastIndexOf('/') + 1).startsWith(TEMP_PREFIX);
    const info = await this.tree.inspect(key, { debris });
    if (!info?.isFile()) throw new NotFoundError(key, this.location, 'entry');
    const destination = `${folder}${key}`;
    await this.tree.folderFor(destination, { debris });
    const from = this.tree.pathOf(key, { debris });
    await link(from, this.tree.pathOf(destination, { debris }));
    await syncDirectory(dirname(this.tree.pathOf(destination, { debris })));
    await unlink(from);
    await syncDirectory(dirname(from));
  }

  /** The object's own file, after checking it against the sidecar: engines read it directly. */
  async localPath(key: string): Promise<string> {
    const meta = await this.getMeta(key);
    await this.tree.inspect(key);
    const path = this.tree.pathOf(key);
    await verifyBodyFile(key, path, meta);
    return path;
  }

  /**
   * Partition folders with their modification time as the change token: creating or renaming an
   * entry in a folder (a body, its sidecar) updates the folder's mtime. A folder modified in the last
   * few seconds gets no token, so a coarse file-system clock can never hide an object that lands in
   * the same tick as the listing.
   */
  async *listPartitions(prefix: string): AsyncIterable<PartitionEntry> {
    const base = prefix.replace(/\/+$/, '');
    if (!(await this.tree.inspect(base))?.isDirectory()) return;
    const dir = this.tree.pathOf(base);
    const names = (await this.tree.sortedEntries(dir))
      .filter((e) => e.entry.isDirectory() && e.entry.name.startsWith('load_date='))
      .map((e) => e.entry.name);
    const now = Date.now();
    for (const name of names) {
      const info = await lstat(join(dir, name), { bigint: true });
      const recent = now - Number(info.mtimeMs) < RECENT_MS;
      yield { prefix: `${base}/${name}/`, ...(recent ? {} : { token: String(info.mtimeNs) }) };
    }
  }

  async bodyPath(key: string): Promise<string> {
    if (!(await this.tree.inspect(key))?.isFile())
      throw new CorruptObjectError(key, 'the sidecar exists but the body is missing');
    return this.tree.pathOf(key);
  }

  async putState(name: string, value: unknown): Promise<void> {
    await this.createExclusive(
      nextStateKey(name, new Date()),
      Buffer.from(`${JSON.stringify(value, null, 2)}\n`),
    );
  }

  async getState<T = unknown>(name: string): Promise<T | undefined> {
    let newest: string | undefined;
    for await (const entry of this.listEntries(statePrefix(name))) {
      if (isStateKeyOf(name, entry.key)) newest = entry.key;
    }
    if (!newest) return undefined;
    return parseState<T>(newest, await this.readEntry(newest));
  }

  async putArtifact(key: string, source: ArtifactSource): Promise<StoredArtifact> {
    assertArtifactKey(key);
    if (source instanceof Uint8Array) {
      await this.createExclusive(key, source);
      return { key, ...hashBytes(source) };
    }
    let stored: { sha256: string; bytes: number } | undefined;
    await this.placeExclusive(key, async (temp) => {
      await copyFile(source.file, temp, constants.COPYFILE_EXCL);
      const handle = await open(temp, 'r+');
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
      // Hash what will be linked into place, not the caller's file: that is what readers will verify.
      stored = await hashFile(temp);
    });
    return { key, ...stored! };
  }

  async getArtifact(key: string): Promise<Buffer> {
    assertArtifactKey(key);
    const bytes = await this.readChecked(key);
    if (!bytes) throw new NotFoundError(key, this.location, 'artifact');
    return bytes;
  }

  /** The stored file itself, after checking it against the sha256 its manifest recorded. */
  async artifactPath(key: string, sha256: string): Promise<string> {
    assertArtifactKey(key);
    await this.tree.inspect(key);
    const path = this.tree.pathOf(key);
    await verifyArtifactFile(key, path, sha256, this.location);
    return path;
  }
}

export function entryKind(key: string): RawEntry['kind'] {
  if (key.startsWith(STATE_PREFIX)) return 'state';
  if (isMetaKey(key)) return 'meta';
  if (isBodyKey(key)) return 'body';
  return 'other';
}

async function syncDirectory(dir: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch (error) {
    // Some platforms and filesystems cannot fsync a directory; the link-then-sidecar order still holds there.
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EISDIR' && code !== 'EINVAL' && code !== 'EPERM' && code !== 'EBADF') throw error;
  } finally {
    await handle?.close();
  }
}

/** Files stat'ed at once while listing. */
const STAT_BATCH = 64;

/** How old a partition folder's mtime must be before it is trusted as a change token. */
const RECENT_MS = 3000;
