import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { UsageError } from '../shared/errors.ts';
import type { ContextProvider } from './verbs.ts';

const GITIGNORE = `# vaultline: the local landing store, warehouse and compiled output are rebuilt, not committed
.vaultline/
target/
`;

function configTemplate(name: string): string {
  return `# vaultline project configuration. Reference: README.md "Configuration".
name: ${name}

# Where raw payloads land: write-once, gzip, one sidecar of metadata per object.
landing:
  type: local
  path: .vaultline/raw
  # type: s3
  # bucket: my-raw-vault
  # prefix: raw
  # region: eu-west-1
  # sse: AES256

warehouse:
  type: duckdb
  path: .vaultline/warehouse.duckdb
  # type: postgres
  # url: \${DATABASE_URL}
  # sslmode: require

vars: {}
`;
}

/** `vaultline init [DIR]`: scaffold a minimal project. Never overwrites an existing project. */
export function registerInit(program: Command, context: ContextProvider): void {
  program
    .command('init')
    .description('create a new project: vaultline.yml, models/, macros/, tests/, seeds/, .gitignore')
    .argument('[dir]', 'folder to create the project in', '.')
    .option('--name <name>', 'project name (default: the folder name)')
    .action(async (dir: string, options: { name?: string }) => {
      const ctx = context();
      const target = resolve(ctx.cwd, dir);
      if (existsSync(join(target, 'vaultline.yml'))) {
        throw new UsageError(
          `${join(target, 'vaultline.yml')} already exists; init never overwrites a project`,
        );
      }
      const name =
        options.name ??
        (basename(target)
          .replace(/[^A-Za-z0-9_]/g, '_')
          .replace(/^(\d)/, '_$1') ||
          'project');
      await mkdir(target, { recursive: true });
      const created: string[] = [];
      for (const folder of ['models', 'macros', 'tests', 'seeds']) {
        await mkdir(join(target, folder), { recursive: true });
        await writeFile(join(target, folder, '.gitkeep'), '');
        created.push(`${folder}/`);
      }
      await writeFile(join(target, 'vaultline.yml'), configTemplate(name));
      created.push('vaultline.yml');
      if (!existsSync(join(target, '.gitignore'))) {
        await writeFile(join(target, '.gitignore'), GITIGNORE);
        created.push('.gitignore');
      }
      ctx.result(`created project "${name}" in ${target}:\n${created.map((c) => `  ${c}`).join('\n')}`, {
        project: name,
        dir: target,
        created,
      });
    });
}
