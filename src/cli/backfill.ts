import type { Command } from 'commander';
import { UsageError } from '../shared/errors.ts';
import { log } from '../shared/logger.ts';
import { jobOrUsage } from './run-job.ts';
import type { ContextProvider } from './verbs.ts';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * `vaultline backfill JOB --from --to`: the partitions of the range not done yet, in order. Done
 * days are kept as ranges in the state store, so running it again after a crash (or a Ctrl-C)
 * resumes where it stopped; `--dry-run` lists what would run.
 */
export function registerBackfill(program: Command, context: ContextProvider): void {
  program
    .command('backfill')
    .description('run the missing day partitions of a partitioned job between two dates (resumable)')
    .argument('<job>', 'a partitioned job under jobs: in vaultline.yml')
    .requiredOption('--from <date>', 'first day, YYYY-MM-DD')
    .requiredOption('--to <date>', 'last day, YYYY-MM-DD (inclusive)')
    .option('--dry-run', 'list the partitions that would run, run nothing')
    .action(async (name: string, flags: { from: string; to: string; dryRun?: boolean }) => {
      const ctx = context();
      const { config, job } = jobOrUsage(ctx, name);
      for (const [flag, value] of [
        ['--from', flags.from],
        ['--to', flags.to],
      ] as const)
        if (!DATE.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`)))
          throw new UsageError(`${flag} must be a date YYYY-MM-DD (got "${value}")`);
      if (flags.from > flags.to) throw new UsageError(`--from ${flags.from} is after --to ${flags.to}`);
      if (!job.partitions)
        throw new UsageError(
          `job "${name}" is not partitioned (add partitions: {by: day, start: YYYY-MM-DD} to it in ${config.configFile})`,
        );
      const { planBackfill, reconcilePartitions, runBackfill } = await import('../orchestrator/backfill.ts');
      const { withForegroundRunner } = await import('../orchestrator/foreground.ts');
      const outcome = await withForegroundRunner(config, async (runner, stores, signal) => {
        const healed = reconcilePartitions(name, stores.runs, stores.partitions);
        if (healed > 0)
          log().info(`backfill: ${healed} partition(s) whose run succeeded before a crash marked done`);
        const plan = planBackfill(name, job, flags, stores.partitions);
        log().info(
          `backfill ${name} ${plan.from}..${plan.to}: ${plan.done} day(s) done already, ${plan.missing.length} to run`,
        );
        if (flags.dryRun) return { plan, succeeded: [], failed: [], stopped: false };
        const result = await runBackfill(plan, runner, signal, (day, run, index) =>
          log().info(
            `[${index + 1}/${plan.missing.length}] ${day} ${run.status.toUpperCase()} (run ${run.id})`,
          ),
        );
        return { plan, ...result };
      });
      const { plan, succeeded, failed, stopped } = outcome;
      ctx.result(
        () =>
          flags.dryRun
            ? `${plan.missing.length} partition(s) would run: ${plan.missing.join(', ') || '(none)'}`
            : [
                `backfill ${name} ${plan.from}..${plan.to}: ${succeeded.length} partition(s) ran, ${failed.length} failed, ${plan.done} were done already${stopped ? '; stopped early — run the same command again to resume' : ''}`,
                ...failed.map((f) => `  ${f.day}: ${f.status} (vaultline runs show ${f.run})`),
              ].join('\n'),
        {
          job: name,
          from: plan.from,
          to: plan.to,
          done_before: plan.done,
          missing: plan.missing,
          succeeded,
          failed,
          stopped,
        },
      );
      if (failed.length > 0 || stopped) ctx.fail();
    });
}
