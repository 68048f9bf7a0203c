import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { loadConfig } from '../../src/config/load.ts';
import { ManualClock } from '../../src/orchestrator/clock.ts';
import { JobRunner } from '../../src/orchestrator/runner.ts';
import { openOrchestratorStores } from '../../src/orchestrator/store/open.ts';
import { newRunId } from '../../src/orchestrator/store/run-ids.ts';
import { at, successfulRun } from '../../src/orchestrator/store/test-support.ts';
import type { RunEvent } from '../../src/orchestrator/types.ts';
import { createUiApp } from '../../src/ui/app.ts';
import type { UiDeps } from '../../src/ui/deps.ts';
import { copyExample } from '../helpers/example-project.ts';

const WRITE = { 'x-vaultline-ui': '1', 'content-type': 'application/json' };
const BIG = 'r20261201T100000000Z-big000';
const LIVE = 'r20261201T100020000Z-live00';
const BUILD = 'r20261201T100010000Z-build0';
const LOG_LINES = 100_000;

/**
 * The Runs pages' routes on a real run store (files in a temp project) and a real, idle JobRunner,
 * through `app.request` (no socket). Events reach the SSE route through a watch the test drives as the
 * runner would: store the event, then tell the watchers.
 */
describe('UI run routes', () => {
  let dir: string;
  let app: ReturnType<typeof createUiApp>;
  let emit: (event: RunEvent) => void;
  const listeners = new Set<(event: RunEvent) => void>();
  const stopping = new AbortController();

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'vaultline-ui-runs-'));
    copyExample(dir);
    const config = loadConfig(dir, {});
    const stores = openOrchestratorStores(config);
    const clock = new ManualClock(new Date(at(3600)));
    emit = (event) => {
      stores.runs.append(event);
      for (const listener of listeners) listener(event);
    };
    // 60 finished runs, a minute apart in the hour before, for paging (ids sort as their queue times).
    for (let i = 0; i < 60; i++) {
      const start = -(60 - i) * 60;
      const id = newRunId(new Date(at(start)), () => 0.5);
      for (const event of successfulRun(id, i % 2 === 0 ? 'daily' : 'weekly_refresh', start))
        stores.runs.append(event);
    }
    const started = Date.now();
    stores.runs.append({
      type: 'run_queued',
      at: at(0),
      run: BIG,
      job: 'daily',
      trigger: { kind: 'manual', by: 'api' },
      steps: ['build'],
      attempt: 1,
    });
    stores.runs.append({ type: 'run_started', at: at(0), run: BIG, pid: 1 });
    stores.runs.append({ type: 'step_started', at: at(0), run: BIG, step: 0, command: 'build' });
    for (let i = 0; i < LOG_LINES; i++)
      stores.runs.append({ type: 'log', at: at(1), run: BIG, step: 0, level: 'info', text: `line ${i}` });
    stores.runs.append({
      type: 'step_finished',
      at: at(2),
      run: BIG,
      step: 0,
      status: 'success',
      exit_code: 0,
    });
    stores.runs.append({ type: 'run_finished', at: at(2), run: BIG, status: 'success' });
    console.log(`# wrote ${LOG_LINES} log lines in ${Date.now() - started} ms`);

    stores.runs.append({
      type: 'run_queued',
      at: at(10),
      run: BUILD,
      job: 'daily',
      trigger: { kind: 'manual', by: 'api' },
      steps: ['build'],
      attempt: 1,
    });
    stores.runs.append({ type: 'step_started', at: at(10), run: BUILD, step: 0, command: 'build' });
    stores.runs.append({
      type: 'step_finished',
      at: at(14),
      run: BUILD,
      step: 0,
      status: 'failed',
      exit_code: 1,
      result: {
        results: [
          {
            unique_id: 'model.p.ok',
            name: 'ok',
            status: 'success',
            started_at: at(10),
            execution_time: 1.5,
            rows_affected: 7,
            message: 'OK',
          },
          {
            unique_id: 'model.p.broken',
            name: 'broken',
            status: 'error',
            started_at: at(12),
            execution_time: 2,
            message: 'Binder Error: no column x',
            error: { kind: 'sql', file: 'models/broken.sql', line: 3, failed_sql: 'select x from nowhere' },
          },
        ],
      },
    });
    stores.runs.append({
      type: 'run_finished',
      at: at(14),
      run: BUILD,
      status: 'failed',
      error: { step: 0, node: 'model.p.broken', message: 'Binder Error: no column x' },
    });

    const runner = new JobRunner({ config, stores, clock, signal: stopping.signal });
    const deps: UiDeps = {
      config,
      runs: stores.runs,
      runner,
      clock,
      read: () => Promise.reject(new Error('the run routes never read the warehouse')),
      watch: (listener) => {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
      warehouseGeneration: () => 0,
    };
    app = createUiApp(deps);
  });
  after(() => {
    stopping.abort();
    rmSync(dir, { recursive: true, force: true });
  });

  const get = async (path: string) => {
    const response = await app.request(path);
    return {
      status: response.status,
      // biome-ignore lint/suspicious/noExplicitAny: JSON answers, checked field by field below
      body: (await response.json()) as any,
    };
  };

  test('a 100,000-line log is paged on the server: a page, a later page and the tail', async () => {
    for (const [path, offset, first] of [
      [`/ui/api/runs/${BIG}/log`, 0, 'line 0'],
      [`/ui/api/runs/${BIG}/log?offset=50000&limit=100`, 50000, 'line 50000'],
      [`/ui/api/runs/${BIG}/log?tail=1`, LOG_LINES - 500, `line ${LOG_LINES - 500}`],
    ] as const) {
      const started = performance.now();
      const { status, body } = await get(path);
      console.log(`# GET ${path}: ${(performance.now() - started).toFixed(1)} ms`);
      assert.equal(status, 200);
      assert.equal(body.total, LOG_LINES);
      assert.equal(body.offset, offset);
      assert.equal(body.lines.length, path.includes('limit=100') ? 100 : 500);
      assert.equal(body.lines[0].text, first);
    }
    const { body } = await get(`/ui/api/runs/${BIG}/log?tail=1&limit=3`);
    assert.deepEqual(
      body.lines.map((l: { text: string }) => l.text),
      ['line 99997', 'line 99998', 'line 99999'],
    );
    const started = performance.now();
    const record = await get(`/ui/api/runs/${BIG}`);
    console.log(`# GET /ui/api/runs/${BIG}: ${(performance.now() - started).toFixed(1)} ms`);
    assert.equal(record.body.log_lines, LOG_LINES);
    assert.equal(record.body.run.status, 'success');
  });

  test('the listing is newest first, 50 a page, with a cursor to the next; filters by job and status', async () => {
    const first = await get('/ui/api/runs');
    assert.equal(first.body.runs.length, 50);
    assert.equal(first.body.runs[0].id, BUILD);
    assert.ok(first.body.next_before);
    const second = await get(`/ui/api/runs?before=${first.body.next_before}`);
    assert.equal(second.body.runs.length, 12);
    assert.equal(second.body.next_before, null);
    const ids = [...first.body.runs, ...second.body.runs].map((r: { id: string }) => r.id);
    assert.equal(new Set(ids).size, 62);
    assert.deepEqual(ids, [...ids].sort().reverse());
    const weekly = await get('/ui/api/runs?job=weekly_refresh&limit=100');
    assert.equal(weekly.body.runs.length, 30);
    const failed = await get('/ui/api/runs?status=failed');
    assert.deepEqual(
      failed.body.runs.map((r: { id: string }) => r.id),
      [BUILD],
    );
    assert.equal(typeof first.body.runs[0].duration_ms, 'number');
    assert.equal((await get('/ui/api/runs?status=bogus')).status, 400);
  });

  test("a build step's nodes with their timing and the failed node's SQL", async () => {
    const { body } = await get(`/ui/api/runs/${BUILD}`);
    const step = body.run.steps[0];
    assert.equal(step.exit_code, 1);
    assert.equal(step.duration_ms, 4000);
    assert.deepEqual(
      step.nodes.map((n: { unique_id: string }) => n.unique_id),
      ['model.p.ok', 'model.p.broken'],
    );
    assert.equal(step.nodes[0].rows_affected, 7);
    assert.equal(step.nodes[1].error.failed_sql, 'select x from nowhere');
    assert.equal(body.run.error.node, 'model.p.broken');
    assert.equal((await get('/ui/api/runs/r-nope')).status, 404);
    assert.equal((await get('/ui/api/runs/..%2Fetc')).status, 404);
  });

  test('events: missed lines first, then live lines, steps and the end; the listener goes with the stream', async () => {
    emit({
      type: 'run_queued',
      at: at(20),
      run: LIVE,
      job: 'daily',
      trigger: { kind: 'manual', by: 'api' },
      steps: ['build'],
      attempt: 1,
    });
    emit({ type: 'run_started', at: at(20), run: LIVE, pid: 1 });
    emit({ type: 'step_started', at: at(20), run: LIVE, step: 0, command: 'build' });
    emit({ type: 'log', at: at(21), run: LIVE, step: 0, level: 'info', text: 'before the page' });
    emit({ type: 'log', at: at(21), run: LIVE, step: 0, level: 'info', text: 'after the page' });
    const response = await app.request(`/ui/api/runs/${LIVE}/events?after=1`);
    assert.equal(response.headers.get('content-type'), 'text/event-stream');
    assert.equal(listeners.size, 1);
    emit({ type: 'log', at: at(22), run: LIVE, step: 0, level: 'warn', text: 'live line' });
    emit({ type: 'log', at: at(22), run: 'r-other', level: 'info', text: 'another run' });
    emit({ type: 'step_finished', at: at(23), run: LIVE, step: 0, status: 'success', exit_code: 0 });
    emit({ type: 'run_finished', at: at(23), run: LIVE, status: 'success' });
    const text = await response.text();
    const events = text
      .trim()
      .split('\n\n')
      .map((block) => ({
        event: /^event: (.*)$/m.exec(block)?.[1],
        data: JSON.parse(/^data: (.*)$/m.exec(block)?.[1] ?? 'null'),
      }));
    assert.deepEqual(
      events.map((e) => [e.event, e.data.text ?? e.data.status, e.data.index]),
      [
        ['status', 'running', undefined],
        ['log', 'after the page', 1],
        ['log', 'live line', 2],
        ['step', 'success', 0],
        ['end', 'success', undefined],
      ],
    );
    assert.equal(listeners.size, 0, 'the stream removed its listener');

    // A finished run: what is left, then the end at once.
    const done = await (await app.request(`/ui/api/runs/${LIVE}/events?after=3`)).text();
    assert.match(done, /event: end\ndata: \{"status":"success"\}/);
    assert.equal(listeners.size, 0);
  });

  test('a client that goes away takes its listener with it', async () => {
    const id = 'r20261201T100030000Z-gone00';
    emit({
      type: 'run_queued',
      at: at(30),
      run: id,
      job: 'daily',
      trigger: { kind: 'manual', by: 'api' },
      steps: ['build'],
      attempt: 1,
    });
    const client = new AbortController();
    const response = await app.request(`/ui/api/runs/${id}/events`, { signal: client.signal });
    const reader = response.body?.getReader();
    assert.ok(reader);
    await reader.read();
    assert.equal(listeners.size, 1);
    client.abort();
    await reader.cancel();
    for (let i = 0; i < 100 && listeners.size > 0; i++)
      await new Promise((resolve) => setTimeout(resolve, 10));
    assert.equal(listeners.size, 0);
    emit({ type: 'run_finished', at: at(31), run: id, status: 'cancelled' });
  });

  test('buttons: writes need the UI header; run, retry and cancel answer for what is there', async () => {
    assert.equal((await app.request('/ui/api/jobs/daily/run', { method: 'POST' })).status, 403);
    const post = (path: string, body: unknown = {}) =>
      app.request(path, { method: 'POST', headers: WRITE, body: JSON.stringify(body) });
    assert.equal((await post('/ui/api/jobs/nope/run')).status, 404);
    assert.equal((await post('/ui/api/jobs/daily/run', { partition: '2026-01-01' })).status, 400);
    assert.equal((await post(`/ui/api/runs/${BUILD}/cancel`)).status, 409);
    assert.equal((await post('/ui/api/runs/r-nope/cancel')).status, 404);
    assert.equal((await post('/ui/api/runs/r-nope/retry')).status, 404);
    const running = 'r20261201T100040000Z-runn00';
    emit({
      type: 'run_queued',
      at: at(40),
      run: running,
      job: 'daily',
      trigger: { kind: 'manual', by: 'api' },
      steps: ['build'],
      attempt: 1,
    });
    assert.equal((await post(`/ui/api/runs/${running}/retry`)).status, 409);
    emit({ type: 'run_finished', at: at(41), run: running, status: 'cancelled' });
  });
});
