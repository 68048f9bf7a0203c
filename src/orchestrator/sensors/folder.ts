import { type BigIntStats, lstatSync, readdirSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { SensorFolderError } from './errors.ts';
import { globMatcher } from './glob.ts';
import { type SensedItem, sensedItem, sortItems } from './items.ts';

/**
 * A file younger than this (by modification time, against the poll's `now`) may still be being
 * written: it is left for a later poll, when it has been quiet for that long.
 */
export const QUIET_MS = 2_000;

export interface FolderListing {
  items: SensedItem[];
  /** Symlinks met on the way, project-relative: never followed, never read through. */
  symlinks: string[];
}

/**
 * The files under `folder` (relative to the project), recursively, in path order. Left out: names
 * starting with "." (files and folders), files modified less than QUIET_MS before `now`, anything that
 * is not a regular file, and symlinks (listed in `symlinks` for a warning). The folder itself, and
 * every folder between it and the project, must be a real folder inside the project.
 */
export function listFolder(
  projectDir: string,
  folder: string,
  pattern: string | undefined,
  options: { now: Date },
): FolderListing {
  const root = watchedFolder(projectDir, folder);
  const matches = globMatcher(pattern);
  const items: SensedItem[] = [];
  const symlinks: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue;
      const path = join(dir, entry.name);
      // lstat, not the dirent's type: the entry may have been swapped for a link since readdir.
      const info = lstatOrUndefined(path);
      if (!info) continue; // removed since readdir
      if (info.isSymbolicLink()) symlinks.push(toSlashes(relative(projectDir, path)));
      else if (info.isDirectory()) walk(path);
      else if (info.isFile()) {
        // mtimeNs, not mtimeMs: bigint stats truncate the milliseconds.
        const ageMs = options.now.getTime() - Number(info.mtimeNs) / 1e6;
        if (ageMs < QUIET_MS) continue;
        if (!matches(toSlashes(relative(root, path)))) continue;
        items.push(sensedItem(toSlashes(relative(projectDir, path)), Number(info.size), fileTag(info)));
      }
    }
  };
  walk(root);
  return { items: sortItems(items), symlinks: symlinks.sort() };
}

/** mtime in nanoseconds and inode: a rewrite, a touch or a replacement by another file changes it. */
function fileTag(info: BigIntStats): string {
  return `m${info.mtimeNs}i${info.ino}`;
}

/**
 * The absolute folder to watch, after checking it lies inside the project and that nothing from the
 * project down to it is a symlink (a linked folder could lead anywhere on the machine).
 */
export function watchedFolder(projectDir: string, folder: string): string {
  const project = resolve(projectDir);
  const root = resolve(project, folder);
  const inside = relative(project, root);
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) {
    throw new SensorFolderError(
      folder,
      inside === '' ? 'is the project folder itself' : 'is outside the project',
      'a sensor watches a folder inside the project, given relative to it (e.g. folder: inbox)',
    );
  }
  let path = project;
  for (const segment of inside.split(sep)) {
    path = join(path, segment);
    const info = lstatOrUndefined(path);
    if (!info)
      throw new SensorFolderError(
        folder,
        'does not exist',
        `create ${toSlashes(relative(project, path))} or fix the sensor's folder:`,
      );
    if (info.isSymbolicLink())
      throw new SensorFolderError(
        folder,
        `goes through the symlink ${toSlashes(relative(project, path))}, which sensors never follow`,
        'point folder: at the real folder inside the project',
      );
    if (!info.isDirectory())
      throw new SensorFolderError(
        folder,
        `is not a folder (${toSlashes(relative(project, path))})`,
        "fix the sensor's folder:",
      );
  }
  return root;
}

function lstatOrUndefined(path: string): BigIntStats | undefined {
  try {
    return lstatSync(path, { bigint: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function toSlashes(path: string): string {
  return sep === '/' ? path : path.split(sep).join('/');
}
