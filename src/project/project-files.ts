import { readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

/** A file of the project, located the ways diagnostics, fqn and `path:` selection need. */
export interface ProjectFile {
  /** Relative to the project folder, forward slashes: `models/staging/stg_items.sql`. */
  path: string;
  absolute: string;
  /** Folders between the configured root (e.g. `models`) and the file: `['staging']`. */
  folders: string[];
  /** File name without extension: the node name. */
  stem: string;
}

/**
 * Every file under `roots` (model_paths, macro_paths …) whose name ends with one of `extensions`, in
 * a stable order (sorted paths), so graphs, test names and diagnostics are reproducible. Hidden
 * entries and node_modules are skipped; a missing root is simply empty.
 */
export async function listProjectFiles(
  projectDir: string,
  roots: readonly string[],
  extensions: readonly string[],
): Promise<ProjectFile[]> {
  const out: ProjectFile[] = [];
  const seen = new Set<string>();
  for (const root of roots) {
    const rootAbsolute = join(projectDir, root);
    const walk = async (dir: string) => {
      let entries: import('node:fs').Dirent[];
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch {
        return;
      }
      for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
        if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
        const absolute = join(dir, entry.name);
        if (entry.isDirectory()) await walk(absolute);
        else if (entry.isFile() && extensions.some((ext) => entry.name.endsWith(ext))) {
          const path = toPosix(relative(projectDir, absolute));
          if (seen.has(path)) continue;
          seen.add(path);
          const ext = extensions.find((e) => entry.name.endsWith(e))!;
          out.push({
            path,
            absolute,
            folders: toPosix(relative(rootAbsolute, dir)).split('/').filter(Boolean),
            stem: entry.name.slice(0, -ext.length),
          });
        }
      }
    };
    await walk(rootAbsolute);
  }
  return out;
}

export function toPosix(path: string): string {
  return path.split(sep).join('/');
}
