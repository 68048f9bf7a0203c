import { randomBytes } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import {
  constants,
  copyFile,
  type FileHandle,
  link,
  mkdir,
  open,
  readdir,
  readFile,
  stat,
  unlink,
} from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
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
import { AlreadyExistsError, CorruptObjectError, NotFoundError } from './errors.ts';
import { isBodyKey, isMetaKey, META_SUFFIX, metaKeyFor, STATE_PREFIX } from './keys.ts';
import { buildMetadata, type LandingMetadata, type LandingMetadataInput } from './metadata.ts';
import { isStateKeyOf, nextStateKey, parseState, statePrefix } from './state.ts';
import type { LandingStore, ListedObject, PartitionEntry, RawEntry } from './store.ts';

const TEMP_PREFIX = '.tmp-';

/**
 * A landing store in a local folder. Write-once is enforced by the filesystem: each file is written to
 * a temp name, fsynced, then hard-linked to its final name — `link` fails if the name exists, so two
 * writers can never both succeed and nothing is ever overwritten — and the temp name removed.
 */
export class LocalStore implements LandingStore {
  readonly location: string;
  constructor(readonly root: string) {
    this.location = `local folder ${root}`;
  }

  private pathOf(key: string): string {
    if (key.includes('..') || key.startsWith('/')) throw new Error(`invalid landing key: ${key}`);
    return join(this.root, ...key.split('/'));
  }

  async put(key: string, body: Uint8Array, input: LandingMetadataInput): Promise<LandingMetadata> {
    // A stray sidecar (from a hand edit or a restore) must not be paired with a new body.
    if (existsSync(this.pathOf(metaKeyFor(key)))) throw new AlreadyExistsError(key, this.location);
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
    const target = this.pathOf(key);
    await mkdir(dirname(target), { recursive: true });
    const temp = join(dirname(target), `${TEMP_PREFIX}${randomBytes(8).toString('hex')}`);
    try {
      await fill(temp);
    } catch (error) {
      await unlink(temp).catch(() => undefined);
      throw error;
    }
    try {
      await link(temp, target);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST')
        throw new AlreadyExistsError(key, this.location);
      throw error;
    } finally {
      await unlink(temp).catch(() => undefined);
    }
    // Make the new name durable before anything that depends on it (the sidecar) is written, so that
    // after a power cut the sidecar cannot exist while the body's directory entry was lost.
    await syncDirectory(dirname(target));
  }

  async getMeta(key: string): Promise<LandingMetadata> {
    let text: string;
    try {
      text = await readFile(this.pathOf(metaKeyFor(key)), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new NotFoundError(key, this.location);
      throw error;
    }
    try {
      return JSON.parse(text) as LandingMetadata;
    } catch (error) {
      throw new CorruptObjectError(key, `sidecar ${key}${META_SUFFIX} is not valid JSON`, error);
    }
  }

  async get(key: string): Promise<{ body: Buffer; meta: LandingMetadata }> {
    const meta = await this.getMeta(key);
    const stored = await readFile(this.pathOf(key)).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT')
        throw new CorruptObjectError(key, 'the sidecar exists but the body is missing');
      throw error;
    });
    return { body: verifyBody(key, stored, meta), meta };
  }

  async exists(key: string): Promise<boolean> {
    return existsSync(this.pathOf(metaKeyFor(key))) && existsSync(this.pathOf(key));
  }

  async *list(prefix = ''): AsyncIterable<ListedObject> {
    // One readdir per folder tells which bodies have their sidecar (committed); only those are
    // stat'ed, a few at a time — listing a day's folder is the cost of finding its new objects.
    const slash = prefix.lastIndexOf('/');
    const baseKey = slash >= 0 ? prefix.slice(0, slash) : '';
    const baseDir = baseKey ? this.pathOf(baseKey) : this.root;
    if (!existsSync(baseDir)) return;
    for await (const { dir, files, names } of walkFileRuns(baseDir)) {
      const keys: string[] = [];
      for (const name of files) {
        if (name.startsWith(TEMP_PREFIX) || !isBodyKey(name) || !names.has(`${name}${META_SUFFIX}`)) continue;
        const key = relative(this.root, join(dir, name)).split(sep).join('/');
        if (!key.startsWith(prefix)) continue;
        if (!prefix.startsWith(STATE_PREFIX) && key.startsWith(STATE_PREFIX)) continue;
        keys.push(key);
      }
      for (let i = 0; i < keys.length; i += STAT_BATCH) {
        const batch = keys.slice(i, i + STAT_BATCH);
        const infos = await Promise.all(batch.map((key) => stat(this.pathOf(key))));
        for (const [j, key] of batch.entries()) {
          const info = infos[j]!;
          yield { key, size: info.size, lastModified: info.mtime };
        }
      }
    }
  }

  async *listEntries(prefix = ''): AsyncIterable<RawEntry> {
    // Walk only the folders that can hold keys starting with `prefix`, in sorted (key) order.
    const slash = prefix.lastIndexOf('/');
    const baseKey = slash >= 0 ? prefix.slice(0, slash) : '';
    const baseDir = baseKey ? this.pathOf(baseKey) : this.root;
    if (!existsSync(baseDir)) return;
    for await (const path of walkSorted(baseDir)) {
      const key = relative(this.root, path).split(sep).join('/');
      if (!key.startsWith(prefix)) continue;
      const name = key.slice(key.lastIndexOf('/') + 1);
      if (name.startsWith(TEMP_PREFIX)) continue;
      const info = await stat(path);
      yield { key, size: info.size, kind: entryKind(key) };
    }
  }

  async readEntry(key: string): Promise<Buffer> {
    return readFile(this.pathOf(key));
  }

  /** The object's own file, after checking it against the sidecar: engines read it directly. */
  async localPath(key: string): Promise<string> {
    const path = this.pathOf(key);
    await verifyBodyFile(key, path, await this.getMeta(key));
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
    const dir = this.pathOf(base);
    if (!existsSync(dir)) return;
    const names = (await readdir(dir, { withFileTypes: true }))
      .filter((e) => e.isDirectory() && e.name.startsWith('load_date='))
      .map((e) => e.name)
      .sort();
    const now = Date.now();
    for (const name of names) {
      const info = await stat(join(dir, name), { bigint: true });
      const recent = now - Number(info.mtimeMs) < RECENT_MS;
      yield { prefix: `${base}/${name}/`, ...(recent ? {} : { token: String(info.mtimeNs) }) };
    }
  }

  async bodyPath(key: string): Promise<string> {
    const path = this.pathOf(key);
    if (!existsSync(path)) throw new CorruptObjectError(key, 'the sidecar exists but the body is missing');
    return path;
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
    return parseState<T>(newest, await readFile(this.pathOf(newest)));
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
    return readFile(this.pathOf(key)).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') throw new NotFoundError(key, this.location, 'artifact');
      throw error;
    });
  }

  /** The stored file itself, after checking it against the sha256 its manifest recorded. */
  async artifactPath(key: string, sha256: string): Promise<string> {
    assertArtifactKey(key);
    const path = this.pathOf(key);
    await verifyArtifactFile(key, path, sha256, this.location);
    return path;
  }

  /** Streams a stored body (gzip) for callers that copy it elsewhere. */
  openRaw(key: string) {
    return createReadStream(this.pathOf(key));
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

/** Files under `dir` in key order: a folder sorts as its name plus "/", as its keys do on S3. */
/** Files stat'ed at once while listing. */
const STAT_BATCH = 64;

/**
 * The files of a folder tree in key order, as runs of consecutive files of one folder (a subfolder
 * sorts where `name/` would), each with the names of every file in that folder.
 */
async function* walkFileRuns(
  dir: string,
): AsyncIterable<{ dir: string; files: string[]; names: Set<string> }> {
  const entries = (await readdir(dir, { withFileTypes: true })).map((entry) => ({
    entry,
    sortKey: entry.isDirectory() ? `${entry.name}/` : entry.name,
  }));
  entries.sort((a, b) => (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0));
  const names = new Set(entries.filter((e) => e.entry.isFile()).map((e) => e.entry.name));
  let run: string[] = [];
  for (const { entry } of entries) {
    if (entry.isDirectory()) {
      if (run.length > 0) yield { dir, files: run, names };
      run = [];
      yield* walkFileRuns(join(dir, entry.name));
    } else if (entry.isFile()) run.push(entry.name);
  }
  if (run.length > 0) yield { dir, files: run, names };
}

/** How old a partition folder's mtime must be before it is trusted as a change token. */
const RECENT_MS = 3000;

async function* walkSorted(dir: string): AsyncIterable<string> {
  const entries = (await readdir(dir, { withFileTypes: true })).map((entry) => ({
    entry,
    sortKey: entry.isDirectory() ? `${entry.name}/` : entry.name,
  }));
  entries.sort((a, b) => (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0));
  for (const { entry } of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walkSorted(path);
    else if (entry.isFile()) yield path;
  }
}
