import { readFile } from 'node:fs/promises';
import { checkConfig, mergeConfigs } from './config-keys.ts';
import type { LoadContext } from './load-context.ts';
import type { ProjectFile } from './project-files.ts';
import type { SeedProps } from './properties.ts';
import type { SeedNode } from './types.ts';

/** The header of a CSV (first record; quoted names allowed, a UTF-8 BOM ignored). */
export function csvHeader(text: string): string[] {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const names: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (quoted) {
      if (ch === '"' && body[i + 1] === '"') {
        current += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else current += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      names.push(current.trim());
      current = '';
    } else if (ch === '\n' || ch === '\r') break;
    else current += ch;
  }
  if (current.trim() !== '' || names.length > 0) names.push(current.trim());
  return names;
}

export async function buildSeeds(
  ctx: LoadContext,
  files: ProjectFile[],
  props: Map<string, SeedProps>,
): Promise<SeedNode[]> {
  const out: SeedNode[] = [];
  for (const file of files) {
    const yaml = props.get(file.stem);
    const checked = checkConfig('seed', yaml?.config ?? {});
    for (const p of checked.problems) {
      ctx.diagnostics.push({
        file: yaml!.file,
        line: yaml!.configLines[p.key] ?? yaml!.line,
        node: file.stem,
        message: p.message,
        hint: p.hint,
        severity: 'error',
      });
    }
    const config = mergeConfigs(ctx.folders.seeds.resolve(file.folders), checked.config);
    if (config.enabled === false) continue;
    const header = csvHeader(await readFile(file.absolute, 'utf8'));
    if (header.length === 0 || header.some((h) => h === '')) {
      ctx.diagnostics.push({
        file: file.path,
        line: 1,
        node: file.stem,
        message: header.length === 0 ? 'seed has no header row' : 'seed header has an empty column name',
        hint: 'the first line names the columns, e.g. code,name',
        severity: 'error',
      });
    }
    const columnTypes = (config.column_types as Record<string, string> | undefined) ?? {};
    for (const column of Object.keys(columnTypes)) {
      if (!header.includes(column)) {
        ctx.diagnostics.push({
          file: yaml?.file ?? 'vaultline.yml',
          line: yaml?.configLines.column_types,
          node: file.stem,
          message: `column_types names "${column}", which is not a column of ${file.path}`,
          hint: `columns: ${header.join(', ')}`,
          severity: 'error',
        });
      }
    }
    const described = new Map(yaml?.columns.map((c) => [c.name, c]) ?? []);
    out.push({
      uniqueId: `seed.${ctx.projectName}.${file.stem}`,
      resourceType: 'seed',
      name: file.stem,
      file: file.path,
      line: 1,
      fqn: [...file.folders, file.stem],
      tags: (config.tags as string[] | undefined) ?? [],
      description: yaml?.description,
      dependsOn: [],
      config,
      path: file.absolute,
      schema: (config.schema as string | undefined) ?? ctx.defaultSchema,
      alias: (config.alias as string | undefined) ?? file.stem,
      columnTypes,
      columns: header.map((name) => ({
        name,
        description: described.get(name)?.description,
        dataType: columnTypes[name] ?? described.get(name)?.dataType,
      })),
    });
  }
  return out;
}
