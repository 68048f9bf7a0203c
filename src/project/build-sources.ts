import { assertKeyPart } from '../landing/keys.ts';
import { checkConfig, mergeConfigs } from './config-keys.ts';
import type { LoadContext } from './load-context.ts';
import type { SourceProps } from './properties.ts';
import { sourceReading } from './source-contract.ts';
import type { SourceNode } from './types.ts';

/** One SourceNode per table declared under `sources:`. */
export function buildSources(
  ctx: LoadContext,
  files: { props: SourceProps; folders: string[] }[],
): SourceNode[] {
  const out: SourceNode[] = [];
  const seen = new Map<string, string>();
  for (const { props: source, folders } of files) {
    for (const table of source.tables) {
      const id = `source.${ctx.projectName}.${source.name}.${table.name}`;
      const where = `${table.file}:${table.line}`;
      if (seen.has(id)) {
        ctx.diagnostics.push({
          file: table.file,
          line: table.line,
          node: `${source.name}.${table.name}`,
          message: `source table ${source.name}.${table.name} is declared twice (also at ${seen.get(id)})`,
          hint: 'keep one declaration',
          severity: 'error',
        });
        continue;
      }
      seen.set(id, where);
      const checked = checkConfig('source', table.config);
      for (const p of checked.problems) {
        ctx.diagnostics.push({
          file: table.file,
          line: table.configLines[p.key] ?? table.line,
          node: `${source.name}.${table.name}`,
          message: p.message,
          hint: p.hint,
          severity: 'error',
        });
      }
      const config = mergeConfigs({ tags: source.tags }, { tags: table.tags }, checked.config);
      if (config.enabled === false) continue;
      const landingPrefix = table.landing ?? `${source.name}/${table.name}`;
      const parts = landingPrefix.split('/');
      const badLanding = (() => {
        if (parts.length !== 2) return 'must be "<source>/<resource>", as landed (e.g. usgs/earthquakes)';
        try {
          assertKeyPart('source', parts[0]!);
          assertKeyPart('resource', parts[1]!);
          return undefined;
        } catch (error) {
          return (error as Error).message;
        }
      })();
      if (badLanding) {
        ctx.diagnostics.push({
          file: table.file,
          line: table.landing ? table.landingLine : table.line,
          node: `${source.name}.${table.name}`,
          message: `landing prefix "${landingPrefix}" ${table.landing ? '' : '(the default <source>/<table>) '}is not valid: ${badLanding}`,
          hint: table.landing
            ? undefined
            : 'set landing: <source>/<resource> to the prefix the connector lands under',
          severity: 'error',
        });
      }
      if (table.records !== undefined && table.sql !== undefined) {
        ctx.diagnostics.push({
          file: table.file,
          line: table.recordsLine,
          node: `${source.name}.${table.name}`,
          message: 'records: and sql: are alternatives; give one',
          hint: 'records: picks the record array with a JSON path; sql: selects from the relation `payload`',
          severity: 'error',
        });
      }
      const reading = sourceReading(source, table, ctx.diagnostics);
      out.push({
        uniqueId: id,
        resourceType: 'source',
        name: table.name,
        file: table.file,
        line: table.line,
        fqn: [...folders, source.name, table.name],
        tags: (config.tags as string[] | undefined) ?? [],
        description: table.description ?? source.description,
        dependsOn: [],
        config,
        sourceName: source.name,
        tableName: table.name,
        landingPrefix,
        ...(table.records !== undefined ? { recordsPath: table.records } : {}),
        ...(table.sql !== undefined ? { sql: table.sql } : {}),
        columns: table.columns.map((c) => ({
          name: c.name,
          description: c.description,
          dataType: c.dataType,
        })),
        ...reading,
      });
    }
  }
  return out;
}
