import type { PositionedYaml } from '../config/yaml-positions.ts';
import type { Diagnostic } from '../shared/diagnostics.ts';
import { didYouMean } from '../shared/did-you-mean.ts';
import { CONFIG_KEYS, type ConfigResource, checkConfig, mergeConfigs } from './config-keys.ts';

/**
 * Folder configs from vaultline.yml, dbt style:
 *   models:
 *     my_project:          # optional: the project name, as dbt writes it
 *       staging:           # a folder under a model path
 *         +materialized: view
 *         +tags: [staging]
 * `+key` is a config; other keys are folders (a known config key without `+` is accepted, as in dbt).
 * Deeper folders override shallower ones; tags accumulate. A folder key that names no folder holding
 * files of the section is an error (with the nearest folder as did-you-mean).
 */
export interface FolderConfigs {
  /** The merged config for a node in `folders` (its fqn without the name). */
  resolve(folders: readonly string[]): Record<string, unknown>;
}

export function readFolderConfigs(options: {
  section: 'models' | 'seeds' | 'tests';
  resource: ConfigResource;
  values: Record<string, unknown>;
  projectName: string;
  /** Every folder path (joined with "/") that holds at least one file of this kind. */
  knownFolders: ReadonlySet<string>;
  yaml: PositionedYaml | undefined;
  file: string;
  diagnostics: Diagnostic[];
}): FolderConfigs {
  const byFolder = new Map<string, Record<string, unknown>>();
  const keys = CONFIG_KEYS[options.resource] as Record<string, unknown>;
  const line = (path: (string | number)[], key: string) => options.yaml?.lineOfKey(path, key);

  const walk = (node: Record<string, unknown>, yamlPath: string[], folder: string[]) => {
    const raw: Record<string, unknown> = {};
    const rawLines: Record<string, number | undefined> = {};
    for (const [key, value] of Object.entries(node)) {
      const folderPath = [...folder, key].join('/');
      if (key.startsWith('+')) {
        raw[key.slice(1)] = value;
        rawLines[key.slice(1)] = line(yamlPath, key);
      } else if (folder.length === 0 && key === options.projectName && !options.knownFolders.has(key)) {
        if (isMapping(value)) walk(value, [...yamlPath, key], folder);
      } else if (isMapping(value) && options.knownFolders.has(folderPath)) {
        walk(value, [...yamlPath, key], [...folder, key]);
      } else if (key in keys && !isMapping(value)) {
        raw[key] = value;
        rawLines[key] = line(yamlPath, key);
      } else {
        const siblings = [...options.knownFolders]
          .filter(
            (f) =>
              f.split('/').length === folder.length + 1 &&
              f.startsWith(folder.length ? `${folder.join('/')}/` : ''),
          )
          .map((f) => f.split('/').pop()!);
        const suggestion = didYouMean(key, [...siblings, ...Object.keys(keys).map((k) => `+${k}`)]);
        options.diagnostics.push({
          file: options.file,
          line: line(yamlPath, key),
          node: [...yamlPath, key].join('.'),
          message: isMapping(value)
            ? `no folder "${folderPath}" holds ${options.section}, so this config would apply to nothing`
            : `"${key}" is neither a folder nor a config (configs start with "+")`,
          hint: suggestion
            ? `did you mean "${suggestion}"?`
            : siblings.length
              ? `folders here: ${siblings.join(', ')}`
              : isMapping(value)
                ? `create the folder or remove this entry`
                : `write configs as +key: value (${Object.keys(keys).join(', ')})`,
          // An error, not a warning: a misspelt folder would otherwise build its models with none of
          // its configs (views in the default schema) and the run would look fine.
          severity: 'error',
        });
      }
    }
    const { config, problems } = checkConfig(options.resource, raw);
    for (const problem of problems) {
      options.diagnostics.push({
        file: options.file,
        line: rawLines[problem.key],
        node: [...yamlPath, `+${problem.key}`].join('.'),
        message: problem.message,
        hint: problem.hint,
        severity: 'error',
      });
    }
    const key = folder.join('/');
    byFolder.set(key, mergeConfigs(byFolder.get(key) ?? {}, config));
  };
  walk(options.values, [options.section], []);

  return {
    resolve(folders) {
      const layers: Record<string, unknown>[] = [byFolder.get('') ?? {}];
      for (let i = 1; i <= folders.length; i++)
        layers.push(byFolder.get(folders.slice(0, i).join('/')) ?? {});
      return mergeConfigs(...layers);
    },
  };
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
