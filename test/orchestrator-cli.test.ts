import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { describeRun, vaultline } from './helpers/cli.ts';

/**
 * The orchestrator's verbs as a user types them: run-job, backfill, schedule preview / why, with
 * their exit codes (0 done, 1 the work failed, 2 a usage or configuration error) and --json.
 */
const dirs: string[] = [];
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function project(yml: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'vaultline-orch-cli-'));
  dirs.push(dir);
  mkdirSync(join(dir, 'models'));
  writeFileSync(join(dir, 'models', 'one.sql'), 'select 1 as id\n');
  writeFileSync(join(dir, 'models', 'bad.sql'), 'select * from no_such_table\n');
  writeFileSync(join(dir, 'vaultline.yml'), `name: p\n${yml}`);
  return dir;
}

const JOBS = `jobs:
  nightly:
    steps: ["build --select one"]
    schedule: {cron: "30 2 * * *", timezone: Europe/Berlin}
  by_day:
    steps: ["ls --select one"]
    partitions: {by: day, start: "2025-01-01"}
  broken:
    steps: ["build --select one", "run --select bad", "build --select one"]
`;

test('run-job, backfill and schedule: results, --json and exit codes', { timeout: 300_000 }, async () => {
  const dir = project(JOBS);
  const ok = await vaultline(['run-job', 'nightly'], { cwd: dir });
  assert.equal(ok.code, 0, describeRun(ok));
  assert.match(ok.out, /job nightly: SUCCESS/);
  assert.match(ok.out, /1\. build --select one +success/);

  const backfill = await vaultline(
    ['backfill', 'by_day', '--from', '2024-12-30', '--to', '2025-01-03', '--json'],
    {
      cwd: dir,
    },
  );
  assert.equal(backfill.code, 0, describeRun(backfill));
  const document = JSON.parse(backfill.out) as { from: string; succeeded: string[]; done_before: number };
  assert.equal(document.from, '2025-01-01', 'never before the first partition');
  assert.deepEqual(document.succeeded, ['2025-01-01', '2025-01-02', '2025-01-03']);
  const again = await vaultline(
    ['backfill', 'by_day', '--from', '2025-01-01', '--to', '2025-01-04', '--json'],
    {
      cwd: dir,
    },
  );
  assert.deepEqual((JSON.parse(again.out) as { succeeded: string[] }).succeeded, ['2025-01-04']);

  const failed = await vaultline(['run-job', 'broken'], { cwd: dir });
  assert.equal(failed.code, 1, describeRun(failed));
  assert.match(failed.out, /job broken: FAILED/);
  assert.match(failed.out, /no_such_table/);
  assert.match(failed.out, /3\. build --select one +skipped/);

  const [preview, why, unknown, partitionMissing, notPartitioned, badDays] = await Promise.all([
    vaultline(['schedule', 'preview', '--days', '3', '--json'], { cwd: dir }),
    vaultline(['schedule', 'why', 'nightly'], { cwd: dir }),
    vaultline(['run-job', 'nightlly'], { cwd: dir }),
    vaultline(['run-job', 'by_day'], { cwd: dir }),
    vaultline(['backfill', 'nightly', '--from', '2025-01-01', '--to', '2025-01-02'], { cwd: dir }),
    vaultline(['schedule', 'preview', '--days', '0'], { cwd: dir }),
  ]);
  assert.equal(preview.code, 0, describeRun(preview));
  const entries = (JSON.parse(preview.out) as { entries: Array<{ job: string; local: string }> }).entries;
  assert.ok(
    entries.length >= 2 && entries.every((e) => e.job === 'nightly' && /02:30/.test(e.local)),
    preview.out,
  );
  assert.equal(why.code, 0, describeRun(why));
  assert.match(why.out, /30 2 \* \* \* \(Europe\/Berlin\)/);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /no job "nightlly".*did you mean "nightly"/);
  assert.equal(partitionMissing.code, 2);
  assert.match(partitionMissing.stderr, /--partition YYYY-MM-DD/);
  assert.equal(notPartitioned.code, 2);
  assert.match(notPartitioned.stderr, /not partitioned/);
  assert.equal(badDays.code, 2);

  const runs = await vaultline(['runs', '--json'], { cwd: dir });
  const listed = JSON.parse(runs.out) as
    | Array<{ job: string; status: string }>
    | { runs: Array<{ job: string; status: string }> };
  const all = Array.isArray(listed) ? listed : listed.runs;
  assert.equal(all.filter((r) => r.job === 'by_day' && r.status === 'success').length, 4);
  assert.equal(all.filter((r) => r.job === 'broken' && r.status === 'failed').length, 1);
});

test('a job step that is not one vaultline command is a configuration error with its line', async () => {
  const dir = project('jobs:\n  bad:\n    steps: ["build && rm -rf /"]\n');
  const run = await vaultline(['run-job', 'bad'], { cwd: dir });
  assert.equal(run.code, 2, describeRun(run));
  assert.match(run.stderr, /vaultline\.yml:4: jobs\.bad\.steps\.0 "&" is shell syntax/);
});
