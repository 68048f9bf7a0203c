/**
 * A run history of `count` finished runs written straight to disk in the run store's format
 * (src/orchestrator/store/CONTEXT.md): each run's events in `runs/<id>.ndjson`, and in `runs.ndjson`
 * its run_queued line and its run_finished line with the summary the store would write (foldRun +
 * summaryOf, the store's own functions). FileRunStore.append fsyncs four times a run; 100,000 runs
 * through it take minutes, this takes seconds, and what the pages read is the same bytes.
 *
 * Runs are 5 minutes apart, ending an hour before `end`; jobs rotate over HISTORY_JOBS; one run in 50
 * fails; each has two steps and `logLines` log lines.
 */
import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { foldRun } from '../../src/orchestrator/store/fold.ts';
import { newRunId } from '../../src/orchestrator/store/run-ids.ts';
import { summaryOf } from '../../src/orchestrator/store/run-index.ts';
import type { RunEvent } from '../../src/orchestrator/types.ts';
import { HISTORY_JOBS } from './projects.ts';

const STEPS = ['extract --all', 'build --select tag:marts'] as const;

export interface History {
  /** Run ids, oldest first. */
  ids: string[];
  /** Bytes written (index + run files). */
  bytes: number;
}

export function writeHistory(projectDir: string, count: number, end: Date, logLines = 12): History {
  const state = join(projectDir, '.vaultline', 'orchestrator');
  mkdirSync(join(state, 'runs'), { recursive: true, mode: 0o700 });
  const index = openSync(join(state, 'runs.ndjson'), 'w', 0o600);
  let seed = 42;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const ids: string[] = [];
  let bytes = 0;
  let buffer: string[] = [];
  const flush = () => {
    const text = buffer.join('');
    bytes += Buffer.byteLength(text);
    writeSync(index, text);
    buffer = [];
  };
  const first = end.getTime() - 3_600_000 - count * 300_000;
  for (let i = 0; i < count; i++) {
    const queued = new Date(first + i * 300_000);
    const at = (ms: number) => new Date(queued.getTime() + ms).toISOString();
    const run = newRunId(queued, random);
    const job = HISTORY_JOBS[i % HISTORY_JOBS.length] ?? 'hourly';
    const failed = i % 50 === 49;
    const events: RunEvent[] = [
      {
        type: 'run_queued',
        at: at(0),
        run,
        job,
        trigger: { kind: 'schedule', tick: at(0) },
        steps: [...STEPS],
        attempt: 1,
      },
      { type: 'run_started', at: at(40), run, pid: 4242 },
    ];
    for (const step of [0, 1]) {
      events.push({
        type: 'step_started',
        at: at(100 + step * 20_000),
        run,
        step,
        command: STEPS[step] ?? '',
      });
      for (let l = 0; l < logLines / 2; l++)
        events.push({
          type: 'log',
          at: at(200 + step * 20_000 + l * 500),
          run,
          step,
          level: 'info',
          text: `step ${step + 1}: node model.bench_ui.model_${l} built in ${(random() * 3).toFixed(2)} s (${Math.floor(random() * 100000)} rows)`,
        });
      const stepFails = failed && step === 1;
      events.push({
        type: 'step_finished',
        at: at(19_000 + step * 20_000),
        run,
        step,
        status: stepFails ? 'failed' : 'success',
        exit_code: stepFails ? 1 : 0,
        ...(stepFails
          ? { error: 'node model.bench_ui.model_3 failed: Binder Error: column "x" not found' }
          : {}),
      });
    }
    events.push({
      type: 'run_finished',
      at: at(40_000),
      run,
      status: failed ? 'failed' : 'success',
      ...(failed
        ? {
            error: {
              step: 1,
              command: 'build --select tag:marts',
              node: 'model.bench_ui.model_3',
              message: 'Binder Error: column "x" not found',
            },
          }
        : {}),
    });
    const file = `${events.map((e) => JSON.stringify(e)).join('\n')}\n`;
    bytes += Buffer.byteLength(file);
    writeFileSync(join(state, 'runs', `${run}.ndjson`), file, { mode: 0o600 });
    const record = foldRun(events);
    if (!record) throw new Error(`run ${run} did not fold`);
    buffer.push(
      `${JSON.stringify(events[0])}\n`,
      `${JSON.stringify({ type: 'run_finished', run, at: at(40_000), summary: summaryOf(record) })}\n`,
    );
    if (buffer.length >= 2000) flush();
    ids.push(run);
  }
  flush();
  closeSync(index);
  return { ids, bytes };
}
