import { formatDuration } from './duration.ts';
import { extractLines, firstLines, runResultLines } from './summary-results.ts';
import type { RunRecord, RunTrigger, StepRecord } from './types.ts';

/**
 * `vaultline runs show ID`: a run report in the spirit of a pipeline's run log — what ran, why,
 * when, for which partition, how it ended — then each step: what it landed or built, what failed.
 * Steps are shown 1-based (`1. extract --all`), as people count them.
 */
export function formatRunSummary(run: RunRecord, options: { logsCommand?: string } = {}): string {
  const lines: string[] = [];
  lines.push(`Run ${run.id} — job ${run.job}: ${run.status.toUpperCase()}`);
  const field = (name: string, value: string | undefined) => {
    if (value !== undefined) lines.push(`  ${name.padEnd(10)}  ${value}`);
  };
  field('trigger', describeTrigger(run.trigger));
  field('partition', run.partition);
  field('attempt', run.retryOf ? `${run.attempt} (retry of ${run.retryOf})` : String(run.attempt));
  field('queued', run.queuedAt);
  field('started', run.startedAt ?? 'not yet');
  field('ended', run.endedAt);
  field('duration', elapsed(run.startedAt, run.endedAt));
  // The check time is when the run looked at the world: when it started, else when it was queued.
  field('check time', run.startedAt ?? run.queuedAt);
  if (run.pid !== undefined) field('pid', String(run.pid));
  if (run.nextAttemptAt) field('next try', run.nextAttemptAt);
  if (run.error) {
    const where =
      run.error.step !== undefined
        ? ` at step ${run.error.step + 1}${run.error.command ? ` (${run.error.command})` : ''}`
        : '';
    const node = run.error.node ? `, node ${run.error.node}` : '';
    lines.push(`  error${where}${node}:`, ...firstLines(run.error.message, 5).map((l) => `    ${l}`));
  }
  lines.push('', `Steps (${run.steps.length})`);
  const firstFailed = run.steps.find((s) => s.status === 'failed');
  for (const step of run.steps) lines.push(...stepLines(step, run, firstFailed));
  if (options.logsCommand) lines.push('', `logs: ${options.logsCommand}`);
  return lines.join('\n');
}

function stepLines(step: StepRecord, run: RunRecord, firstFailed: StepRecord | undefined): string[] {
  const head = `${step.index + 1}. ${step.command}`;
  const time = elapsed(step.startedAt, step.endedAt);
  const status = step.status === 'pending' ? pendingReason(run, firstFailed) : step.status;
  const out = [
    `  ${head}  ${status}${time ? `  ${time}` : ''}${step.exitCode ? ` (exit ${step.exitCode})` : ''}`,
  ];
  const indent = (text: string) => `       ${text}`;
  if (step.status === 'skipped') out.push(indent(`skipped: ${step.error ?? 'not needed for this run'}`));
  const detail = extractLines(step.result) ?? runResultLines(step.result);
  if (detail) out.push(...detail.map(indent));
  if (step.error && step.status !== 'skipped')
    out.push(indent('error:'), ...firstLines(step.error, 5).map((l) => indent(`  ${l}`)));
  return out;
}

function pendingReason(run: RunRecord, firstFailed: StepRecord | undefined): string {
  if (run.status === 'queued' || run.status === 'running') return 'pending';
  if (firstFailed) return `not run (step ${firstFailed.index + 1} failed)`;
  return `not run (the run was ${run.status})`;
}

function describeTrigger(trigger: RunTrigger): string {
  switch (trigger.kind) {
    case 'schedule':
      return `schedule (tick ${trigger.tick})`;
    case 'catch_up':
      return `catch-up of the missed tick ${trigger.tick}`;
    case 'manual':
      return `manual (${trigger.by === 'api' ? 'the API' : 'vaultline run-job'})`;
    case 'sensor':
      return `sensor ${trigger.sensor} (${trigger.item})`;
    case 'backfill':
      return `backfill ${trigger.backfill}`;
    case 'cli':
      return `vaultline ${trigger.argv.join(' ')}`;
  }
}

/** `4.7s`, `1m32s`, `250ms`; undefined until both ends are known. */
export function elapsed(from: string | undefined, to: string | undefined): string | undefined {
  if (!from || !to) return undefined;
  const ms = Date.parse(to) - Date.parse(from);
  if (!Number.isFinite(ms) || ms < 0) return undefined;
  if (ms < 1000) return `${ms}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  return formatDuration(ms);
}
