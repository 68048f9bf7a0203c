import { relative, resolve } from 'node:path';
import type { Command } from 'commander';
import type { ExportFormat } from '../engine/export.ts';
import { loadCheckedProject } from '../project/load-project.ts';
import { selectNodes } from '../project/selection/select.ts';
import { exportRelations } from '../run/export/export.ts';
import { openWarehouse, warehouseLocation } from '../run/warehouse.ts';
import { UsageError } from '../shared/errors.ts';
import { log } from '../shared/logger.ts';
import { formatBytes, renderTable } from './table.ts';
import type { ContextProvider } from './verbs.ts';

const FORMATS: ExportFormat[] = ['parquet', 'csv'];

/** `vaultline export`: selected relations to Parquet or CSV files, for BI tools and other readers. */
export function registerExport(program: Command, context: ContextProvider): void {
  program
    .command('export')
    .description('write the selected models, seeds and vault tables (views too) to Parquet or CSV files')
    .requiredOption(
      '-s, --select <selector...>',
      'dbt-style selectors: a folder name (marts), path:models/marts, tag:marts, model names …',
    )
    .option('--exclude <selector...>', 'selectors to leave out')
    .option('--format <format>', 'parquet or csv', 'parquet')
    .requiredOption('--out <dir>', 'folder for the files, named <schema>.<name>.<format> (created if needed)')
    .action(async (options: { select: string[]; exclude?: string[]; format: string; out: string }) => {
      const ctx = context();
      const format = options.format as ExportFormat;
      if (!FORMATS.includes(format))
        throw new UsageError(`--format must be one of ${FORMATS.join(', ')} (got "${options.format}")`);
      const config = ctx.loadConfig();
      const graph = await loadCheckedProject(config);
      const selected = selectNodes(graph, { select: options.select, exclude: options.exclude });
      for (const warning of selected.warnings) log().warn(warning);
      const outDir = resolve(ctx.cwd, options.out);
      const { engine, session } = await openWarehouse(config);
      let files: Awaited<ReturnType<typeof exportRelations>>;
      try {
        files = await exportRelations({
          selected,
          engine,
          session,
          outDir,
          format,
          onProgress: (message) => log().debug(message),
        });
      } finally {
        await session.close();
      }
      const shown = (file: string) => relative(ctx.cwd, file) || file;
      ctx.result(
        () =>
          `${renderTable(
            ['relation', 'kind', 'file', 'rows', 'size'],
            files.map((f) => [`${f.schema}.${f.name}`, f.kind, shown(f.file), f.rows, formatBytes(f.bytes)]),
          )}\n${files.length} relation(s) exported from ${warehouseLocation(config)} as ${format}, ${files.reduce((s, f) => s + f.rows, 0)} row(s) in all.`,
        {
          format,
          out: outDir,
          files: files.map((f) => ({
            unique_id: f.uniqueId,
            relation: `${f.schema}.${f.name}`,
            kind: f.kind,
            file: f.file,
            rows: f.rows,
            bytes: f.bytes,
          })),
        },
      );
    });
}
