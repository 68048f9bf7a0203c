/**
 * `npm run bench:vault` — the vault load benchmark (never part of `npm test`).
 *
 * `--engine duckdb` (default): for each size (1M and 10M staged rows; `--quick`: 100k and 1M) it
 * prepares two DuckDB files in a temp folder — staging only, and staging + a full load + one more 1%
 * batch staged — then, run after run, copies them and measures in a fresh child process each.
 * `--engine postgres`: the same on a throwaway PostgreSQL server started here (scripts/
 * postgres-server.js, stopped at the end and on SIGINT), databases in place of files and
 * `CREATE DATABASE … TEMPLATE` in place of a copy; the server's CPU time and peak memory are
 * measured beside the Node process's (the server is a separate process). Default size 1M.
 *
 * Measured: the satellite full load, the same load as one hand-written statement, the incremental 1%
 * load (vaultline, then hand-written), and the hub's full and incremental loads (vaultline, then
 * hand-written). Reports medians (and ranges) of wall time, CPU time and peak RSS, checks that
 * vaultline and the hand-written statements give the same rows, and writes the engine's results block
 * into BENCHMARKS.md between its markers (the analysis around them is kept).
 *
 * Flags: --engine duckdb|postgres, --quick, --runs N, --sizes 1000000,10000000, --no-write (print only).
 */
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { machine, median } from '../machine.ts';
import { type BenchServer, type ServerMemory, sampleServerMemory, startBenchServer } from '../postgres.ts';
import type { Engine, Op } from './child.ts';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '../..');
const args = process.argv.slice(2);
const flag = (name: string) => args.includes(name);
const option = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const engine = (option('--engine') ?? 'duckdb') as Engine;
if (engine !== 'duckdb' && engine !== 'postgres') throw new Error(`--engine duckdb|postgres, not ${engine}`);
const pg = engine === 'postgres';
const quick = flag('--quick');
const sizes = (
  option('--sizes') ?? (pg ? (quick ? '100000' : '1000000') : quick ? '100000,1000000' : '1000000,10000000')
)
  .split(',')
  .map(Number);
const runsFor = (size: number) => Number(option('--runs') ?? (pg ? 3 : size >= 5_000_000 ? 3 : 5));

interface Measure {
  op: Op;
  size: number;
  ms: number;
  cpuMs: number;
  maxRssMb: number;
  serverCpuMs?: number;
  server?: ServerMemory;
  rows: number;
  [key: string]: unknown;
}

let server: BenchServer | undefined;

/** Runs one operation in a fresh process; on PostgreSQL, samples the server's memory meanwhile. */
function child(op: Op, warehouse: string, size: number): Promise<Measure> {
  const target = pg ? server!.urlOf(warehouse) : warehouse;
  const sampler = pg ? sampleServerMemory(server!.postmasterPid, [server!.adminPid]) : undefined;
  return new Promise((resolve, reject) => {
    const proc = spawn(
      process.execPath,
      ['--import', 'tsx', join(here, 'child.ts'), op, engine, target, String(size)],
      {
        cwd: root,
        env: { ...process.env, ...(pg ? { VAULTLINE_BENCH_SERVER_PID: String(server!.postmasterPid) } : {}) },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    proc.stderr.on('data', (chunk) => {
      stderr = (stderr + chunk).slice(-20_000);
    });
    proc.on('error', reject);
    proc.on('close', (code) => {
      const memory = sampler?.stop();
      if (code !== 0) return reject(new Error(`${op} (${size}) failed:\n${stderr}`));
      const line = stdout.trim().split('\n').pop() ?? '';
      const m = JSON.parse(line) as Measure;
      resolve(memory ? { ...m, server: memory } : m);
    });
  });
}

/** A fresh copy of a prepared warehouse: a file (DuckDB) or a database made from a template. */
async function copy(from: string, to: string): Promise<string> {
  if (pg) {
    await server!.recreate(to, from);
    return to;
  }
  rmSync(to, { force: true });
  rmSync(`${to}.wal`, { force: true });
  copyFileSync(from, to);
  if (existsSync(`${from}.wal`)) copyFileSync(`${from}.wal`, `${to}.wal`);
  return to;
}

/** Each measured operation, the warehouse it starts from, and (run 1 only) the one its result becomes. */
const SCENARIOS: { op: Op; from: string; keepAs?: string; small?: boolean }[] = [
  { op: 'full', from: 'base', keepAs: 'vault' },
  { op: 'hand-full', from: 'base', keepAs: 'hand' },
  { op: 'incremental', from: 'vault' },
  { op: 'hand-incremental', from: 'hand' },
  // The hub is shown at the smaller sizes only, to keep the 10M run near ten minutes.
  { op: 'hub-full', from: 'base', keepAs: 'hub', small: true },
  { op: 'hand-hub-full', from: 'base', keepAs: 'handhub', small: true },
  { op: 'hub-incremental', from: 'hub', small: true },
  { op: 'hand-hub-incremental', from: 'handhub', small: true },
];
const SMALL = 5_000_000;
const NAMES = ['base', 'work', 'vault', 'hand', 'hub', 'handhub'];

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'vaultline-bench-'));
  const startedAt = new Date().toISOString();
  const loadBefore = loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
  const results: Record<number, Record<string, Measure[]>> = {};
  const checks: Record<number, Record<string, unknown>> = {};
  const log = (m: Measure, run: number) =>
    console.log(
      `  run ${run} ${m.op.padEnd(20)} ${Math.round(m.ms).toString().padStart(7)} ms  cpu ${Math.round(m.cpuMs).toString().padStart(7)} ms  rss ${Math.round(m.maxRssMb)} MB` +
        (m.serverCpuMs !== undefined
          ? `  server cpu ${Math.round(m.serverCpuMs)} ms  server mem ${Math.round(m.server?.peakMb ?? 0)} MB`
          : '') +
        `  rows ${m.rows}`,
    );
  let serverFacts: { version: string; settings: string } | undefined;
  try {
    if (pg) {
      server = await startBenchServer((line) => console.log(line));
      serverFacts = { version: server.version, settings: server.settings };
      console.log(`${server.version}; ${server.settings}`);
    }
    for (const size of sizes) {
      const name = (n: string) => (pg ? `vl_bench_${n}_${size}` : join(dir, `${n}-${size}.duckdb`));
      const work = name('work');
      if (pg) await server!.recreate(name('base'));
      const staged = await child('prepare-base', name('base'), size);
      checks[size] = { stagingMs: Math.round(staged.ms) };
      console.log(`size ${size}: staging generated in ${Math.round(staged.ms)} ms (${staged.rows} rows)`);
      results[size] = {};
      for (let run = 1; run <= runsFor(size); run++) {
        for (const s of SCENARIOS) {
          if (s.small && size >= SMALL) continue;
          const m = await child(s.op, await copy(name(s.from), work), size);
          const list = results[size]![s.op] ?? [];
          list.push(m);
          results[size]![s.op] = list;
          log(m, run);
          if (run === 1 && s.keepAs) {
            // The loaded result, settled as a server leaves it between loads (PostgreSQL: VACUUM
            // ANALYZE, as autovacuum would), plus one more 1% batch staged, is where the incremental
            // runs start.
            await copy(work, name(s.keepAs));
            if (pg) await child('settle', name(s.keepAs), size);
            await child('append', name(s.keepAs), size);
          }
        }
      }
      if (size < SMALL) {
        const verify = await child('verify', await copy(name('base'), work), size);
        checks[size] = { ...checks[size], ...verify };
        console.log(
          `  same rows as the hand-written statements: satellite full ${verify.fullDifference === 0}, incremental ${verify.incrementalDifference === 0}; ` +
            `hub full ${verify.hubFullDifference === 0}, incremental ${verify.hubIncrementalDifference === 0}`,
        );
      }
      for (const n of NAMES) {
        if (pg) await server!.drop(name(n));
        else {
          rmSync(name(n), { force: true });
          rmSync(`${name(n)}.wal`, { force: true });
        }
      }
    }
  } finally {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  const loadAfter = loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
  const report = render({ startedAt, loadBefore, loadAfter, results, prepared: checks, serverFacts });
  console.log(`\n${report}`);
  if (!flag('--no-write')) write(report);
}

const LABEL: Record<string, string> = {
  full: 'satellite full load (vaultline)',
  'hand-full': 'satellite full load (hand-written SQL)',
  incremental: 'satellite incremental 1% (vaultline)',
  'hand-incremental': 'satellite incremental 1% (hand-written SQL)',
  'hub-full': 'hub full load (vaultline)',
  'hand-hub-full': 'hub full load (hand-written SQL)',
  'hub-incremental': 'hub incremental 1% (vaultline)',
  'hand-hub-incremental': 'hub incremental 1% (hand-written SQL)',
};

/** Targets: DuckDB's from the first vault issue; PostgreSQL's from the PostgreSQL engine's issue. */
const TARGETS = pg ? { incremental: 0.1, vsHand: 2 } : { incremental: 0.05, vsHand: 1.5 };

const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const range = (values: number[]) =>
  `${(Math.min(...values) / 1000).toFixed(2)}–${(Math.max(...values) / 1000).toFixed(2)}`;

function render(input: {
  startedAt: string;
  loadBefore: string;
  loadAfter: string;
  results: Record<number, Record<string, Measure[]>>;
  prepared: Record<number, Record<string, unknown>>;
  serverFacts: { version: string; settings: string } | undefined;
}): string {
  const m = machine(root);
  const lines = [
    `Run ${input.startedAt}${quick ? ' (--quick)' : ''}: ${m.cpu}, ${m.cores} cores, ${m.memory}, ${m.os}, Node ${m.node}, ` +
      (pg
        ? `${input.serverFacts?.version} (throwaway server, scripts/postgres-server.js: ${input.serverFacts?.settings}), pg ${m.pg}.`
        : `${m.duckdb}.`),
    `Load average (1/5/15 min) before: ${input.loadBefore}; after: ${input.loadAfter}.${pg ? '' : ' DuckDB threads = 2.'}`,
    '',
    pg
      ? '| rows staged | operation | runs | median wall (range) | median CPU, Node | median CPU, server | median peak RSS, Node | median peak memory, server | rows inserted |'
      : '| rows staged | operation | runs | median wall (range) | median CPU | median peak RSS | rows inserted |',
    pg ? '|---:|---|---:|---:|---:|---:|---:|---:|---:|' : '|---:|---|---:|---:|---:|---:|---:|',
  ];
  const verdicts: string[] = [];
  for (const [sizeText, byOp] of Object.entries(input.results)) {
    const size = Number(sizeText);
    for (const [op, list] of Object.entries(byOp)) {
      const med = (f: (x: Measure) => number) => median(list.map(f));
      const cells = [
        size.toLocaleString('en-US'),
        LABEL[op] ?? op,
        String(list.length),
        `${s(med((x) => x.ms))} (${range(list.map((x) => x.ms))})`,
        s(med((x) => x.cpuMs)),
        ...(pg ? [s(med((x) => x.serverCpuMs ?? Number.NaN))] : []),
        `${Math.round(med((x) => x.maxRssMb))} MB`,
        ...(pg ? [`${Math.round(med((x) => x.server?.peakMb ?? Number.NaN))} MB`] : []),
        med((x) => x.rows).toLocaleString('en-US'),
      ];
      lines.push(`| ${cells.join(' | ')} |`);
    }
    const med = (op: string) => median((byOp[op] ?? []).map((x) => x.ms));
    const medCpu = (op: string) =>
      median((byOp[op] ?? []).map((x) => x.cpuMs + (pg ? (x.serverCpuMs ?? 0) : 0)));
    const incremental = med('incremental') / med('full');
    const vsHand = med('full') / med('hand-full');
    const p = input.prepared[size] ?? {};
    const yes = (n: unknown) => (n === 0 ? 'yes' : `no (${String(n)} rows differ)`);
    const same =
      p.fullDifference === undefined
        ? 'not compared at this size (see the smaller size)'
        : `satellite full ${yes(p.fullDifference)}, incremental ${yes(p.incrementalDifference)}; ` +
          `hub full ${yes(p.hubFullDifference)}, incremental ${yes(p.hubIncrementalDifference)}`;
    const cpuWord = pg ? 'CPU of Node + server' : 'CPU';
    const hub =
      byOp['hub-full'] && byOp['hand-hub-full']
        ? ` Hub: full load = ${(med('hub-full') / med('hand-hub-full')).toFixed(2)}× the hand-written statement, ` +
          `incremental 1% = ${((med('hub-incremental') / med('hub-full')) * 100).toFixed(1)}% of its full load.`
        : '';
    verdicts.push(
      `- ${size.toLocaleString('en-US')} rows: satellite incremental 1% = ${(incremental * 100).toFixed(1)}% of the full load ` +
        `(${cpuWord} ${((medCpu('incremental') / medCpu('full')) * 100).toFixed(1)}%; target ≤ ${TARGETS.incremental * 100}%: ${incremental <= TARGETS.incremental ? 'met' : 'missed'}); ` +
        `full load = ${vsHand.toFixed(2)}× the hand-written statement (${cpuWord} ${(medCpu('full') / medCpu('hand-full')).toFixed(2)}×; ` +
        `target ≤ ${TARGETS.vsHand}×: ${vsHand <= TARGETS.vsHand ? 'met' : 'missed'}); the hand-written incremental takes ` +
        `${((med('hand-incremental') / med('hand-full')) * 100).toFixed(1)}% of its full load.${hub} ` +
        `Same rows as the hand-written statements: ${same}.`,
    );
  }
  return [...lines, '', ...verdicts].join('\n');
}

function write(report: string): void {
  const path = join(root, 'BENCHMARKS.md');
  const marker = pg ? 'vault-load postgres results' : 'vault-load results';
  const start = `<!-- ${marker}:start -->`;
  const end = `<!-- ${marker}:end -->`;
  const block = `${start}\n${report}\n${end}`;
  const current = existsSync(path) ? readFileSync(path, 'utf8') : '';
  const next = current.includes(start)
    ? current.replace(new RegExp(`${start}[\\s\\S]*?${end}`), () => block)
    : `${current.replace(/\n*$/, '\n')}\n## ${pg ? 'PostgreSQL: vault load' : 'Vault load'} (bench/vault-load)\n\n${block}\n`;
  writeFileSync(path, next);
  console.log(`\nwrote ${path}`);
}

await main();
