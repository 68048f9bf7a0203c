import { mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { loadConfig } from '../config/load.ts';
import { loadProject } from './load-project.ts';
import type { ProjectGraph } from './types.ts';

/**
 * For tests of this folder: writes `files` (path → text) into a fresh temp project (a minimal
 * vaultline.yml unless given), loads it, and returns the graph with a cleanup.
 */
export async function loadTempProject(
  files: Record<string, string>,
  options: { vars?: Record<string, unknown>; env?: Record<string, string | undefined> } = {},
): Promise<{ graph: ProjectGraph; dir: string; cleanup: () => Promise<void> }> {
  const dir = await realpath(await mkdtemp(join(tmpdir(), 'vaultline-project-')));
  const all = { 'vaultline.yml': 'name: p\n', ...files };
  for (const [path, text] of Object.entries(all)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  const graph = await loadProject(loadConfig(dir, {}), options);
  return { graph, dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}
