import type { Command } from 'commander';
import { stringify } from 'yaml';
import { REDACTED, redactor } from '../shared/redact.ts';
import type { ContextProvider } from './verbs.ts';

/** `vaultline config`: the resolved configuration, secrets shown as ***. */
export function registerConfig(program: Command, context: ContextProvider): void {
  program
    .command('config')
    // biome-ignore lint/suspicious/noTemplateCurlyInString: ${ENV} is vaultline.yml syntax shown in the help
    .description('print the resolved configuration (defaults filled in, ${ENV} interpolated, secrets as ***)')
    .action(() => {
      const ctx = context();
      const { projectDir, configFile, secretPaths, ...settings } = ctx.loadConfig();
      const masked = maskPaths(redactor.object(settings), secretPaths);
      ctx.result(`# ${configFile}\n${stringify(masked).trimEnd()}`, {
        projectDir,
        configFile,
        config: masked,
      });
    });
}

function maskPaths<T>(value: T, paths: readonly string[]): T {
  const copy = structuredClone(value) as Record<string, unknown>;
  for (const path of paths) {
    const parts = path.split('.');
    let node: unknown = copy;
    for (const part of parts.slice(0, -1)) node = (node as Record<string, unknown> | undefined)?.[part];
    const last = parts[parts.length - 1]!;
    if (node && typeof node === 'object' && last in node) (node as Record<string, unknown>)[last] = REDACTED;
  }
  return copy as T;
}
