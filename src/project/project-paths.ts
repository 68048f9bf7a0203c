import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { VaultlineConfig } from '../config/schema.ts';
import type { PositionedYaml } from '../config/yaml-positions.ts';
import type { Diagnostic } from '../shared/diagnostics.ts';
import { didYouMean } from '../shared/did-you-mean.ts';

const PATH_KEYS = ['model_paths', 'macro_paths', 'test_paths', 'seed_paths'] as const;

/**
 * Folders that vaultline.yml names explicitly (`model_paths: [modelz]`) but that do not exist: one
 * error each, at the line of the entry, with the nearest folder of the project as did-you-mean. A
 * default path that is missing (a project without seeds/) is simply empty. The loader stops at these
 * errors: everything else it would report follows from the missing folder (refs to models it could
 * not find, vault sources that are "not models"), and would bury the one line that matters.
 */
export async function missingPathDiagnostics(
  config: VaultlineConfig,
  yaml: PositionedYaml | undefined,
  file: string,
): Promise<Diagnostic[]> {
  const out: Diagnostic[] = [];
  let folders: string[] | undefined;
  for (const key of PATH_KEYS) {
    if (!yaml?.doc.has(key)) continue;
    const paths = config[key];
    for (const [index, path] of paths.entries()) {
      if (await isDirectory(join(config.projectDir, path))) continue;
      folders ??= await topFolders(config.projectDir);
      const near = didYouMean(path.replace(/\/+$/, ''), folders);
      out.push({
        file,
        line: yaml.lineOf([key, index]),
        node: key,
        message: `the folder "${path}" does not exist in ${config.projectDir}`,
        hint: near
          ? `did you mean "${near}"?`
          : `create it, or fix ${key} (folders here: ${folders.join(', ') || 'none'})`,
        severity: 'error',
      });
    }
  }
  return out;
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

async function topFolders(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  return entries
    .filter((e) => e.isDirectory() && !e.name.startsWith('.') && e.name !== 'node_modules')
    .map((e) => e.name)
    .sort();
}
