import type { Command } from 'commander';
import { openOrchestratorStores } from '../orchestrator/store/open.ts';
import { elapsed, formatRunSummary } from '../orchestrator/summary.ts';
import type { LogLine, RunStatus, RunSummary, RunTrigger } from '../orchestrator/types.ts';
import { didYouMean } from '../shared/did-you-mean.ts';
import { UsageError } from '../shared/errors.ts';
import { renderTable } from './table.ts';
import type { ContextProvider } from './verbs.ts';

const STATUSES: readonly RunStatus[] = ['queued', 'running', 'success', 'failed', 'cancelled', 'abandoned'];
/** How many recent runs `runs show` looks through for a did-you-mean. */
const SUGGEST_FROM = 500;
const SAFE_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;

/** `vaultline runs [--job] [--status…] [--limit]` and `vaultline runs show ID [--logs]`: the run history. */
export function registerRuns(program: Command, context: ContextProvider): void {
  const runs = program
    .command('runs')
    .description('list orchestrator runs, newest first (runs show ID: one run, step by step)')
    .option('--job <name>', 'only runs of this job')
    .option('--status <status...>', `only runs with these statuses (${STATUSES.join(', ')})`)
    .option('--limit <n>', 'how many runs to list', '20')
    .action((options: { job?: string; status?: string[]; limit: string }) => {
      const ctx = context();
      const limit = parseLimit(options.limit);
      const status = options.status?.map(parseStatus);
      const stores = openOrchestratorStores(ctx.loadConfig());
      const listed = stores.runs.list({
        ...(options.job && { job: options.job }),
        ...(status && { status }),
        limit,
      });
      ctx.result(
        () =>
          listed.length === 0
            ? `no runs in ${stores.dir}${options.job || status ? ' that match' : ''}`
            : runsTable(listed),
        listed,
      );
    });

  runs
    .command('show')
    .description('one run: trigger, partition, times, and what each step landed, built and tested')
    .argument('<id>', 'run id, as `vaultline runs` lists it')
    .option('--logs', "the run's log lines, numbered by step")
    .action((id: string, options: { logs?: boolean }) => {
      const ctx = context();
      const stores = openOrchestratorStores(ctx.loadConfig());
      const run = SAFE_ID.test(id) ? stores.runs.get(id) : undefined;
      if (!run) {
        const recent = stores.runs.list({ limit: SUGGEST_FROM }).map((r) => r.id);
        const suggestion = didYouMean(id, recent);
        throw new UsageError(
          `no run "${id}" in ${stores.dir}` +
            (suggestion
              ? `; did you mean ${suggestion}?`
              : recent.length
                ? ' (list them: vaultline runs)'
                : ' (no runs yet)'),
        );
      }
      const logs = options.logs ? stores.runs.logs(id) : undefined;
      ctx.result(
        () =>
          logs
            ? `${formatRunSummary(run)}\n\nLogs (${logs.length} line(s))\n${logs.map(formatLogLine).join('\n')}`
            : formatRunSummary(run, { logsCommand: `vaultline runs show ${id} --logs` }),
        logs ? { run, logs } : { run },
      );
    });
}

function parseLimit(text: string): number {
  const limit = Number(text);
  if (!Number.isInteger(limit) || limit < 1)
    throw new UsageError(
      `--limit must be a whole number of runs, 1 or more (got "${text}"), e.g. --limit 50`,
    );
  return limit;
}

function parseStatus(text: string): RunStatus {
  if ((STATUSES as readonly string[]).includes(text)) return text as RunStatus;
  const suggestion = didYouMean(text, STATUSES);
  throw new UsageError(
    `--status "${text}" is not a run status${suggestion ? ` (did you mean ${suggestion}?)` : ''}: use ${STATUSES.join(', ')}`,
  );
}

function runsTable(runs: readonly RunSummary[]): string {
  return `${renderTable(
    ['id', 'job', 'trigger', 'partition', 'status', 'started', 'duration', 'failed step'],
    runs.map((r) => [
      r.id,
      r.job,
      triggerLabel(r.trigger),
      r.partition ?? '',
      r.status,
      r.startedAt ?? '',
      elapsed(r.startedAt, r.endedAt) ?? '',
      failedStep(r),
    ]),
  )}\n${runs.length} run(s)`;
}

function triggerLabel(trigger: RunTrigger): string {
  switch (trigger.kind) {
    case 'sensor':
      return `sensor ${trigger.sensor}`;
    case 'backfill':
      return `backfill ${trigger.backfill}`;
    case 'manual':
      return `manual (${trigger.by})`;
    case 'catch_up':
      return 'catch-up';
    default:
      return trigger.kind;
  }
}

function failedStep(run: RunSummary): string {
  const step = run.steps.find((s) => s.status === 'failed');
  if (step) return `${step.index + 1}. ${step.command}`;
  if (run.error?.step !== undefined) return `${run.error.step + 1}. ${run.error.command ?? ''}`.trim();
  return '';
}

function formatLogLine(line: LogLine): string {
  const where = line.step === undefined ? 'run   ' : `step ${line.step + 1}`;
  return `[${where}] ${line.at.slice(11)} ${line.level.toUpperCase().padEnd(5)} ${line.text}`;
}
