import type { RunEvent, RunRecord, StepRecord } from '../types.ts';

/**
 * A run's record is the fold of its events, in the order they were appended. Pure: the store reads
 * the run's file and folds it; nothing else is kept, so whatever reached the disk before a kill -9 is
 * what the record shows. Steps are numbered by their index in run_queued's `steps` (0-based).
 * Events before run_queued have nothing to attach to and are ignored (undefined when there is none).
 */
export function foldRun(events: Iterable<RunEvent>): RunRecord | undefined {
  let run: RunRecord | undefined;
  for (const event of events) {
    if (event.type === 'run_queued') {
      run ??= queued(event);
      continue;
    }
    if (run) apply(run, event);
  }
  return run;
}

function queued(event: Extract<RunEvent, { type: 'run_queued' }>): RunRecord {
  return {
    id: event.run,
    job: event.job,
    trigger: event.trigger,
    ...(event.partition !== undefined && { partition: event.partition }),
    attempt: event.attempt,
    ...(event.retry_of !== undefined && { retryOf: event.retry_of }),
    status: 'queued',
    queuedAt: event.at,
    steps: event.steps.map((command, index) => ({ index, command, status: 'pending' })),
  };
}

const isFinished = (run: RunRecord) => run.status !== 'queued' && run.status !== 'running';

function apply(run: RunRecord, event: RunEvent): void {
  switch (event.type) {
    case 'run_started':
      if (isFinished(run)) return;
      run.status = 'running';
      run.startedAt = event.at;
      run.pid = event.pid;
      return;
    case 'step_started': {
      const step = stepAt(run, event.step, event.command);
      step.command = event.command;
      step.status = 'running';
      step.startedAt = event.at;
      if (run.status === 'queued') {
        run.status = 'running';
        run.startedAt ??= event.at;
      }
      return;
    }
    case 'step_finished': {
      const step = stepAt(run, event.step, undefined);
      step.status = event.status;
      step.endedAt = event.at;
      step.exitCode = event.exit_code;
      if (event.result !== undefined) step.result = event.result;
      if (event.error !== undefined) step.error = event.error;
      return;
    }
    case 'retry_scheduled':
      run.nextAttemptAt = event.next_attempt_at;
      return;
    case 'run_finished':
      // The first end is the end: a late second one (a process thought gone that was not) changes nothing.
      if (isFinished(run)) return;
      run.status = event.status;
      run.endedAt = event.at;
      if (event.error !== undefined) run.error = event.error;
      for (const step of run.steps) {
        if (step.status !== 'running') continue;
        step.status = event.status === 'failed' ? 'failed' : 'cancelled';
        step.endedAt = event.at;
      }
      return;
    case 'log':
    case 'run_queued':
      return;
  }
}

/** The step at `index`, made when the run's step list did not have it (steps appended by a newer writer). */
function stepAt(run: RunRecord, index: number, command: string | undefined): StepRecord {
  let step = run.steps[index];
  if (!step) {
    for (let i = run.steps.length; i <= index; i++)
      run.steps.push({ index: i, command: i === index ? (command ?? '?') : '?', status: 'pending' });
    step = run.steps[index] as StepRecord;
  }
  return step;
}
