import type { Command } from 'commander';
import { didYouMean } from '../shared/did-you-mean.ts';
import { UsageError } from '../shared/errors.ts';
import type { CliContext } from './context.ts';
import type { ContextProvider } from './verbs.ts';

export function jobOrUsage(ctx: CliContext, name: string) {
  const config = ctx.loadConfig();
  const job = config.jobs[name];
  if (job) return { config, job };
  const names = Object.keys(config.jobs);
  const suggestion = didYouMean(name, names);
  throw new UsageError(
    names.length === 0
      ? `no jobs: in ${config.configFile} (add one: jobs: {daily: {steps: [extract --all, build]}})`
      : `no job "${name}" in ${config.configFile}${suggestion ? ` (did you mean "${suggestion}"?)` : ''}; jobs: ${names.join(', ')}`,
  );
}

/** `vaultline run-job JOB`: one run of a job, in the foreground, through the same runner as `serve`. */
export function registerRunJob(program: Command, context: ContextProvider): void {
  program
    .command('run-job')
    .description('run one job once, now, in the foreground (retries, timeout and alerts as configured)')
    .argument('<job>', 'a job under jobs: in vaultline.yml')
    .option('--partition <date>', 'the day a partitioned job runs for (YYYY-MM-DD)')
    .action(async (name: string, flags: { partition?: string }) => {
      const ctx = context();
      const { config, job } = jobOrUsage(ctx, name);
      if (flags.partition !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(flags.partition))
        throw new UsageError(`--partition must be a date YYYY-MM-DD (got "${flags.partition}")`);
      if (flags.partition && !job.partitions)
        throw new UsageError(
          `job "${name}" is not partitioned; leave out --partition (or add partitions: {by: day, start: …})`,
        );
      if (!flags.partition && job.partitions)
        throw new UsageError(
          `job "${name}" is partitioned by day: pass --partition YYYY-MM-DD, or use \`vaultline backfill ${name} --from … --to …\``,
        );
      const { withForegroundRunner } = await import('../orchestrator/foreground.ts');
      const { formatRunSummary } = await import('../orchestrator/summary.ts');
      const run = await withForegroundRunner(
        config,
        async (runner) =>
          runner.start({
            job: name,
            trigger: { kind: 'manual', by: 'run-job' },
            ...(flags.partition ? { partition: flags.partition } : {}),
          }).done,
        ctx.signal ? { signal: ctx.signal } : {},
      );
      ctx.result(() => formatRunSummary(run), run);
      if (run.status !== 'success') ctx.fail();
    });
}
