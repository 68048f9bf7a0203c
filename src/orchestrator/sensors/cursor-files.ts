import { randomBytes } from 'node:crypto';
import {
  closeSync,
  constants,
  fsyncSync,
  ftruncateSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { SensorCursorError } from './errors.ts';

/**
 * The file operations a sensor cursor needs, each safe against kill -9 and against symlinks planted in
 * the state folder: reads open with O_NOFOLLOW, temp files are created with O_EXCL (which never
 * follows a link), renames replace a link rather than write through it, and every write is fsynced —
 * the file, then its folder, so the new name survives a power cut too.
 */
const NO_FOLLOW = constants.O_NOFOLLOW ?? 0;

/** The folder `dir`, created if missing, refused if it is a symlink. */
export function ensureRealFolder(dir: string): void {
  mkdirSync(dir, { recursive: true });
  if (lstatSync(dir).isSymbolicLink())
    throw new SensorCursorError(dir, 'is a symlink', 'make it a real folder (sensors never follow links)');
}

/** The file's text, or undefined when it does not exist; a symlink is refused. */
export function readTextNoFollow(file: string): string | undefined {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | NO_FOLLOW);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'ELOOP')
      throw new SensorCursorError(file, 'is a symlink', 'replace it with the real file, or remove it');
    throw error;
  }
  try {
    return readFileSync(fd, 'utf8');
  } finally {
    closeSync(fd);
  }
}

/** Replaces `file` with `text` all at once: temp file, fsync, rename, fsync of the folder. */
export function writeAtomic(file: string, text: string): void {
  const temp = `${file}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  const fd = openSync(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | NO_FOLLOW, 0o644);
  try {
    writeAll(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    renameSync(temp, file);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
  fsyncFolder(dirname(file));
}

/** Appends `text` to `file` (created if missing) and fsyncs it before returning. */
export function appendDurably(file: string, text: string): void {
  let fd: number;
  let created = false;
  try {
    fd = openSync(file, constants.O_WRONLY | constants.O_APPEND | NO_FOLLOW);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ELOOP')
      throw new SensorCursorError(file, 'is a symlink', 'replace it with the real file, or remove it');
    if (code !== 'ENOENT') throw error;
    fd = openSync(
      file,
      constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_EXCL,
      0o644,
    );
    created = true;
  }
  try {
    writeAll(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  if (created) fsyncFolder(dirname(file));
}

/** Cuts `file` (which must exist) to its first `bytes` bytes, fsynced. */
export function truncateDurably(file: string, bytes: number): void {
  const fd = openSync(file, constants.O_WRONLY | NO_FOLLOW);
  try {
    ftruncateSync(fd, bytes);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Temp files a killed writer left next to `file` (they are never read). */
export function removeStaleTemps(file: string): void {
  const dir = dirname(file);
  const base = file.slice(dir.length + 1);
  for (const name of readdirSync(dir)) {
    if (name.startsWith(`${base}.`) && name.endsWith('.tmp')) rmSync(join(dir, name), { force: true });
  }
}

function writeAll(fd: number, text: string): void {
  const bytes = Buffer.from(text);
  let offset = 0;
  while (offset < bytes.length) offset += writeSync(fd, bytes, offset);
}

function fsyncFolder(dir: string): void {
  // Not every platform can open a folder for fsync (Windows); the rename is still atomic there.
  let fd: number | undefined;
  try {
    fd = openSync(dir, constants.O_RDONLY);
    fsyncSync(fd);
  } catch {
    // best effort
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
