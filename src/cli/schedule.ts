import type { Command } from 'commander';
import type { ContextProvider } from './verbs.ts';

/**
 * `vaultline schedule preview` (every future tick, with DST cases, catch-up runs and partitions) and
 * `vaultline schedule why JOB` (why a job did not run at its last expected tick). Both read the
 * scheduler's stored state and run the same pure functions the live scheduler runs.
 */
export function registerSchedule(program: Command, context: ContextProvider): void {
  const schedule = program
    .command('schedule')
    .description('explain the schedules: future ticks, and why a job did not run');
  schedule
    .command('preview')
    .description(
      'every tick of the coming days per job: local time and UTC, DST notes, catch-up runs due now, partitions',
    )
    .option('--days <n>', 'how many days ahead (default 7)', '7')
    .option('--job <name...>', 'only these jobs')
    .action(async (flags: { days: string; job?: string[] }) => {
      const ctx = context();
      const config = ctx.loadConfig();
      const days = Number(flags.days);
      const { UsageError } = await import('../shared/errors.ts');
      if (!Number.isFinite(days) || days <= 0 || days > 366)
        throw new UsageError(`--days must be a number of days from 1 to 366 (got "${flags.days}")`);
      for (const name of flags.job ?? [])
        if (!config.jobs[name])
          throw new UsageError(
            `no job "${name}" in ${config.configFile} (jobs: ${Object.keys(config.jobs).join(', ') || 'none'})`,
          );
      const { openOrchestratorStores } = await import('../orchestrator/store/open.ts');
      const { previewSchedule, formatPreview } = await import('../orchestrator/schedule/preview.ts');
      const jobs = Object.fromEntries(
        Object.entries(config.jobs).filter(([name]) => !flags.job || flags.job.includes(name)),
      );
      const state = openOrchestratorStores(config).scheduler.read();
      const entries = previewSchedule({ jobs, state, now: new Date(), days });
      ctx.result(
        () =>
          entries.length ? formatPreview(entries) : `No scheduled job ticks in the next ${days} day(s).`,
        { entries },
      );
    });
  schedule
    .command('why')
    .description('why a job did not run at its last expected tick')
    .argument('<job>', 'a job under jobs: in vaultline.yml')
    .action(async (name: string) => {
      const ctx = context();
      const config = ctx.loadConfig();
      const { join } = await import('node:path');
      const { openOrchestratorStores } = await import('../orchestrator/store/open.ts');
      const { explainJob } = await import('../orchestrator/schedule/why.ts');
      const { sensorStates } = await import('../orchestrator/sensors/cursor.ts');
      const { findServer } = await import('../orchestrator/server/discovery.ts');
      const stores = openOrchestratorStores(config);
      const sensorNames = Object.keys(config.sensors);
      const states = sensorStates(join(config.projectDir, config.serve.state_path), sensorNames);
      const sensors = states.map((s) => ({
        name: s.name,
        job: config.sensors[s.name]?.job ?? '',
        ...(s.lastPollAt ? { lastPollAt: s.lastPollAt } : {}),
        ...(s.lastError ? { lastError: s.lastError } : {}),
      }));
      const answer = explainJob({
        name,
        job: config.jobs[name],
        jobNames: Object.keys(config.jobs),
        state: stores.scheduler.read(),
        runs: stores.runs.list({ job: name, limit: 50 }),
        now: new Date(),
        serverRunning: (await findServer(config)) !== undefined,
        sensors,
      });
      if (answer.verdict === 'unknown_job') {
        const { UsageError } = await import('../shared/errors.ts');
        throw new UsageError(answer.text.replace(/\n/g, ' '));
      }
      ctx.result(answer.text, answer);
    });
}
