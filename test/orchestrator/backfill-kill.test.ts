import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { META_SUFFIX } from '../../src/landing/keys.ts';
import type { RunSummary } from '../../src/orchestrator/types.ts';
import { describeRun, vaultline } from '../helpers/cli.ts';
import { TempProjects } from './helpers/project.ts';

/**
 * `vaultline backfill` killed with SIGKILL part-way, then run again: every day is landed exactly
 * once, the done days are one range, and a third run finds nothing to do. The real CLI in a child
 * process; the kill lands wherever the child happens to be (between partitions or inside a step).
 */
const projects = new TempProjects();
after(() => projects.removeAll());

const BIN = new URL('../../bin/vaultline.js', import.meta.url).pathname;
const DAYS = Array.from({ length: 30 }, (_, i) => `2025-01-${String(i + 1).padStart(2, '0')}`);
const YML = `name: p
jobs:
  daily:
    steps: ["land drops/{{ partition.date }}.json --source drops --resource daily"]
    partitions: {by: day, start: "2025-01-01"}
`;

/** Runs the backfill in a child and SIGKILLs it as soon as it reports its `afterDone`-th partition. */
function backfillKilledAfter(cwd: string, afterDone: number): Promise<{ killed: boolean; stderr: string }> {
  const { NODE_OPTIONS: _ignored, ...env } = process.env;
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [BIN, 'backfill', 'daily', '--from', DAYS[0]!, '--to', DAYS.at(-1)!],
      { cwd, env, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    let killed = false;
    // The backfill logs "[n/30] day SUCCESS" after each partition: kill on the n-th, at once.
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
      if (!killed && stderr.includes(`[${afterDone}/${DAYS.length}]`)) {
        killed = child.kill('SIGKILL');
      }
    });
    child.on('error', reject);
    child.on('close', (_code, signal) => resolve({ killed: killed && signal === 'SIGKILL', stderr }));
  });
}

/** Landed objects per day, told by the landed file's URL in each sidecar (the key holds only load time). */
function landedPerDay(dir: string): Map<string, number> {
  const counts = new Map<string, number>();
  const root = join(dir, '.vaultline', 'raw', 'drops', 'daily');
  for (const folder of readdirSync(root)) {
    for (const name of readdirSync(join(root, folder)).filter((n) => n.endsWith(META_SUFFIX))) {
      const meta = JSON.parse(readFileSync(join(root, folder, name), 'utf8')) as { request: { url: string } };
      const day = /\/drops\/(\d{4}-\d{2}-\d{2})\.json$/.exec(meta.request.url)?.[1];
      assert.ok(day, `a landed object from an unexpected file: ${meta.request.url}`);
      counts.set(day, (counts.get(day) ?? 0) + 1);
    }
  }
  return counts;
}

test('a backfill killed with SIGKILL resumes: every day landed exactly once, one done range', async () => {
  const files = Object.fromEntries(DAYS.map((day) => [`drops/${day}.json`, `[{"day":"${day}"}]\n`]));
  const dir = projects.make('backfill-kill', YML, files);

  const first = await backfillKilledAfter(dir, 8);
  assert.ok(first.killed, `the first backfill should have been killed mid-way:\n${first.stderr}`);
  const partitionsFile = join(dir, '.vaultline', 'orchestrator', 'partitions', 'daily.json');
  const doneAtKill = JSON.parse(readFileSync(partitionsFile, 'utf8')) as Array<[string, string]>;
  assert.equal(doneAtKill.length, 1, 'days done in order make one range');
  assert.equal(doneAtKill[0]?.[0], DAYS[0]);
  assert.ok(
    doneAtKill[0]![1] >= DAYS[7]! && doneAtKill[0]![1] < DAYS.at(-1)!,
    `killed mid-way: ${doneAtKill}`,
  );

  const second = await vaultline(['--json', 'backfill', 'daily', '--from', DAYS[0]!, '--to', DAYS.at(-1)!], {
    cwd: dir,
  });
  assert.equal(second.code, 0, describeRun(second));
  const report = JSON.parse(second.out) as {
    done_before: number;
    missing: string[];
    succeeded: string[];
    failed: unknown[];
    stopped: boolean;
  };
  // What the first run finished (said so in the partitions file, or healed from its successful runs).
  assert.ok(report.done_before >= 8, `done before: ${report.done_before}`);
  assert.equal(report.done_before + report.missing.length, DAYS.length);
  assert.deepEqual(report.succeeded, report.missing);
  assert.deepEqual(report.failed, []);
  assert.equal(report.stopped, false);
  assert.deepEqual(DAYS.slice(report.done_before), report.missing, 'it resumes at the first day not done');

  assert.deepEqual(JSON.parse(readFileSync(partitionsFile, 'utf8')), [[DAYS[0], DAYS.at(-1)]]);
  const landed = landedPerDay(dir);
  assert.deepEqual(
    DAYS.filter((day) => landed.get(day) !== 1).map((day) => `${day}: ${landed.get(day) ?? 0}`),
    [],
    'every day landed exactly once',
  );
  assert.equal(landed.size, DAYS.length);

  // A run the kill cut inside its step is closed as abandoned by the next backfill; one cut between
  // partitions leaves nothing unfinished.
  const runs = await vaultline(['--json', 'runs', '--limit', '100'], { cwd: dir });
  assert.equal(runs.code, 0, describeRun(runs));
  const listed = JSON.parse(runs.out) as RunSummary[];
  const abandoned = listed.filter((run) => run.status === 'abandoned');
  assert.ok(abandoned.length <= 1, `at most the run the kill cut: ${abandoned.map((r) => r.id)}`);
  assert.equal(listed.filter((run) => run.status === 'success').length, DAYS.length);
  for (const run of abandoned) assert.equal(run.trigger.kind, 'backfill');
  assert.ok(
    listed.every((run) => run.status === 'success' || run.status === 'abandoned'),
    `no run left queued or running: ${listed.map((r) => `${r.id} ${r.status}`)}`,
  );

  const third = await vaultline(['--json', 'backfill', 'daily', '--from', DAYS[0]!, '--to', DAYS.at(-1)!], {
    cwd: dir,
  });
  assert.equal(third.code, 0, describeRun(third));
  const again = JSON.parse(third.out) as { done_before: number; missing: string[]; succeeded: string[] };
  assert.equal(again.done_before, DAYS.length);
  assert.deepEqual(again.missing, []);
  assert.deepEqual(again.succeeded, []);
  assert.equal(landedPerDay(dir).size, DAYS.length);
});
