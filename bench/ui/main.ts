/**
 * `npm run bench:ui` — the web UI's response times (never part of `npm test`). `vaultline serve` runs in
 * this process (test/helpers/served-project.ts, scheduler off) on synthetic projects (projects.ts):
 *
 * 1. `lineage`: --models (2000) models; in Chromium (test/helpers/browser.ts) a fresh page per
 *    repetition opens `#/lineage/model_1000` and `#/lineage` (unselected: the first 300 drawn) —
 *    navigation → first `g.lineage-node` attached, and the page's own `data-render-ms` — and a click
 *    on a node → the node page's `#node-facts`. --reps (10) repetitions.
 * 2. `dashboard`: `tables.big` of --rows (10,000,000) rows built by the job `big`, `marts.big_mart` a
 *    view over it, dashboards/big.yml with 8 charts. GET /ui/api/dashboards/big: the first call, --calls
 *    (30) calls each with another date range (answer cache misses), 30 identical calls (hits); and each
 *    chart's query alone on a read connection, to say where a miss's time goes.
 * 3. `api`: a run history of --runs (100,000) runs written in the run store's format (history.ts);
 *    GET /ui/api/runs (first page, ?job=&status=failed, a `before=` page halfway back), /runs/:id and
 *    /runs/:id/log?tail=1 on --api-calls (50) different runs each.
 * 4. 2 and 3 again while the job `slow` (a DuckDB join that never finishes soon) runs; then it is
 *    cancelled.
 * Flags: --only lineage|dashboard|api (repeatable), --models, --reps, --rows, --calls, --runs,
 * --api-calls, --deep-calls (5: the before= pages), --deep-back (half the history), --no-busy (skip 4), --busy-only (4 only). Figures are printed; BENCHMARKS.md is written by hand.
 */
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { configureLogger } from '../../src/shared/logger.ts';
import { launchBrowser, watchedPage } from '../../test/helpers/browser.ts';
import { type ServedProject, serveExample } from '../../test/helpers/served-project.ts';
import { benchArgs, loadAverage, ms } from '../args.ts';
import { machine } from '../machine.ts';
import { percentile } from '../orchestrator/project.ts';
import { writeHistory } from './history.ts';
import { BIG_CHARTS, lineageProject, martProject } from './projects.ts';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '../..');

const { args, option, wanted } = benchArgs();
const MODELS = Number(option('--models') ?? 2000);
const REPS = Number(option('--reps') ?? 10);
const ROWS = Number(option('--rows') ?? 10_000_000);
const CALLS = Number(option('--calls') ?? 30);
const RUNS = Number(option('--runs') ?? 100_000);
const API_CALLS = Number(option('--api-calls') ?? 50);
const BUSY = !args.includes('--no-busy');
const BUSY_ONLY = args.includes('--busy-only');
const DEEP_CALLS = Number(option('--deep-calls') ?? 5);
const DEEP_BACK = option('--deep-back') === undefined ? undefined : Number(option('--deep-back'));

configureLogger({ level: 'warn', json: false });

const load = loadAverage;
const stats = (values: number[]) =>
  `p50 ${ms(percentile(values, 50))}, p95 ${ms(percentile(values, 95))}, max ${ms(Math.max(...values))} (n=${values.length})`;

function header(): void {
  const m = machine(root);
  const duckdb = JSON.parse(
    readFileSync(join(root, 'node_modules/@duckdb/node-bindings/package.json'), 'utf8'),
  ).version;
  console.log(`Run ${new Date().toISOString()}: ${m.cpu}, nproc ${m.cores}, memory ${m.memory}, ${m.os}`);
  console.log(`Node ${m.node}, ${m.duckdb} (bindings ${duckdb}); load average (1/5/15 min) ${load()}`);
}

async function timedGet(url: string): Promise<{ ms: number; body: unknown }> {
  const start = performance.now();
  const response = await fetch(url);
  const body = await response.json();
  const elapsed = performance.now() - start;
  if (!response.ok) throw new Error(`GET ${url}: ${response.status} ${JSON.stringify(body).slice(0, 300)}`);
  return { ms: elapsed, body };
}

async function lineage(): Promise<void> {
  const source = lineageProject(MODELS);
  const served = await serveExample({ from: source });
  const browser = await launchBrowser();
  const loadBefore = load();
  const rows: Record<string, number[]> = { near: [], nearRender: [], all: [], allRender: [], click: [] };
  try {
    for (let rep = 0; rep < REPS + 1; rep++) {
      const { page, problems } = await watchedPage(browser);
      const visit = async (hash: string, into: string) => {
        const start = performance.now();
        await page.goto(`${served.url}/${hash}`);
        await page.locator('svg.lineage-svg g.lineage-node').first().waitFor({ state: 'attached' });
        const elapsed = performance.now() - start;
        const render = Number(
          await page.locator('svg.lineage-svg[data-render-ms]').getAttribute('data-render-ms'),
        );
        if (rep > 0) {
          rows[into]?.push(elapsed);
          rows[`${into}Render`]?.push(render);
        }
      };
      await visit('#/lineage/model_1000', 'near');
      const start = performance.now();
      await page.locator('g.lineage-node[data-name="model_999"]').click();
      await page.locator('#node-facts').waitFor();
      if (rep > 0) rows.click?.push(performance.now() - start);
      await page.goto('about:blank');
      await visit('#/lineage', 'all');
      assert.deepEqual(problems, []);
      await page.close();
    }
  } finally {
    await browser.close();
    await served.stop();
    rmSync(source, { recursive: true, force: true });
  }
  console.log(`\n## 1. lineage, ${MODELS} models (Chromium headless, fresh page each time, 1 warm-up)`);
  console.log(`load average before: ${loadBefore}; after: ${load()}`);
  console.log(`- #/lineage/model_1000, navigation → first g.lineage-node: ${stats(rows.near ?? [])}`);
  console.log(`  - of which the page's layout + draw (data-render-ms): ${stats(rows.nearRender ?? [])}`);
  console.log(`- click on model_999 → node page (#node-facts): ${stats(rows.click ?? [])}`);
  console.log(
    `- #/lineage (first 300 of ${MODELS}), navigation → first g.lineage-node: ${stats(rows.all ?? [])}`,
  );
  console.log(`  - of which data-render-ms: ${stats(rows.allRender ?? [])}`);
}

/** A served mart project with `big` built and (when asked) a run history in its run store. */
async function martServer(runs: number): Promise<{ served: ServedProject; ids: string[]; source: string }> {
  const source = martProject(ROWS);
  let ids: string[] = [];
  const started = performance.now();
  const served = await serveExample({
    from: source,
    prepare: (dir) => {
      if (runs > 0) {
        const history = writeHistory(dir, runs, new Date());
        ids = history.ids;
        console.log(
          `(run history: ${runs} runs, ${(history.bytes / 1024 / 1024).toFixed(0)} MB, written in ${((performance.now() - started) / 1000).toFixed(1)} s)`,
        );
      }
    },
  });
  const building = performance.now();
  const run = await served.server.runner.start({ job: 'big', trigger: { kind: 'manual', by: 'api' } }).done;
  if (run.status !== 'success') throw new Error(`job big: ${run.status} ${JSON.stringify(run.error)}`);
  console.log(`(built tables.big, ${ROWS} rows, in ${((performance.now() - building) / 1000).toFixed(1)} s)`);
  return { served, ids, source };
}

async function dashboard(served: ServedProject, label: string, round: number): Promise<void> {
  const url = `${served.url}/ui/api/dashboards/big`;
  const loadBefore = load();
  const first = await timedGet(url);
  const answer = first.body as { cache: string; charts: Array<{ name: string; error?: string }> };
  const errors = answer.charts.filter((c) => c.error);
  if (errors.length > 0) throw new Error(`chart errors: ${JSON.stringify(errors)}`);
  const misses: number[] = [];
  for (let i = 0; i < CALLS; i++) {
    const from = new Date(Date.UTC(2020, 0, 1 + ((i * 37 + round * 11) % 1200)));
    const to = new Date(from.getTime() + (60 + i * 7 + round) * 86_400_000);
    const range = `${from.toISOString().slice(0, 10)}..${to.toISOString().slice(0, 10)}`;
    const { ms: elapsed, body } = await timedGet(`${url}?day=${encodeURIComponent(range)}`);
    assert.equal((body as { cache: string }).cache, 'miss');
    misses.push(elapsed);
  }
  const hits: number[] = [];
  const fixed = `${url}?day=${encodeURIComponent(`${2021 + round}-01-01..${2021 + round}-06-30`)}`;
  await timedGet(fixed);
  for (let i = 0; i < CALLS; i++) {
    const { ms: elapsed, body } = await timedGet(fixed);
    assert.equal((body as { cache: string }).cache, 'hit');
    hits.push(elapsed);
  }
  // Each chart alone: dashboards/chart_<name>.yml holds that one chart (projects.ts).
  const perChart = new Map<string, number[]>();
  for (const name of BIG_CHARTS) {
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const range = `${2022 + round}-0${1 + i}-01..${2022 + round}-0${1 + i}-28`;
      times.push(
        (await timedGet(`${served.url}/ui/api/dashboards/chart_${name}?day=${range}&k=${i + round * 5}`)).ms,
      );
    }
    perChart.set(name, times);
  }
  console.log(`\n## 2${label}. dashboard big (8 charts over ${ROWS} rows), GET /ui/api/dashboards/big`);
  console.log(`load average before: ${loadBefore}; after: ${load()}`);
  console.log(`- first call (answer cache cold): ${ms(first.ms)} (cache ${answer.cache})`);
  console.log(
    `- ${CALLS} calls, each another date range (cache misses): ${stats(misses)} (target p95 ≤ 300 ms)`,
  );
  console.log(`- ${CALLS} identical calls (cache hits): ${stats(hits)}`);
  console.log(
    '- each chart alone (dashboards/chart_<name>.yml, 5 calls, each another 4-week range or k value: cache misses):',
  );
  for (const [name, times] of perChart) console.log(`  - ${name}: ${stats(times)}`);
}

async function api(served: ServedProject, ids: string[], label: string): Promise<void> {
  const base = `${served.url}/ui/api`;
  const loadBefore = load();
  const series = async (name: string, make: (i: number) => string, calls = API_CALLS) => {
    await timedGet(make(-1));
    const times: number[] = [];
    for (let i = 0; i < calls; i++) times.push((await timedGet(make(i))).ms);
    console.log(`- ${name}: ${stats(times)} (target p95 ≤ 50 ms)`);
  };
  const back = Math.min(DEEP_BACK ?? Math.floor(ids.length / 2), ids.length - 1);
  const deep = ids[ids.length - 1 - back] ?? '';
  const pick = (i: number) => ids[ids.length - 1 - (((i + 1) * 997) % ids.length)] ?? '';
  console.log(`\n## 3${label}. run API over ${ids.length} runs (${API_CALLS} calls each, after one warm-up)`);
  console.log(`load average before: ${loadBefore}`);
  await series('GET /ui/api/runs (first page, 50)', () => `${base}/runs`);
  await series('GET /ui/api/runs?job=nightly&status=failed', () => `${base}/runs?job=nightly&status=failed`);
  await series('GET /ui/api/runs/:id (a different run each call)', (i) => `${base}/runs/${pick(i)}`);
  await series(
    'GET /ui/api/runs/:id/log?tail=1 (a different run each call)',
    (i) => `${base}/runs/${pick(i + 100)}/log?tail=1`,
  );
  // Slow (pageOfRuns lists ever more of the index until it reaches `before`): fewer calls.
  await series(
    `GET /ui/api/runs?before=<run ${back} back> (${DEEP_CALLS} calls)`,
    () => `${base}/runs?before=${deep}`,
    DEEP_CALLS,
  );
  await series(
    `GET /ui/api/runs?before=<run 1000 back> (${DEEP_CALLS} calls)`,
    () => `${base}/runs?before=${ids[ids.length - 1000] ?? ''}`,
    DEEP_CALLS,
  );
  console.log(`load average after: ${load()}`);
}

/** Starts the slow job and resolves once its build step runs; `stop` cancels it and waits for it. */
async function slowBuild(served: ServedProject): Promise<{ stop(): Promise<string> }> {
  const { run, done } = served.server.runner.start({ job: 'slow', trigger: { kind: 'manual', by: 'api' } });
  for (;;) {
    const { body } = await timedGet(`${served.url}/ui/api/runs/${run}`);
    const record = (body as { run: { status: string; steps: Array<{ status: string }> } }).run;
    if (record.steps[0]?.status === 'running') break;
    if (record.status !== 'queued' && record.status !== 'running')
      throw new Error(`the slow job ended: ${record.status}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  // Let DuckDB get going on the join.
  await new Promise((r) => setTimeout(r, 1000));
  return {
    async stop() {
      const asked = performance.now();
      served.server.runner.cancel(run);
      const record = await done;
      return `${record.status} ${((performance.now() - asked) / 1000).toFixed(1)} s after cancel`;
    },
  };
}

header();
if (wanted('lineage')) await lineage();
if (wanted('dashboard') || wanted('api')) {
  const { served, ids, source } = await martServer(wanted('api') ? RUNS : 0);
  try {
    if (wanted('dashboard') && !BUSY_ONLY) await dashboard(served, '', 0);
    if (wanted('api') && !BUSY_ONLY) await api(served, ids, '');
    if (BUSY) {
      const slow = await slowBuild(served);
      console.log(`\n# While the job slow runs (${load()})`);
      if (wanted('dashboard')) await dashboard(served, ' (build running)', 1);
      if (wanted('api')) await api(served, ids, ' (build running)');
      console.log(`\n(the slow job: ${await slow.stop()})`);
    }
  } finally {
    await served.stop();
    rmSync(source, { recursive: true, force: true });
  }
}
process.exit(0);
