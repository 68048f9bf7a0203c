import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { VaultlineConfig } from '../../config/schema.ts';
import { loadCheckedProject } from '../../project/load-project.ts';
import type { ProjectGraph } from '../../project/types.ts';

/** The project graph the UI reads, kept between requests. */
export interface ProjectGraphCache {
  /** The graph as the project files stand now (reloaded when a file changed; throws DiagnosticsError). */
  get(): Promise<ProjectGraph>;
}

/**
 * Loads the project once and reuses it while its files are unchanged. At most every `checkEveryMs`
 * (default 1 s) the project's files are stat-ed (vaultline.yml and every file under the model, seed,
 * macro and test paths: a few ms at thousands of files) and the graph is reloaded when any was
 * added, removed or changed. Requests arriving during a load share it, so a burst of clicks loads once.
 */
export function projectGraphCache(
  config: VaultlineConfig,
  options: { checkEveryMs?: number; now?: () => number } = {},
): ProjectGraphCache {
  const checkEvery = options.checkEveryMs ?? 1000;
  const now = options.now ?? Date.now;
  let loaded: { stamp: string; graph: Promise<ProjectGraph> } | undefined;
  let checkedAt = Number.NEGATIVE_INFINITY;
  return {
    get() {
      if (loaded && now() - checkedAt < checkEvery) return loaded.graph;
      checkedAt = now();
      const stamp = projectStamp(config);
      if (loaded?.stamp !== stamp) {
        const graph = loadCheckedProject(config, {});
        loaded = { stamp, graph };
        // A failed load (a project error) is retried on the next check, not kept.
        graph.catch(() => {
          if (loaded?.graph === graph) checkedAt = Number.NEGATIVE_INFINITY;
        });
      }
      return loaded.graph;
    },
  };
}

/** Names, sizes and modification times of every file the graph is read from, as one text. */
export function projectStamp(config: VaultlineConfig): string {
  const parts: string[] = [];
  const add = (path: string) => {
    try {
      const s = statSync(path);
      parts.push(`${path}:${s.size}:${s.mtimeMs}`);
    } catch {
      parts.push(`${path}:missing`);
    }
  };
  add(config.configFile);
  const walk = (dir: string) => {
    let entries: import('node:fs').Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) add(path);
    }
  };
  const folders = [...config.model_paths, ...config.seed_paths, ...config.macro_paths, ...config.test_paths];
  for (const folder of new Set(folders)) walk(resolve(config.projectDir, folder));
  return parts.join('\n');
}
