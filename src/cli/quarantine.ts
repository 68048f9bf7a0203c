import type { Command } from 'commander';
import { ensureMetaSchema } from '../run/meta/ensure.ts';
import { listQuarantine, quarantineJson, releaseQuarantined } from '../run/sources/quarantine.ts';
import { openWarehouse } from '../run/warehouse.ts';
import { systemClock } from '../shared/clock.ts';
import { UsageError } from '../shared/errors.ts';
import { renderTable } from './table.ts';
import type { ContextProvider } from './verbs.ts';

/**
 * `vaultline landing quarantine [PREFIX]` lists the landed payloads builds could not read, with the
 * reason; `vaultline landing release KEY…` (or `--prefix P`) releases them, so the next build reads
 * them again — after a fix to the contract or to vaultline's reader. Nothing in the landing store
 * changes: the quarantine is the warehouse's record (vaultline_meta.quarantine).
 */
export function registerQuarantine(landing: Command, context: ContextProvider): void {
  landing
    .command('quarantine')
    .description('list landed payloads that builds could not read (quarantined), with the reason')
    .argument('[prefix]', 'only keys under this prefix, e.g. usgs/', '')
    .option('--all', 'include released entries')
    .action(async (prefix: string, options: { all?: boolean }) => {
      const ctx = context();
      const { session } = await openWarehouse(ctx.loadConfig());
      let entries: Awaited<ReturnType<typeof listQuarantine>>;
      try {
        await ensureMetaSchema(session);
        entries = await listQuarantine(session, { includeReleased: options.all === true, prefix });
      } finally {
        await session.close();
      }
      ctx.result(
        () =>
          entries.length === 0
            ? `nothing in quarantine${prefix ? ` under "${prefix}"` : ''}`
            : `${renderTable(
                ['key', 'source', 'quarantined', 'released', 'reason'],
                entries.map((e) => [
                  e.key,
                  e.sourceUniqueId.split('.').slice(2).join('.'),
                  e.quarantinedAt.toISOString(),
                  e.releasedAt?.toISOString() ?? '',
                  e.reason,
                ]),
              )}\n${entries.length} entr${entries.length === 1 ? 'y' : 'ies'}; release with \`vaultline landing release KEY\` once the cause is fixed`,
        entries.map(quarantineJson),
      );
    });

  landing
    .command('release')
    .description('release quarantined payloads: the next build reads them again')
    .argument('[keys...]', 'landing keys, as `landing quarantine` lists them')
    .option('--prefix <prefix>', 'release every quarantined key under this prefix')
    .action(async (keys: string[], options: { prefix?: string }) => {
      const ctx = context();
      if (keys.length === 0 && options.prefix === undefined)
        throw new UsageError(
          'name the keys to release, or --prefix <prefix> (see `vaultline landing quarantine`)',
        );
      const { session } = await openWarehouse(ctx.loadConfig());
      let released: number;
      let wanted: string[];
      try {
        await ensureMetaSchema(session);
        const current = await listQuarantine(session, { prefix: options.prefix ?? '' });
        const inQuarantine = new Set(current.map((e) => e.key));
        wanted = options.prefix !== undefined ? [...inQuarantine] : keys;
        const unknown = keys.filter((k) => !inQuarantine.has(k));
        if (options.prefix === undefined && unknown.length > 0) {
          throw new UsageError(
            `not in quarantine: ${unknown.join(', ')} (\`vaultline landing quarantine\` lists what is)`,
          );
        }
        released = await releaseQuarantined(session, wanted, systemClock.now());
      } finally {
        await session.close();
      }
      ctx.result(() => `released ${released} payload(s); the next build reads them again`, {
        released,
        keys: wanted,
      });
    });
}
