import assert from 'node:assert/strict';
import {
  appendFileSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { after, describe, test } from 'node:test';
import { redactor } from '../../shared/redact.ts';
import type { RunEvent } from '../types.ts';
import { MAX_TEXT_BYTES } from './event-text.ts';
import { foldRun } from './fold.ts';
import { openOrchestratorStores } from './open.ts';
import { newRunId } from './run-ids.ts';
import { summaryOf } from './run-index.ts';
import { at, successfulRun, tempStores } from './test-support.ts';

const cleanups: Array<() => void> = [];
after(() => {
  for (const cleanup of cleanups) cleanup();
});
function stores(statePath?: string) {
  const made = tempStores(statePath);
  cleanups.push(made.cleanup);
  return made;
}

const queued = (run: string, job = 'daily', seconds = 0): Extract<RunEvent, { type: 'run_queued' }> => ({
  type: 'run_queued',
  at: at(seconds),
  run,
  job,
  trigger: { kind: 'manual', by: 'api' },
  steps: ['build'],
  attempt: 1,
});

describe('FileRunStore', () => {
  test('round trip: append, get, logs, list; nothing on disk before the first write; 0700 folder', () => {
    const { runs, dir } = stores();
    assert.equal(runs.get('r1'), undefined);
    assert.deepEqual(runs.list(), []);
    assert.throws(() => statSync(dir), /ENOENT/, 'reading creates nothing');
    for (const event of successfulRun('r1')) runs.append(event);
    assert.equal(statSync(dir).mode & 0o777, 0o700);
    const run = runs.get('r1');
    assert.equal(run?.status, 'success');
    assert.deepEqual(run?.steps[0]?.result, { summary: [] });
    assert.deepEqual(runs.logs('r1'), [
      { at: at(2), step: 0, level: 'info', text: 'worldbank: 12 object(s)' },
      { at: at(4), step: 1, level: 'info', text: '[1/1] OK model x' },
    ]);
    assert.deepEqual(
      runs.logs('r1', { step: 1 }).map((l) => l.text),
      ['[1/1] OK model x'],
    );
    const [summary] = runs.list();
    assert.equal(summary?.id, 'r1');
    assert.equal(summary?.status, 'success');
    assert.equal(summary?.startedAt, at(1));
    assert.equal('result' in (summary?.steps[0] ?? {}), false, 'listings carry no step results');
    // The index has one line per queued and one per finished run, not one per event.
    assert.equal(readFileSync(join(dir, 'runs.ndjson'), 'utf8').trim().split('\n').length, 2);
    assert.deepEqual(readdirSync(join(dir, 'runs')), ['r1.ndjson']);
  });

  test('list: newest first, by job and status, limited; unfinished runs show their current status', () => {
    const { runs } = stores();
    for (const [i, id] of ['ra', 'rb', 'rc', 'rd'].entries())
      runs.append(queued(id, i % 2 ? 'odd' : 'even', i * 10));
    runs.append({ type: 'run_started', at: at(31), run: 'rd', pid: 1 });
    runs.append({
      type: 'run_finished',
      at: at(12),
      run: 'rb',
      status: 'failed',
      error: { message: 'boom' },
    });
    runs.append({
      type: 'retry_scheduled',
      at: at(12),
      run: 'rb',
      next_attempt_at: at(90),
      delay_ms: 1,
      attempt: 2,
    });
    assert.deepEqual(
      runs.list().map((r) => [r.id, r.status]),
      [
        ['rd', 'running'],
        ['rc', 'queued'],
        ['rb', 'failed'],
        ['ra', 'queued'],
      ],
    );
    assert.deepEqual(
      runs.list({ job: 'odd' }).map((r) => r.id),
      ['rd', 'rb'],
    );
    assert.deepEqual(
      runs.list({ status: ['queued', 'failed'] }).map((r) => r.id),
      ['rc', 'rb', 'ra'],
    );
    assert.deepEqual(
      runs.list({ limit: 2 }).map((r) => r.id),
      ['rd', 'rc'],
    );
    const failed = runs.list({ status: ['failed'] })[0];
    assert.equal(failed?.nextAttemptAt, at(90));
    assert.equal(failed?.error?.message, 'boom');
  });

  test('a torn last line (kill -9 mid-write) is ignored on read and the next append starts a new line', () => {
    const { runs, dir } = stores();
    runs.append(queued('r1'));
    runs.append({ type: 'log', at: at(1), run: 'r1', level: 'info', text: 'whole' });
    const file = join(dir, 'runs', 'r1.ndjson');
    appendFileSync(
      file,
      '{"type":"log","at":"2026-12-01T10:00:02.000Z","run":"r1","level":"info","text":"half a li',
    );
    appendFileSync(join(dir, 'runs.ndjson'), '{"type":"run_queued","run":"torn');
    assert.deepEqual(
      runs.logs('r1').map((l) => l.text),
      ['whole'],
    );
    assert.deepEqual(
      runs.list().map((r) => r.id),
      ['r1'],
    );
    // A second store (a new process) appends after the torn lines: its lines stay whole.
    const again = tempStoresAt(dir);
    again.append({ type: 'log', at: at(3), run: 'r1', level: 'info', text: 'after' });
    again.append({ type: 'run_finished', at: at(4), run: 'r1', status: 'success' });
    runs.append(queued('r2', 'daily', 5));
    assert.deepEqual(
      again.logs('r1').map((l) => l.text),
      ['whole', 'after'],
    );
    assert.equal(again.get('r1')?.status, 'success');
    assert.deepEqual(
      runs.list().map((r) => [r.id, r.status]),
      [
        ['r2', 'queued'],
        ['r1', 'success'],
      ],
    );
    const lines = readFileSync(file, 'utf8').split('\n');
    assert.equal(lines.at(-1), '', 'the file ends with a newline');
    assert.match(lines.at(-4) ?? '', /half a li$/, 'the torn line stays as it was, on its own line');
  });

  test('secrets never reach the disk: log lines, errors, results, trigger argv', () => {
    const { runs, dir } = stores();
    const secret = 'sk-live-51Habc-do-not-leak';
    redactor.addSecret(secret, 'test secret');
    const run = 'rsecret';
    runs.append({
      ...queued(run),
      trigger: { kind: 'cli', argv: ['build', '--vars', `{"key":"${secret}"}`] },
    });
    runs.append({
      type: 'log',
      at: at(1),
      run,
      level: 'info',
      text: `calling https://api.example.com/?q=1&api_key=${secret}`,
    });
    runs.append({ type: 'log', at: at(1), run, level: 'error', text: `Bearer ${secret}` });
    runs.append({
      type: 'step_finished',
      at: at(2),
      run,
      step: 0,
      status: 'failed',
      exit_code: 1,
      error: `auth failed for ${secret}`,
      result: { results: [{ message: `echo ${encodeURIComponent(secret)}`, token: 'abc-not-registered' }] },
    });
    runs.append({
      type: 'run_finished',
      at: at(3),
      run,
      status: 'failed',
      error: { message: `failed: ${secret}` },
    });
    const files = [join(dir, 'runs.ndjson'), join(dir, 'runs', `${run}.ndjson`)];
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      assert.equal(text.includes(secret), false, `${file} holds the secret`);
      assert.equal(text.includes(encodeURIComponent(secret)), false);
      assert.equal(text.includes('abc-not-registered'), false, 'a secret-named field is masked');
    }
    assert.match(runs.logs(run)[1]?.text ?? '', /^Bearer \*\*\*$/);
  });

  test('a log line longer than 64 KiB is cut with a marker; the store still reads it', () => {
    const { runs } = stores();
    runs.append(queued('r1'));
    runs.append({ type: 'log', at: at(1), run: 'r1', level: 'info', text: 'é'.repeat(100_000) });
    const [line] = runs.logs('r1');
    assert.ok(line);
    assert.ok(Buffer.byteLength(line.text) <= MAX_TEXT_BYTES);
    assert.match(line.text, /^é+ … \[truncated: 200000 bytes in all\]$/);
  });

  test('step results keep compiled SQL only for failed nodes', () => {
    const { runs } = stores();
    runs.append(queued('r1'));
    const result = {
      success: false,
      results: [
        { name: 'ok', status: 'success', compiled_sql: 'select 1', error: null },
        {
          name: 'bad',
          status: 'error',
          compiled_sql: 'select nope',
          error: { kind: 'x', failed_sql: 'select nope' },
        },
      ],
    };
    runs.append({
      type: 'step_finished',
      at: at(1),
      run: 'r1',
      step: 0,
      status: 'failed',
      exit_code: 1,
      result,
    });
    assert.deepEqual(runs.get('r1')?.steps[0]?.result, {
      success: false,
      results: [
        { name: 'ok', status: 'success', error: null },
        {
          name: 'bad',
          status: 'error',
          compiled_sql: 'select nope',
          error: { kind: 'x', failed_sql: 'select nope' },
        },
      ],
    });
  });

  test('abandonOrphans closes queued and running runs whose process is gone, and only those', () => {
    const { runs } = stores();
    runs.append(queued('never-started')); // queued by a process that is gone: no pid
    runs.append(queued('alive'));
    runs.append({ type: 'run_started', at: at(1), run: 'alive', pid: 100 });
    runs.append(queued('dead'));
    runs.append({ type: 'run_started', at: at(1), run: 'dead', pid: 200 });
    runs.append({ type: 'step_started', at: at(1), run: 'dead', step: 0, command: 'build' });
    runs.append(queued('reused-pid'));
    runs.append({ type: 'run_started', at: at(1), run: 'reused-pid', pid: 1 });
    for (const event of successfulRun('done')) runs.append(event);
    const abandoned = runs.abandonOrphans((pid) => pid === 100 || pid === 1, new Date(at(60)), 1);
    assert.deepEqual(abandoned.map((r) => r.id).sort(), ['dead', 'never-started', 'reused-pid']);
    const dead = runs.get('dead');
    assert.equal(dead?.status, 'abandoned');
    assert.equal(dead?.endedAt, at(60));
    assert.deepEqual(dead?.error, {
      step: 0,
      command: 'build',
      message: 'the process that ran it (pid 200) is gone: the run was running when it stopped',
    });
    assert.equal(dead?.steps[0]?.status, 'cancelled');
    assert.equal(runs.get('alive')?.status, 'running');
    assert.equal(runs.get('done')?.status, 'success');
    assert.deepEqual(
      runs
        .list({ status: ['abandoned'] })
        .map((r) => r.id)
        .sort(),
      ['dead', 'never-started', 'reused-pid'],
    );
    assert.deepEqual(
      runs.abandonOrphans(() => false, new Date(at(70)), 1).map((r) => r.id),
      ['alive'],
      'a second pass finds only what died since',
    );
  });

  test('symlinks are refused: the state folder, the runs folder, a run file', () => {
    const { projectDir, runs, dir } = stores();
    mkdirSync(join(projectDir, 'elsewhere'));
    mkdirSync(join(projectDir, '.vaultline'));
    symlinkSync(join(projectDir, 'elsewhere'), dir);
    assert.throws(() => runs.append(queued('r1')), /orchestrator is a symlink/);
    assert.throws(() => runs.list(), /is a symlink/);
    assert.deepEqual(readdirSync(join(projectDir, 'elsewhere')), [], 'nothing written through the link');

    const other = stores();
    other.runs.append(queued('r1'));
    writeFileSync(join(other.projectDir, 'target.ndjson'), '');
    symlinkSync(join(other.projectDir, 'target.ndjson'), join(other.dir, 'runs', 'r2.ndjson'));
    assert.throws(() => other.runs.append(queued('r2')), /r2\.ndjson is a symlink/);
    assert.throws(() => other.runs.get('r2'), /r2\.ndjson is a symlink/);
    assert.equal(readFileSync(join(other.projectDir, 'target.ndjson'), 'utf8'), '');
  });

  test('list({limit: 20}) over 10,000 runs reads only the index', () => {
    const { runs, dir } = stores();
    // The index as 10,000 appends would leave it (written in one go: 20,000 fsyncs would take a while),
    // and one run appended through the store on top.
    const base = Date.UTC(2026, 0, 1);
    let random = 0;
    const lines: string[] = [];
    for (let i = 0; i < 10_000; i++) {
      const time = new Date(base + i * 60_000);
      const run = newRunId(time, () => {
        random = (random * 9301 + 49297) % 233280;
        return random / 233280;
      });
      const events: RunEvent[] = [
        {
          ...queued(run, i % 3 ? 'daily' : 'hourly'),
          at: time.toISOString(),
          steps: ['extract --all', 'build'],
        },
        { type: 'run_started', at: time.toISOString(), run, pid: 4242 },
        {
          type: 'run_finished',
          at: new Date(time.getTime() + 5000).toISOString(),
          run,
          status: i % 7 ? 'success' : 'failed',
          ...(i % 7 ? {} : { error: { step: 1, command: 'build', message: 'model x failed' } }),
        },
      ];
      const record = foldRun(events);
      assert.ok(record);
      lines.push(
        JSON.stringify(events[0]),
        JSON.stringify({ type: 'run_finished', run, at: record.endedAt, summary: summaryOf(record) }),
      );
    }
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'runs.ndjson'), `${lines.join('\n')}\n`);
    runs.append(queued('rlatest', 'daily', 0));
    const started = process.hrtime.bigint();
    const listed = runs.list({ limit: 20 });
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    assert.equal(listed.length, 20);
    assert.equal(listed[0]?.id, 'rlatest');
    assert.ok(listed[1] && listed[2] && listed[1].queuedAt > listed[2].queuedAt);
    const indexBytes = statSync(join(dir, 'runs.ndjson')).size;
    // Reported, not asserted (wall-clock durations are not deterministic).
    console.log(
      `# list({limit: 20}) over 10,000 runs: ${ms.toFixed(1)} ms (index ${(indexBytes / 1024 / 1024).toFixed(1)} MiB)`,
    );
  });
});

/** A second store over the same state folder, as another process would open it. */
function tempStoresAt(stateDir: string) {
  return openOrchestratorStores({
    projectDir: dirname(dirname(stateDir)),
    serve: { host: '127.0.0.1', port: 0, state_path: '.vaultline/orchestrator', heartbeat: 60_000 },
  }).runs;
}
