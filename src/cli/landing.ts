import type { Command } from 'commander';
import { parseLandingKey } from '../landing/keys.ts';
import { openLandingStore } from '../landing/open-store.ts';
import { verifyStore } from '../landing/verify.ts';
import { log } from '../shared/logger.ts';
import { registerRepair } from './landing-repair.ts';
import { registerQuarantine } from './quarantine.ts';
import { formatBytes, renderTable } from './table.ts';
import type { ContextProvider } from './verbs.ts';

/** `vaultline landing ls|cat|verify|repair|quarantine|release`: look inside the raw landing store. */
export function registerLanding(program: Command, context: ContextProvider): void {
  const landing = program
    .command('landing')
    .description('inspect the raw landing store (ls, cat, verify, repair, quarantine, release)');
  registerQuarantine(landing, context);
  registerRepair(landing, context);

  landing
    .command('ls')
    .description('list landed objects with size and load time')
    .argument('[prefix]', 'key prefix, e.g. usgs/ or usgs/earthquakes/load_date=2026-11-22/', '')
    .action(async (prefix: string) => {
      const ctx = context();
      const store = openLandingStore(ctx.loadConfig());
      const rows: { key: string; bytes: number; load_ts: string | null }[] = [];
      for await (const object of store.list(prefix)) {
        rows.push({
          key: object.key,
          bytes: object.size,
          load_ts: parseLandingKey(object.key)?.loadTs.toISOString() ?? null,
        });
      }
      ctx.result(
        () =>
          rows.length === 0
            ? `no objects under "${prefix}" in ${store.location}`
            : `${renderTable(
                ['key', 'size', 'loaded'],
                rows.map((r) => [r.key, formatBytes(r.bytes), r.load_ts ?? '']),
              )}\n${rows.length} object(s), ${formatBytes(rows.reduce((s, r) => s + r.bytes, 0))} stored`,
        rows,
      );
    });

  landing
    .command('cat')
    .description('print the original bytes of a landed payload (checksum verified)')
    .argument('<key>', 'landing key, as printed by `landing ls`')
    .action(async (key: string) => {
      const ctx = context();
      const { body } = await openLandingStore(ctx.loadConfig()).get(key);
      await ctx.output.stdout(body);
    });

  landing
    .command('verify')
    .description('re-hash every object; report corrupt bodies, bodies without sidecar, sidecars without body')
    .argument('[prefix]', 'key prefix to verify', '')
    .action(async (prefix: string) => {
      const ctx = context();
      const store = openLandingStore(ctx.loadConfig());
      const report = await verifyStore(store, prefix, (n) => {
        if (n % 1000 === 0) log().info(`checked ${n} objects…`);
      });
      const corrupt = report.problems.filter((p) => p.kind === 'corrupt_body').length;
      ctx.result(
        () =>
          [
            ...report.problems.map((p) => `${p.kind}: ${p.message}`),
            ...(report.debris.count > 0
              ? [
                  `${report.debris.count} temp file(s) or write claim(s) (${formatBytes(report.debris.bytes)}) left by interrupted writes, unless a writer is busy right now; \`vaultline landing repair\` moves those older than 10 minutes`,
                ]
              : []),
            `${report.checked} object(s) checked in ${store.location}: ${report.checked - corrupt} intact (${formatBytes(report.bytes)} uncompressed); ${report.problems.length} problem(s)`,
          ].join('\n'),
        report,
      );
      if (report.problems.length > 0) ctx.fail();
    });
}
