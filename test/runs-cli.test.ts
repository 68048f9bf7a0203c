/**
 * `vaultline runs` and `vaultline runs show` end to end: a temp project whose run store is filled
 * through the RunStore API (as the orchestrator fills it), then the CLI spawned as a user runs it.
 */
import assert from 'node:assert/strict';
import {
  appendFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { openOrchestratorStores } from '../src/orchestrator/store/open.ts';
import type { RunEvent } from '../src/orchestrator/types.ts';
import { redactor } from '../src/shared/redact.ts';
import { type CliRun, describeRun, vaultline } from './helpers/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'vaultline-runs-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const project = join(dir, 'project');
const linked = join(dir, 'linked');
const TOKEN = 'ghp_runsCliSecret0123456789';
const KNOWN_TO_WRITER = 'writer-side-secret-abcdef';
const env = { RUNS_TEST_TOKEN: TOKEN };
const OK = 'r20261201T060000000Z-okokok';
const FAILED = 'r20261201T070000000Z-fafafa';
const t = (hour: number, seconds: number) => new Date(Date.UTC(2026, 11, 1, hour, 0, seconds)).toISOString();
const build = JSON.parse(
  readFileSync(new URL('./fixtures/orchestrator/build-failed.json', import.meta.url), 'utf8'),
);

before(() => {
  for (const folder of [project, linked]) {
    mkdirSync(folder);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: vaultline.yml's own ${VAR} interpolation
    writeFileSync(join(folder, 'vaultline.yml'), 'name: runs_cli\nvars:\n  api_token: ${RUNS_TEST_TOKEN}\n');
  }
  const { runs, dir: stateDir } = openOrchestratorStores({
    projectDir: project,
    serve: { host: '127.0.0.1', port: 0, state_path: '.vaultline/orchestrator', heartbeat: 60_000 },
  });
  redactor.addSecret(KNOWN_TO_WRITER, 'test');
  const events: RunEvent[] = [
    {
      type: 'run_queued',
      at: t(6, 0),
      run: OK,
      job: 'daily',
      trigger: { kind: 'schedule', tick: t(6, 0) },
      steps: ['build'],
      attempt: 1,
    },
    { type: 'run_started', at: t(6, 1), run: OK, pid: 11 },
    { type: 'step_started', at: t(6, 1), run: OK, step: 0, command: 'build' },
    { type: 'log', at: t(6, 2), run: OK, step: 0, level: 'info', text: `token ${KNOWN_TO_WRITER}` },
    { type: 'step_finished', at: t(6, 5), run: OK, step: 0, status: 'success', exit_code: 0 },
    { type: 'run_finished', at: t(6, 5), run: OK, status: 'success' },
    {
      type: 'run_queued',
      at: t(7, 0),
      run: FAILED,
      job: 'hourly',
      trigger: { kind: 'sensor', sensor: 'drops', item: 'a.csv' },
      partition: '2026-11-30',
      steps: ['extract --all', 'build'],
      attempt: 1,
    },
    { type: 'run_started', at: t(7, 1), run: FAILED, pid: 12 },
    { type: 'step_started', at: t(7, 1), run: FAILED, step: 0, command: 'extract --all' },
    { type: 'step_finished', at: t(7, 2), run: FAILED, step: 0, status: 'success', exit_code: 0 },
    { type: 'step_started', at: t(7, 2), run: FAILED, step: 1, command: 'build' },
    { type: 'log', at: t(7, 3), run: FAILED, step: 1, level: 'error', text: 'model launches_by_year failed' },
    {
      type: 'step_finished',
      at: t(7, 9),
      run: FAILED,
      step: 1,
      status: 'failed',
      exit_code: 1,
      result: build,
      error: '1 node(s) failed',
    },
    {
      type: 'run_finished',
      at: t(7, 9),
      run: FAILED,
      status: 'failed',
      error: { step: 1, command: 'build', message: '1 node(s) failed' },
    },
  ];
  for (const event of events) runs.append(event);
  // A line the writer could not redact (it did not know the secret): the CLI, which does, masks it.
  appendFileSync(
    join(stateDir, 'runs', `${FAILED}.ndjson`),
    `${JSON.stringify({ type: 'log', at: t(7, 10), run: FAILED, level: 'warn', text: `leaked ${TOKEN}` })}\n`,
  );
  // A project whose state folder is a symlink: refused (exit 1).
  mkdirSync(join(linked, 'elsewhere'));
  mkdirSync(join(linked, '.vaultline'));
  symlinkSync(join(linked, 'elsewhere'), join(linked, '.vaultline', 'orchestrator'));
});

function noSecret(run: CliRun): void {
  for (const secret of [TOKEN, KNOWN_TO_WRITER]) {
    assert.equal(run.out.includes(secret), false, `stdout holds a secret\n${describeRun(run)}`);
    assert.equal(run.stderr.includes(secret), false, `stderr holds a secret\n${describeRun(run)}`);
  }
}

test('runs: list, filter, show, logs, JSON, usage errors, refusals', { timeout: 120_000 }, async () => {
  const cli = (args: string[], cwd = project) => vaultline(args, { cwd, env });
  const [table, json, show, logs, logsJson, typo, badLimit, badStatus, symlink] = await Promise.all([
    cli(['runs']),
    cli(['runs', '--job', 'hourly', '--json']),
    cli(['runs', 'show', FAILED]),
    cli(['runs', 'show', OK, '--logs']),
    cli(['runs', 'show', FAILED, '--logs', '--json']),
    cli(['runs', 'show', 'r20261201T070000000Z-fafafb']),
    cli(['runs', '--limit', '0']),
    cli(['runs', '--status', 'faild']),
    cli(['runs'], linked),
  ]);
  for (const run of [table, json, show, logs, logsJson, typo, badLimit, badStatus, symlink]) noSecret(run);

  assert.equal(table.code, 0, describeRun(table));
  const lines = table.out.trim().split('\n');
  assert.match(
    lines[0] ?? '',
    /^id\s+job\s+trigger\s+partition\s+status\s+started\s+duration\s+failed step$/,
  );
  assert.match(
    lines[2] ?? '',
    new RegExp(
      `^${FAILED}\\s+hourly\\s+sensor drops\\s+2026-11-30\\s+failed\\s+${t(7, 1)}\\s+8\\.0s\\s+2\\. build$`,
    ),
  );
  assert.match(lines[3] ?? '', new RegExp(`^${OK}\\s+daily\\s+schedule\\s+success\\s+${t(6, 1)}\\s+4\\.0s$`));
  assert.equal(lines.at(-1), '2 run(s)');

  assert.equal(json.code, 0, describeRun(json));
  const listed = JSON.parse(json.out) as Array<{ id: string; status: string; steps: unknown[] }>;
  assert.deepEqual(
    listed.map((r) => [r.id, r.status]),
    [[FAILED, 'failed']],
  );

  assert.equal(show.code, 0, describeRun(show));
  assert.match(show.out, new RegExp(`^Run ${FAILED} — job hourly: FAILED$`, 'm'));
  assert.match(show.out, /^ {2}2\. build {2}failed {2}7\.0s \(exit 1\)$/m);
  assert.match(show.out, /FAIL assert_always_fails: 2 failing rows/);
  assert.match(show.out, new RegExp(`logs: vaultline runs show ${FAILED} --logs`));

  assert.equal(logs.code, 0, describeRun(logs));
  assert.match(logs.out, /^\[step 1\] 06:00:02\.000Z INFO {2}token \*\*\*$/m);

  assert.equal(logsJson.code, 0, describeRun(logsJson));
  const doc = JSON.parse(logsJson.out) as {
    run: { id: string; steps: Array<{ result?: unknown }> };
    logs: Array<{ text: string; step?: number }>;
  };
  assert.equal(doc.run.id, FAILED);
  assert.ok(doc.run.steps[1]?.result, 'show --json carries the step results');
  assert.deepEqual(
    doc.logs.map((l) => l.text),
    ['model launches_by_year failed', 'leaked ***'],
  );

  assert.equal(typo.code, 2, describeRun(typo));
  assert.match(
    typo.stderr,
    new RegExp(`no run "r20261201T070000000Z-fafafb" in .*; did you mean ${FAILED}\\?`),
  );
  assert.equal(badLimit.code, 2, describeRun(badLimit));
  assert.match(badLimit.stderr, /--limit must be a whole number of runs, 1 or more \(got "0"\)/);
  assert.equal(badStatus.code, 2, describeRun(badStatus));
  assert.match(badStatus.stderr, /--status "faild" is not a run status \(did you mean failed\?\)/);
  assert.equal(symlink.code, 1, describeRun(symlink));
  assert.match(symlink.stderr, /orchestrator is a symlink/);
});
