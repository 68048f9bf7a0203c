import type { Command } from 'commander';
import { engineFor } from '../engine/engine.ts';
import { assertKeyPart } from '../landing/keys.ts';
import { openLandingStore } from '../landing/open-store.ts';
import { type CompactionReport, compactStore, DEFAULT_ROW_GROUP_SIZE } from '../run/compaction/compact.ts';
import { parseDate } from '../run/compaction/months.ts';
import { systemClock } from '../shared/clock.ts';
import { UsageError } from '../shared/errors.ts';
import { log } from '../shared/logger.ts';
import { formatBytes, renderTable } from './table.ts';
import type { ContextProvider } from './verbs.ts';
import { VERSION } from './version.ts';

interface CompactOptions {
  source?: string;
  resource?: string;
  before?: string;
  dryRun?: boolean;
  rowGroupSize?: string;
}

/** `vaultline compact`: the landed JSON of closed months into Parquet, beside the JSON (which stays). */
export function registerCompact(program: Command, context: ContextProvider): void {
  program
    .command('compact')
    .description(
      'write the landed JSON of closed months into Parquet (one file per source, resource and month); builds then read Parquet where it exists, with identical results',
    )
    .option('--source <source>', 'only this source')
    .option('--resource <resource>', 'only this resource')
    .option('--before <date>', 'only months that end on or before this date (YYYY-MM-DD, UTC)')
    .option('--dry-run', 'list what would be compacted; write nothing')
    .option(
      '--row-group-size <rows>',
      `rows per Parquet row group (default ${DEFAULT_ROW_GROUP_SIZE}; 100000 to 1000000 suit most readers)`,
    )
    .action(async (options: CompactOptions) => {
      const ctx = context();
      checkOptions(options);
      const config = ctx.loadConfig();
      const store = openLandingStore(config);
      const report = await compactStore({
        store,
        engine: engineFor(config.warehouse.type),
        clock: systemClock,
        version: VERSION,
        source: options.source,
        resource: options.resource,
        before: options.before,
        dryRun: options.dryRun === true,
        rowGroupSize: options.rowGroupSize === undefined ? undefined : Number(options.rowGroupSize),
        onProgress: (message) => log().info(message),
        warn: (message) => log().warn(message),
      });
      ctx.result(() => formatReport(report, store.location), report);
    });
}

function checkOptions(options: CompactOptions): void {
  for (const kind of ['source', 'resource'] as const) {
    const value = options[kind];
    if (value === undefined) continue;
    try {
      assertKeyPart(kind, value);
    } catch (error) {
      throw new UsageError(`--${kind}: ${(error as Error).message}`);
    }
  }
  if (options.before !== undefined) {
    try {
      parseDate(options.before);
    } catch (error) {
      throw new UsageError(`--before: ${(error as Error).message}`);
    }
  }
  if (options.rowGroupSize !== undefined) {
    const n = Number(options.rowGroupSize);
    if (!Number.isInteger(n) || n < 1 || n > 10_000_000)
      throw new UsageError(
        `--row-group-size must be a whole number from 1 to 10000000 (got "${options.rowGroupSize}")`,
      );
  }
}

const STATUS: Record<CompactionReport['months'][number]['status'], string> = {
  compacted: 'compacted',
  up_to_date: 'up to date',
  would_compact: 'would compact',
  json_only: 'JSON only',
};

function formatReport(report: CompactionReport, location: string): string {
  const scope = `closed months (before ${report.cutoff}, UTC) in ${location}`;
  if (report.months.length === 0) return `Nothing to compact: no landed objects in ${scope}.`;
  const table = renderTable(
    ['source', 'resource', 'month', 'status', 'objects', 'json only', 'JSON gz', 'Parquet'],
    report.months.map((m) => [
      m.source,
      m.resource,
      m.month,
      STATUS[m.status],
      m.objects,
      m.jsonOnly.length,
      m.objects > 0 ? formatBytes(m.bytesJsonGz) : '',
      m.bytesParquet === null ? '' : formatBytes(m.bytesParquet),
    ]),
  );
  const written = report.months.filter((m) => m.status === 'compacted');
  const objects = written.reduce((sum, m) => sum + m.objects, 0);
  const gz = written.reduce((sum, m) => sum + m.bytesJsonGz, 0);
  const parquet = written.reduce((sum, m) => sum + (m.bytesParquet ?? 0), 0);
  const jsonOnly = report.months.flatMap((m) => m.jsonOnly);
  const lines = [table, ''];
  if (report.dryRun) {
    const planned = report.months.filter((m) => m.status === 'would_compact');
    lines.push(
      `Dry run: ${planned.length} month(s), ${planned.reduce((s, m) => s + m.objects, 0)} object(s) would be compacted; nothing was written.`,
    );
  } else {
    lines.push(
      written.length === 0
        ? `Nothing new to compact in ${scope}.`
        : `Compacted ${objects} object(s) in ${written.length} month(s): ${formatBytes(gz)} of gzip JSON → ${formatBytes(parquet)} of Parquet. The landed JSON stays as it was.`,
    );
  }
  if (jsonOnly.length > 0) {
    lines.push(`${jsonOnly.length} object(s) stay JSON-only (read from their JSON as before):`);
    for (const o of jsonOnly.slice(0, 10)) lines.push(`  ${o.key}: ${o.reason}`);
    if (jsonOnly.length > 10) lines.push(`  … and ${jsonOnly.length - 10} more (--json lists them all)`);
  }
  return lines.join('\n');
}
