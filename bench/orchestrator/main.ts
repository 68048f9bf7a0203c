/**
 * `npm run bench:orchestrator` — what the orchestrator adds around a command (never part of `npm test`).
 *
 * On a temp project (`name: b`, one model `one` = `select 1 as id`, DuckDB warehouse in the temp dir,
 * owned by this process as `vaultline serve` owns it; project.ts), three measurements:
 *
 * 1. tick → first step (`latency`): the system clock, a Scheduler with a job whose cron fires every
 *    second (`* * * * * *`), step `parse`; from the tick instant (the `tick` of the run's trigger) to
 *    the moment the runner emits `step_started` (Date.now() in onEvent), split into the timer's lateness
 *    (tick → the scheduler's sleep returned), the decision (→ `run_queued`: decide, scheduler state
 *    written atomically, the run_queued event fsynced) and the queue (→ `step_started`: Fifo turn,
 *    run_started and step_started fsynced). 3 warm-up ticks, then --ticks (30).
 * 2. no-op job overhead (`overhead`): a one-step job whose step is a cheap real command (`parse`:
 *    loads the project, parses every model, writes target/manifest.json; and `build --select one`, a
 *    real DuckDB build, for the record), run --runs (100) times directly through executeCommand and
 *    through `runner.start(...).done`, interleaved; the run store is timed (append with fsync, get =
 *    the record folded from the events) to say where the difference goes.
 * 3. soak (`soak`): --soak (1000) scheduled runs of `build --select one` with a ManualClock, a cron
 *    every minute, the clock advanced one minute per run, each run awaited; resident memory, heap
 *    used and active resources (process.getActiveResourcesInfo()) after a global.gc() every 100 runs.
 *
 * The process re-runs itself with --expose-gc when it was started without it (the soak's memory
 * figures are taken after a full collection). Flags: --only latency|overhead|soak (repeatable),
 * --ticks N, --runs N, --soak N. Figures are printed; BENCHMARKS.md is written by hand.
 */
import { spawnSync } from 'node:child_process';
import { getEventListeners } from 'node:events';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ManualClock, systemOrchestratorClock } from '../../src/orchestrator/clock.ts';
import { executeCommand } from '../../src/orchestrator/execute-command.ts';
import { Scheduler } from '../../src/orchestrator/scheduler-loop.ts';
import type { OrchestratorClock, RunRecord } from '../../src/orchestrator/types.ts';
import { configureLogger } from '../../src/shared/logger.ts';
import { benchArgs, loadAverage, ms } from '../args.ts';
import { machine } from '../machine.ts';
import { harness, percentile } from './project.ts';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '../..');

if (typeof globalThis.gc !== 'function') {
  const again = spawnSync(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', fileURLToPath(import.meta.url), ...process.argv.slice(2)],
    { stdio: 'inherit', cwd: root },
  );
  process.exit(again.status ?? 1);
}
const gc = globalThis.gc as () => void;

const { option, wanted } = benchArgs();
const TICKS = Number(option('--ticks') ?? 30);
const RUNS = Number(option('--runs') ?? 100);
const SOAK = Number(option('--soak') ?? 1000);

// The scheduler logs every due run at info; the benchmark prints figures only.
configureLogger({ level: 'warn', json: false });

const load = loadAverage;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const stats = (values: number[]) =>
  `p50 ${ms(percentile(values, 50))}, p95 ${ms(percentile(values, 95))}, max ${ms(Math.max(...values))}`;

function header(): void {
  const m = machine(root);
  const duckdb = JSON.parse(
    readFileSync(join(root, 'node_modules/@duckdb/node-bindings/package.json'), 'utf8'),
  ).version;
  console.log(`Run ${new Date().toISOString()}: ${m.cpu}, nproc ${m.cores}, memory ${m.memory}, ${m.os}`);
  console.log(`Node ${m.node}, ${m.duckdb} (bindings ${duckdb}); load average (1/5/15 min) ${load()}`);
}

async function latency(): Promise<void> {
  const WARMUP = 3;
  let lastWake = 0;
  // The system clock, with the instant the scheduler's sleep returned noted (its timer's lateness).
  const clock: OrchestratorClock = {
    now: systemOrchestratorClock.now,
    sleep: async (wait, signal) => {
      await systemOrchestratorClock.sleep(wait, signal);
      lastWake = Date.now();
    },
  };
  const byRun = new Map<string, { tick: number; wake: number; queued: number; step?: number }>();
  const measured: Array<{ tick: number; wake: number; queued: number; step: number }> = [];
  let enough: () => void = () => undefined;
  const done = new Promise<void>((resolve) => {
    enough = resolve;
  });
  const h = await harness('  tick:\n    steps: ["parse"]\n    schedule: "* * * * * *"\n', clock, {
    onEvent: (event) => {
      const at = Date.now();
      if (event.type === 'run_queued' && 'tick' in event.trigger)
        byRun.set(event.run, { tick: Date.parse(event.trigger.tick), wake: lastWake, queued: at });
      if (event.type === 'step_started') {
        const entry = byRun.get(event.run);
        if (!entry) return;
        measured.push({ ...entry, step: at });
        if (measured.length >= WARMUP + TICKS) enough();
      }
    },
  });
  const loadBefore = load();
  const scheduler = new Scheduler({
    config: h.config,
    clock,
    state: h.stores.scheduler,
    runner: h.runner,
    signal: h.stopping.signal,
    startedAt: new Date().toISOString(),
  });
  const loop = scheduler.run();
  await done;
  const abortListeners = getEventListeners(h.stopping.signal, 'abort').length;
  h.stopping.abort();
  await loop;
  await h.close();
  const rows = measured.slice(WARMUP);
  const total = rows.map((r) => r.step - r.tick);
  console.log(`\n## 1. tick → step_started (system clock, cron "* * * * * *", step parse)`);
  console.log(`load average before: ${loadBefore}; after: ${load()}`);
  console.log(`${rows.length} ticks after ${WARMUP} warm-up ticks (Date.now(), 1 ms resolution)`);
  console.log(`- tick → step_started: ${stats(total)} (target ≤ 100 ms)`);
  console.log(`- tick → sleep returned (timer lateness): ${stats(rows.map((r) => r.wake - r.tick))}`);
  console.log(
    `- sleep returned → run_queued (decide, state write, event fsync): ${stats(rows.map((r) => r.queued - r.wake))}`,
  );
  console.log(
    `- run_queued → step_started (Fifo, run_started + step_started fsynced): ${stats(rows.map((r) => r.step - r.queued))}`,
  );
  console.log(`- all (ms): ${total.join(' ')}`);
  console.log(`- abort listeners on the stop signal after ${measured.length} ticks: ${abortListeners}`);
}

async function overhead(): Promise<void> {
  const WARMUP = 5;
  // Inside a run, the command's own time: from the end of step_started's append to the start of
  // step_finished's, less the log events appended (and fsynced) meanwhile — those are the runner's.
  let stepStartedEnd = 0;
  let logMs = 0;
  let commandMs = 0;
  const h = await harness(
    '  noop:\n    steps: ["parse"]\n  noop_build:\n    steps: ["build --select one"]\n',
    systemOrchestratorClock,
    {
      onAppend: (event, start, end) => {
        if (event.type === 'step_started') {
          stepStartedEnd = end;
          logMs = 0;
        } else if (event.type === 'log') logMs += end - start;
        else if (event.type === 'step_finished') commandMs = start - stepStartedEnd - logMs;
      },
    },
  );
  const loadBefore = load();
  console.log(`\n## 2. no-op job overhead (${RUNS} runs each, interleaved; system clock)`);
  for (const [job, argv] of [
    ['noop', ['parse']],
    ['noop_build', ['build', '--select', 'one']],
  ] as const) {
    const direct: number[] = [];
    const viaRunner: number[] = [];
    const appendMs: number[] = [];
    const getMs: number[] = [];
    const paired: number[] = [];
    let appends = 0;
    for (let i = 0; i < WARMUP + RUNS; i++) {
      let start = performance.now();
      const outcome = await executeCommand([...argv], {
        projectDir: h.config.projectDir,
        sink: { log: () => undefined },
      });
      const directMs = performance.now() - start;
      if (outcome.exitCode !== 0) throw new Error(`${argv.join(' ')} failed: ${outcome.error}`);
      const before = { ...h.times };
      start = performance.now();
      const record: RunRecord = await h.runner.start({ job, trigger: { kind: 'manual', by: 'api' } }).done;
      const runnerMs = performance.now() - start;
      if (record.status !== 'success') throw new Error(`job ${job}: ${record.status}`);
      if (i < WARMUP) continue;
      direct.push(directMs);
      viaRunner.push(runnerMs);
      paired.push(runnerMs - commandMs);
      appendMs.push(h.times.appendMs - before.appendMs);
      getMs.push(h.times.getMs - before.getMs);
      appends += h.times.appends - before.appends;
    }
    const p50 = percentile(viaRunner, 50) - percentile(direct, 50);
    const p95 = percentile(viaRunner, 95) - percentile(direct, 95);
    console.log(`### step \`${argv.join(' ')}\``);
    console.log(`- executeCommand directly: ${stats(direct)}`);
    console.log(`- runner.start(...).done: ${stats(viaRunner)}`);
    console.log(`- difference of the percentiles (runner − direct): p50 ${ms(p50)}, p95 ${ms(p95)}`);
    console.log(
      `- overhead per run (runner.start(...).done − the command's own time inside that run): ${stats(paired)} (target ≤ 50 ms)`,
    );
    console.log(
      `- of which run store: append (fsync) ${stats(appendMs)} per run, ${(appends / RUNS).toFixed(1)} events a run; get (record fold) ${stats(getMs)}`,
    );
  }
  console.log(`load average before: ${loadBefore}; after: ${load()}`);
  await h.close();
}

interface Sample {
  runs: number;
  /** Abort listeners on the signal that stops the scheduler and the runner (one per leaked sleep). */
  abortListeners?: number;
  rss: number;
  heapUsed: number;
  external: number;
  resources: string[];
}

function sample(runs: number, signal?: AbortSignal): Sample {
  gc();
  const memory = process.memoryUsage();
  return {
    runs,
    ...(signal ? { abortListeners: getEventListeners(signal, 'abort').length } : {}),
    rss: memory.rss,
    heapUsed: memory.heapUsed,
    external: memory.external,
    resources: process.getActiveResourcesInfo(),
  };
}

const countOf = (resources: string[]) => {
  const counts = new Map<string, number>();
  for (const r of resources) counts.set(r, (counts.get(r) ?? 0) + 1);
  return [...counts]
    .sort()
    .map(([name, n]) => `${name}×${n}`)
    .join(', ');
};

async function soak(): Promise<void> {
  const clock = new ManualClock(new Date('2026-03-01T00:00:00Z'));
  let finished = 0;
  let failed = 0;
  const beforeAll = sample(0);
  const h = await harness('  soak:\n    steps: ["build --select one"]\n    schedule: "* * * * *"\n', clock, {
    onFinished: (run) => {
      finished++;
      if (run.status !== 'success') failed++;
    },
  });
  const loadBefore = load();
  const started = performance.now();
  const scheduler = new Scheduler({
    config: h.config,
    clock,
    state: h.stores.scheduler,
    runner: h.runner,
    signal: h.stopping.signal,
    startedAt: clock.now().toISOString(),
  });
  const loop = scheduler.run();
  const settle = async (target: number) => {
    while (finished < target || clock.waiting === 0) await new Promise((r) => setImmediate(r));
  };
  await settle(0);
  const samples: Sample[] = [sample(0, h.stopping.signal)];
  while (finished < SOAK) {
    const target = finished + 1;
    await clock.advance(60_000);
    await settle(target);
    if (finished % 100 === 0) samples.push(sample(finished, h.stopping.signal));
  }
  const seconds = (performance.now() - started) / 1000;
  h.stopping.abort();
  await loop;
  await h.close();
  const afterAll = sample(finished);
  console.log(
    `\n## 3. soak: ${finished} scheduled runs of \`build --select one\` (ManualClock, +1 min a run)`,
  );
  console.log(
    `load average before: ${loadBefore}; after: ${load()}; ${seconds.toFixed(1)} s, ${failed} failed`,
  );
  console.log(
    '| runs | RSS | heap used | external | abort listeners on the stop signal | active resources |',
  );
  console.log('|---:|---:|---:|---:|---:|---|');
  for (const s of samples)
    console.log(
      `| ${s.runs} | ${mb(s.rss)} | ${mb(s.heapUsed)} | ${mb(s.external)} | ${s.abortListeners ?? '—'} | ${s.resources.length}: ${countOf(s.resources)} |`,
    );
  const at100 = samples.find((s) => s.runs === 100);
  const last = samples.at(-1);
  if (at100 && last)
    console.log(
      `- RSS after run ${last.runs} / after run 100: ${((last.rss / at100.rss - 1) * 100).toFixed(1)}% (target within 10%); heap used ${((last.heapUsed / at100.heapUsed - 1) * 100).toFixed(1)}%`,
    );
  console.log(
    `- active resources before the harness: ${beforeAll.resources.length} (${countOf(beforeAll.resources)}); after stopping it: ${afterAll.resources.length} (${countOf(afterAll.resources)})`,
  );
}

header();
if (wanted('latency')) await latency();
if (wanted('overhead')) await overhead();
if (wanted('soak')) await soak();
