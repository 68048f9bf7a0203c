import {
  closeSync,
  constants,
  fstatSync,
  fsyncSync,
  lstatSync,
  mkdirSync,
  openSync,
  readSync,
  renameSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { StateSymlinkError } from './errors.ts';

/**
 * The orchestrator's state folder: created 0700 on first write, never followed through a symlink.
 * Folders are checked with lstat; files are opened with O_NOFOLLOW, so a link swapped in after the
 * check is refused by the kernel too.
 */
export class StateDir {
  readonly dir: string;
  private readonly projectDir: string;
  private checked = new Set<string>();

  constructor(projectDir: string, statePath: string) {
    this.projectDir = resolve(projectDir);
    this.dir = resolve(this.projectDir, statePath);
  }

  path(...parts: string[]): string {
    return join(this.dir, ...parts);
  }

  /** True when the folder (or `sub` in it) exists; refuses a symlink on the way. */
  exists(sub?: string): boolean {
    return this.walk(sub, false);
  }

  /** Creates the folder (0700) and `sub` in it as needed; refuses a symlink on the way. */
  ensure(sub?: string): string {
    this.walk(sub, true);
    return sub ? this.path(sub) : this.dir;
  }

  /**
   * Each folder from below the project down to the state folder (and `sub`) is lstat-checked; a
   * state folder outside the project (an absolute state_path) is checked from itself down.
   */
  private walk(sub: string | undefined, create: boolean): boolean {
    const target = sub ? this.path(sub) : this.dir;
    if (this.checked.has(target)) return true;
    const inside = relative(this.projectDir, this.dir);
    const start =
      inside !== '' && !inside.startsWith('..') && !isAbsolute(inside) ? this.projectDir : undefined;
    const base = start ?? this.dir;
    const chain = start ? [] : [this.dir];
    let at = base;
    for (const part of relative(base, target).split(sep).filter(Boolean)) {
      at = join(at, part);
      chain.push(at);
    }
    for (const folder of chain) {
      const stat = lstatOrUndefined(folder);
      if (stat?.isSymbolicLink()) throw new StateSymlinkError(folder);
      if (stat) continue;
      if (!create) return false;
      // Folders of the state tree are private: run logs hold commands, errors and results.
      mkdirSync(folder, { mode: 0o700 });
    }
    this.checked.add(target);
    return true;
  }
}

function lstatOrUndefined(path: string) {
  try {
    return lstatSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Opens a file without following a symlink; ELOOP (it is one) becomes StateSymlinkError. */
export function openNoFollow(path: string, flags: number, mode = 0o600): number {
  try {
    return openSync(path, flags | constants.O_NOFOLLOW, mode);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOOP') throw new StateSymlinkError(path);
    throw error;
  }
}

/** The whole file as UTF-8, or undefined when it does not exist. */
export function readTextNoFollow(path: string): string | undefined {
  let fd: number;
  try {
    fd = openNoFollow(path, constants.O_RDONLY);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const size = fstatSync(fd).size;
    const chunks: Buffer[] = [];
    let total = 0;
    // Read to the end, not to the size seen at open: another process may be appending.
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.max(65_536, size - total));
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      chunks.push(chunk.subarray(0, n));
      total += n;
    }
    return Buffer.concat(chunks, total).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/** Writes all of `bytes` at the fd's position (append mode: the end). */
export function writeAll(fd: number, bytes: Buffer): void {
  let offset = 0;
  while (offset < bytes.length) offset += writeSync(fd, bytes, offset, bytes.length - offset);
}

/** Makes a new or renamed directory entry durable. */
export function fsyncDir(dir: string): void {
  const fd = openSync(dir, constants.O_RDONLY);
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Replaces `path` whole: a temp file beside it (exclusive create, no symlink), fsync, rename, fsync
 * of the folder. A reader sees the old file or the new one, never half of one; a kill -9 leaves at
 * most a stray temp file.
 */
export function writeFileAtomic(path: string, text: string): void {
  if (lstatOrUndefined(path)?.isSymbolicLink()) throw new StateSymlinkError(path);
  const temp = `${path}.${process.pid}.${Math.random().toString(36).slice(2, 8)}.tmp`;
  const fd = openNoFollow(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL);
  try {
    writeAll(fd, Buffer.from(text, 'utf8'));
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    unlinkSync(temp);
    throw error;
  }
  closeSync(fd);
  renameSync(temp, path);
  fsyncDir(dirname(path));
}
