import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunEvent } from '../types.ts';
import { openOrchestratorStores } from './open.ts';

/** A temp project folder with the default state path, removed by `cleanup`. */
export function tempStores(statePath = '.vaultline/orchestrator') {
  const projectDir = mkdtempSync(join(tmpdir(), 'vaultline-store-'));
  const stores = openOrchestratorStores({
    projectDir,
    serve: { host: '127.0.0.1', port: 0, state_path: statePath, heartbeat: 60_000 },
  });
  return { projectDir, ...stores, cleanup: () => rmSync(projectDir, { recursive: true, force: true }) };
}

/** ISO time `seconds` after 2026-12-01T10:00:00Z: a fixed clock for event times. */
export const at = (seconds: number) => new Date(Date.UTC(2026, 11, 1, 10, 0, seconds)).toISOString();

/** The events of one whole run, step by step, for round trips. */
export function successfulRun(run: string, job = 'daily', start = 0): RunEvent[] {
  return [
    {
      type: 'run_queued',
      at: at(start),
      run,
      job,
      trigger: { kind: 'schedule', tick: at(start) },
      steps: ['extract --all', 'build'],
      attempt: 1,
    },
    { type: 'run_started', at: at(start + 1), run, pid: 4242 },
    { type: 'step_started', at: at(start + 1), run, step: 0, command: 'extract --all' },
    { type: 'log', at: at(start + 2), run, step: 0, level: 'info', text: 'worldbank: 12 object(s)' },
    {
      type: 'step_finished',
      at: at(start + 3),
      run,
      step: 0,
      status: 'success',
      exit_code: 0,
      result: { summary: [] },
    },
    { type: 'step_started', at: at(start + 3), run, step: 1, command: 'build' },
    { type: 'log', at: at(start + 4), run, step: 1, level: 'info', text: '[1/1] OK model x' },
    { type: 'step_finished', at: at(start + 5), run, step: 1, status: 'success', exit_code: 0 },
    { type: 'run_finished', at: at(start + 5), run, status: 'success' },
  ];
}
