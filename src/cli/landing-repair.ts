import type { Command } from 'commander';
import { openLandingStore } from '../landing/open-store.ts';
import { type RepairReport, repairStore } from '../landing/repair.ts';
import { UsageError } from '../shared/errors.ts';
import { formatBytes, renderTable } from './table.ts';
import type { ContextProvider } from './verbs.ts';

/**
 * `vaultline landing repair [PREFIX] [--older-than 10m] [--dry-run]`: moves orphan bodies, orphan
 * sidecars, temp files and stale S3 write claims into `_repair/<ts>/` (src/landing/repair.ts). Not to
 * be confused with `landing quarantine`, the warehouse's list of payloads that builds could not parse.
 */
export function registerRepair(landing: Command, context: ContextProvider): void {
  landing
    .command('repair')
    .description(
      'move debris of interrupted writes (bodies without sidecar, sidecars without body, temp files, stale S3 claims) to _repair/<ts>/',
    )
    .argument('[prefix]', 'only keys under this prefix', '')
    .option(
      '--older-than <duration>',
      'leave alone what changed more recently (a writer may be busy with it)',
      '10m',
    )
    .option('--dry-run', 'list what would be moved, move nothing')
    .action(async (prefix: string, options: { olderThan: string; dryRun?: boolean }) => {
      const ctx = context();
      const olderThanMs = parseDuration(options.olderThan);
      const store = openLandingStore(ctx.loadConfig());
      const report = await repairStore(store, { prefix, olderThanMs, dryRun: options.dryRun === true });
      ctx.result(() => describe(report, store.location), {
        ...report,
        moved: report.moved.map((e) => ({ ...e, to: `${report.folder}${e.key}` })),
      });
    });
}

function describe(report: RepairReport, location: string): string {
  const verb = report.dryRun ? 'would move' : 'moved';
  const lines: string[] = [];
  if (report.moved.length > 0) {
    lines.push(
      renderTable(
        ['kind', 'key', 'size', 'modified'],
        report.moved.map((e) => [e.kind, e.key, formatBytes(e.bytes), e.lastModified.toISOString()]),
      ),
    );
  }
  lines.push(
    `${verb} ${report.moved.length} entr${report.moved.length === 1 ? 'y' : 'ies'} (${formatBytes(report.bytes)}) ${report.dryRun ? 'to' : 'into'} ${report.folder} in ${location}`,
  );
  if (report.young.length > 0) {
    lines.push(
      `left ${report.young.length} recent entr${report.young.length === 1 ? 'y' : 'ies'} alone (a writer may still be busy with ${report.young.length === 1 ? 'it' : 'them'}; see --older-than)`,
    );
  }
  for (const key of report.completed) lines.push(`left ${key}: its write completed while repair ran`);
  if (!report.dryRun) lines.push('corrupt objects are never moved: `vaultline landing verify` reports them');
  return lines.join('\n');
}

/** `10m`, `30s`, `2h`, `1d`, `500ms`, or a number of seconds; `0` moves everything old or new. */
export function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/.exec(text.trim());
  if (!m) throw new UsageError(`--older-than must be a duration such as 10m, 30s, 2h or 1d (got "${text}")`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[(m[2] ?? 's') as 'ms'];
  return Number(m[1]) * unit;
}
