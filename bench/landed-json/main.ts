/**
 * `npm run bench:json` — reading landed JSON into typed source rows (never part of `npm test`).
 *
 * In a temp folder it writes a project (a typed USGS source and one staging model, project.ts), then:
 *
 * 1. for bodies of 1, 10 and 100 MB (USGS-shaped FeatureCollections, generate.ts, written streaming
 *    and landed once with the LocalStore — not timed), run after run, each in a fresh child process on
 *    a fresh warehouse: the first build of the staging model (`vaultline build -s …`, in process), the
 *    ingest alone (LandedSources: landing store → raw records table), and the floor — DuckDB's own
 *    read_json on the same features as NDJSON, into a table with the same 13 typed columns; then checks
 *    that the model and the floor hold the same typed rows;
 * 2. for a history of 100 and of 100,000 small objects (5 features each), landed and built in a
 *    preparation step (timed, reported, not part of the figures), 10 new objects landed, then run after
 *    run on a copy of the prepared warehouse: the incremental build that reads the 10 new objects, and
 *    the ingest alone. If the preparation of the large history is projected to take longer than the
 *    budget (--budget-min, 10), it stops at 20,000 objects and the report says so.
 *
 * Medians of wall time, CPU time (user + system, all threads), peak RSS (the child's maxRSS) and MB/s
 * (uncompressed body bytes / wall) are printed as a table and written into BENCHMARKS.md between the
 * results markers (the analysis around them is kept).
 *
 * Flags: --quick (1 and 10 MB, histories 100 and 2,000, 3 runs), --runs N, --sizes 1,10,100 (MB),
 * --history 100,100000, --budget-min 10, --no-write (print only), --keep (keep the temp folder).
 */
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { machine, median } from '../machine.ts';
import {
  type BenchServer,
  postgresWarehouseYaml,
  type ServerMemory,
  sampleServerMemory,
  startBenchServer,
} from '../postgres.ts';
import type { Op } from './child.ts';
import { writeFeatureCollection, writeNdjson } from './generate.ts';
import { warehouseFiles, writeProject } from './project.ts';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '../..');
const args = process.argv.slice(2);
const flag = (name: string) => args.includes(name);
const option = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const quick = flag('--quick');
const engine = option('--engine') ?? 'duckdb';
if (engine !== 'duckdb' && engine !== 'postgres') throw new Error(`--engine duckdb|postgres, not ${engine}`);
const pg = engine === 'postgres';
const MB = 1_000_000;
const sizes = (option('--sizes') ?? (pg ? (quick ? '1,10' : '10,100') : quick ? '1,10' : '1,10,100'))
  .split(',')
  .map(Number);
// PostgreSQL: the body cases only (the bulk load); the incremental histories copy DuckDB files.
const histories = (option('--history') ?? (pg ? '' : quick ? '100,2000' : '100,100000'))
  .split(',')
  .filter(Boolean)
  .map(Number);
if (pg && histories.length > 0) throw new Error('--history is measured on DuckDB only');
const budgetMs = Number(option('--budget-min') ?? 10) * 60_000;
const FALLBACK_HISTORY = 20_000;
const NEW_OBJECTS = 10;
/** The large history is prepared in steps (land a chunk, build it), so the budget can be checked. */
const CHUNK = 10_000;
/** How long after the last landing the settling build of a history runs. */
const SETTLE_MS = 5_000;
const runsFor = (sizeMb: number) => Number(option('--runs') ?? (quick || pg ? 3 : sizeMb >= 100 ? 3 : 5));
const incrementalRuns = Number(option('--runs') ?? (quick ? 3 : 5));

export interface Measure {
  op: Op;
  ms: number;
  cpuMs: number;
  maxRssMb: number;
  /** PostgreSQL: the server's CPU time over the operation, and its memory while the child ran. */
  serverCpuMs?: number;
  server?: ServerMemory;
  rows: number;
  [key: string]: unknown;
}

let server: BenchServer | undefined;

/** Runs one operation in a fresh process; on PostgreSQL, samples the server's memory meanwhile. */
function child(op: Op, ...rest: string[]): Promise<Measure> {
  const sampler = server ? sampleServerMemory(server.postmasterPid, [server.adminPid]) : undefined;
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', join(here, 'child.ts'), op, ...rest], {
      cwd: root,
      env: {
        ...process.env,
        ...(server ? { VAULTLINE_BENCH_SERVER_PID: String(server.postmasterPid) } : {}),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
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
      if (code !== 0) return reject(new Error(`${op} ${rest.join(' ')} failed:\n${stderr}`));
      const line = stdout.trim().split('\n').pop() ?? '';
      const m = JSON.parse(line) as Measure;
      resolve(memory ? { ...m, server: memory } : m);
    });
  });
}

/** PostgreSQL: the database of a project (one per body size), recreated for each measured build. */
const databaseOf = (project: string) => `vl_bench_json_${project.split('/').pop()!.replace(/\W/g, '_')}`;

/** A fresh, empty warehouse for `project`: its DuckDB file removed, or its database recreated. */
async function freshWarehouse(project: string): Promise<void> {
  if (server) await server.recreate(databaseOf(project));
  else removeWarehouse(project);
}

const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

function removeWarehouse(project: string): void {
  for (const file of warehouseFiles(project)) rmSync(file, { force: true });
}

function copyWarehouse(fromProject: string, to: string): void {
  const [file, wal] = warehouseFiles(fromProject) as [string, string];
  rmSync(to, { force: true });
  rmSync(`${to}.wal`, { force: true });
  copyFileSync(file, to);
  if (existsSync(wal)) copyFileSync(wal, `${to}.wal`);
}

function restoreWarehouse(snapshot: string, project: string): void {
  const [file, wal] = warehouseFiles(project) as [string, string];
  removeWarehouse(project);
  copyFileSync(snapshot, file);
  if (existsSync(`${snapshot}.wal`)) copyFileSync(`${snapshot}.wal`, wal);
}

interface Case {
  /** Row label. */
  label: string;
  /** Body or history, for the first column. */
  what: string;
  bytes: number;
  list: Measure[];
  /** MB/s is shown for the body cases only (10 small objects are about latency, not throughput). */
  noRate?: boolean;
}

interface Prepared {
  requested: number;
  objects: number;
  landMs: number;
  buildMs: number;
  totalMs: number;
  steps: number;
  /** Set when the preparation stopped at the fallback size. */
  projectedMs?: number;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'vaultline-bench-json-'));
  const startedAt = new Date().toISOString();
  const loadBefore = load();
  const bodies: Record<
    number,
    { build: Case; ingest: Case; floor: Case; difference: number; features: number }
  > = {};
  const incrementals: { prepared: Prepared; build: Case; ingest: Case; newBytes: number }[] = [];
  let duckdbVersion = '?';
  let serverFacts: { version: string; settings: string } | undefined;
  try {
    if (pg) {
      server = await startBenchServer((line) => console.log(line));
      serverFacts = { version: server.version, settings: server.settings };
      console.log(`${server.version}; ${server.settings}`);
    }
    for (const sizeMb of sizes) {
      const project = join(dir, `body-${sizeMb}mb`);
      writeProject(project, 'table', server ? postgresWarehouseYaml(server.urlOf(databaseOf(project))) : '');
      const body = join(dir, `body-${sizeMb}mb.json`);
      const ndjson = join(dir, `body-${sizeMb}mb.ndjson`);
      const fc = writeFeatureCollection(body, sizeMb * MB);
      const nd = writeNdjson(ndjson, fc.features);
      const landed = await child('land-body', project, body);
      rmSync(body, { force: true });
      console.log(
        `${sizeMb} MB: ${fc.features.toLocaleString('en-US')} features, body ${fc.bytes.toLocaleString('en-US')} bytes ` +
          `(gzip ${Number(landed.compressedBytes).toLocaleString('en-US')}), NDJSON ${nd.bytes.toLocaleString('en-US')} bytes; landed in ${Math.round(landed.ms)} ms`,
      );
      const what = `${sizeMb} MB`;
      const build: Case = {
        label: 'first build of the staging model (table)',
        what,
        bytes: fc.bytes,
        list: [],
      };
      const ingest: Case = {
        label: '… of which ingest (LandedSources.ingest)',
        what,
        bytes: fc.bytes,
        list: [],
      };
      const floor: Case = {
        label: pg
          ? 'floor: PostgreSQL COPY of NDJSON into jsonb + CREATE TABLE AS'
          : 'floor: DuckDB read_json, NDJSON',
        what,
        bytes: nd.bytes,
        list: [],
      };
      const floorDb = join(dir, 'floor.duckdb');
      const floorTarget = async (): Promise<string> => {
        if (server) {
          await server.recreate('vl_bench_json_floor');
          return server.urlOf('vl_bench_json_floor');
        }
        rmSync(floorDb, { force: true });
        rmSync(`${floorDb}.wal`, { force: true });
        return floorDb;
      };
      for (let run = 1; run <= runsFor(sizeMb); run++) {
        for (const [c, measure] of [
          [
            build,
            async () => {
              await freshWarehouse(project);
              return child('build', project);
            },
          ],
          [
            ingest,
            async () => {
              await freshWarehouse(project);
              return child('ingest', project);
            },
          ],
          [floor, async () => child('floor', ndjson, await floorTarget())],
        ] as [Case, () => Promise<Measure>][]) {
          const m = await measure();
          if (m.rows !== fc.features)
            throw new Error(`${c.label} (${what}): ${m.rows} rows, ${fc.features} expected`);
          if (typeof m.duckdbVersion === 'string') duckdbVersion = m.duckdbVersion;
          c.list.push(m);
          log(run, c, m);
        }
      }
      // A build's model and the floor's table: the same typed rows? (PostgreSQL: the floor's table
      // is made in the project's database, beside the model.)
      await freshWarehouse(project);
      await child('build', project);
      if (server) await child('floor', ndjson, server.urlOf(databaseOf(project)));
      const verify = await child('verify', project, floorDb);
      const difference = Number(verify.difference);
      console.log(
        `  same typed rows as the floor: ${difference === 0 ? 'yes' : `no (${difference} rows differ)`}`,
      );
      bodies[sizeMb] = { build, ingest, floor, difference, features: fc.features };
      if (server) {
        await server.drop(databaseOf(project));
        await server.drop('vl_bench_json_floor');
      }
      rmSync(project, { recursive: true, force: true });
      rmSync(ndjson, { force: true });
      rmSync(floorDb, { force: true });
      rmSync(`${floorDb}.wal`, { force: true });
    }

    for (const history of histories) {
      const project = join(dir, `history-${history}`);
      writeProject(project, 'incremental');
      const prepared = await prepareHistory(project, history);
      const what = `history ${prepared.objects.toLocaleString('en-US')}`;
      const added = await child('land-small', project, String(prepared.objects), String(NEW_OBJECTS));
      const snapshot = join(dir, `history-${history}.duckdb`);
      copyWarehouse(project, snapshot);
      const newBytes = Number(added.bytes);
      const build: Case = {
        label: `incremental build, ${NEW_OBJECTS} new objects`,
        what,
        bytes: newBytes,
        list: [],
        noRate: true,
      };
      const ingest: Case = {
        label: '… of which ingest (LandedSources.ingest)',
        what,
        bytes: newBytes,
        list: [],
        noRate: true,
      };
      for (let run = 1; run <= incrementalRuns; run++) {
        for (const c of [build, ingest]) {
          restoreWarehouse(snapshot, project);
          const m = await child(c === build ? 'build' : 'ingest', project);
          const read = c === build ? Number(m.rowsAffected) : m.rows;
          if (read !== NEW_OBJECTS * 5)
            throw new Error(`${c.label} (${what}): read ${read} rows, ${NEW_OBJECTS * 5} expected`);
          c.list.push(m);
          log(run, c, m);
        }
      }
      incrementals.push({ prepared, build, ingest, newBytes });
      rmSync(project, { recursive: true, force: true });
      rmSync(snapshot, { force: true });
      rmSync(`${snapshot}.wal`, { force: true });
    }
  } finally {
    await server?.stop();
    if (flag('--keep')) console.log(`kept ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
  const report = render({
    startedAt,
    loadBefore,
    loadAfter: load(),
    bodies,
    incrementals,
    duckdbVersion,
    serverFacts,
  });
  console.log(`\n${report}`);
  if (!flag('--no-write')) write(report);
}

function log(run: number, c: Case, m: Measure): void {
  console.log(
    `  run ${run} ${`${c.what}: ${c.label}`.padEnd(64)} ${Math.round(m.ms).toString().padStart(7)} ms  cpu ${Math.round(m.cpuMs).toString().padStart(7)} ms  rss ${Math.round(m.maxRssMb)} MB` +
      (m.serverCpuMs !== undefined
        ? `  server cpu ${Math.round(m.serverCpuMs)} ms  server mem ${Math.round(m.server?.peakMb ?? 0)} MB`
        : ''),
  );
}

/**
 * Lands `history` small objects and builds the incremental model over them, in steps of CHUNK (the
 * state is the same as one big step: every object read into the raw table, the model has read them
 * all). Stops at FALLBACK_HISTORY when the whole preparation is projected to exceed the budget.
 */
async function prepareHistory(project: string, history: number): Promise<Prepared> {
  const started = performance.now();
  const prepared: Prepared = { requested: history, objects: 0, landMs: 0, buildMs: 0, totalMs: 0, steps: 0 };
  while (prepared.objects < history) {
    const count = Math.min(CHUNK, history - prepared.objects);
    const landed = await child('land-small', project, String(prepared.objects), String(count));
    const built = await child('build', project);
    if (Number(built.rowsAffected) !== count * 5)
      throw new Error(`preparing history ${history}: the build read ${String(built.rowsAffected)} rows`);
    prepared.objects += count;
    prepared.landMs += landed.ms;
    prepared.buildMs += built.ms;
    prepared.steps++;
    const elapsed = performance.now() - started;
    console.log(
      `history ${history}: ${prepared.objects.toLocaleString('en-US')} objects landed (${Math.round(landed.ms)} ms) and built (${Math.round(built.ms)} ms); ${Math.round(elapsed / 1000)} s so far`,
    );
    const projected = (elapsed / prepared.objects) * history;
    if (prepared.objects >= FALLBACK_HISTORY && prepared.objects < history && projected > budgetMs) {
      prepared.projectedMs = projected;
      console.log(
        `history ${history}: projected preparation ${Math.round(projected / 60_000)} min > budget ${budgetMs / 60_000} min: using ${prepared.objects.toLocaleString('en-US')} objects`,
      );
      break;
    }
  }
  // A history is read long before the next objects come: a last build with nothing new, a few seconds
  // after the last landing, so that the store's change tokens cover every partition (LocalStore does
  // not trust the token of a folder modified in the last seconds, and lists it again).
  const wait = Date.now() + SETTLE_MS;
  while (Date.now() < wait) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
  const settled = await child('build', project);
  if (Number(settled.rowsAffected ?? 0) !== 0)
    throw new Error(
      `preparing history ${history}: the settling build read ${String(settled.rowsAffected)} rows`,
    );
  prepared.buildMs += settled.ms;
  prepared.steps++;
  prepared.totalMs = performance.now() - started;
  return prepared;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
const mb = (bytes: number) =>
  bytes >= MB / 2
    ? `${(bytes / MB).toFixed(bytes >= 10 * MB ? 1 : 2)} MB`
    : `${(bytes / 1000).toFixed(1)} KB`;
const rate = (bytes: number, ms: number) => (bytes / MB / (ms / 1000)).toFixed(1);
const med = (c: Case, key: 'ms' | 'cpuMs' | 'maxRssMb') => median(c.list.map((m) => m[key]));

function render(input: {
  startedAt: string;
  loadBefore: string;
  loadAfter: string;
  bodies: Record<number, { build: Case; ingest: Case; floor: Case; difference: number; features: number }>;
  incrementals: { prepared: Prepared; build: Case; ingest: Case; newBytes: number }[];
  duckdbVersion: string;
  serverFacts: { version: string; settings: string } | undefined;
}): string {
  if (pg) return renderPostgres(input);
  const m = machine(root);
  const lines = [
    `Run ${input.startedAt}${quick ? ' (--quick)' : ''}: ${m.cpu}, nproc ${m.cores}, memory ${m.memory} (free -h), ${m.os}, ` +
      `Node ${m.node}, ${m.duckdb} (DuckDB ${input.duckdbVersion}). DuckDB threads: the default (nproc).`,
    `Load average (1/5/15 min) at start: ${input.loadBefore}; at end: ${input.loadAfter}.`,
    '',
    '| case | body / history | bytes read | runs | median wall | median CPU | median peak RSS | MB/s (wall) | rows |',
    '|---|---|---|---:|---:|---:|---:|---:|---:|',
  ];
  const row = (c: Case, rows: string) =>
    lines.push(
      `| ${c.label} | ${c.what} | ${mb(c.bytes)} | ${c.list.length} | ${seconds(med(c, 'ms'))} | ${seconds(med(c, 'cpuMs'))} | ` +
        `${Math.round(med(c, 'maxRssMb'))} MB | ${c.noRate ? '—' : rate(c.bytes, med(c, 'ms'))} | ${rows} |`,
    );
  for (const b of Object.values(input.bodies)) {
    const rows = b.features.toLocaleString('en-US');
    row(b.build, rows);
    row(b.ingest, rows);
    row(b.floor, rows);
  }
  for (const i of input.incrementals) {
    row(i.build, String(NEW_OBJECTS * 5));
    row(i.ingest, String(NEW_OBJECTS * 5));
  }

  const notes: string[] = [''];
  for (const [size, b] of Object.entries(input.bodies)) {
    const build = med(b.build, 'ms');
    const ingest = med(b.ingest, 'ms');
    notes.push(
      `- ${size} MB: ingest ${seconds(ingest)} of the build's ${seconds(build)} (${Math.round((ingest / build) * 100)}%; the rest — ` +
        `project load, run bookkeeping, CREATE TABLE AS over the source view — ${seconds(build - ingest)}); ` +
        `the build takes ${(build / med(b.floor, 'ms')).toFixed(1)}× the floor (CPU ${(med(b.build, 'cpuMs') / med(b.floor, 'cpuMs')).toFixed(1)}×). ` +
        `Same typed rows as the floor: ${b.difference === 0 ? 'yes' : `no (${b.difference} rows differ)`}.`,
    );
  }
  for (const i of input.incrementals) {
    const p = i.prepared;
    notes.push(
      `- Preparing the history of ${p.objects.toLocaleString('en-US')} objects (not measured in the table): ` +
        `${seconds(p.totalMs)} (landing ${seconds(p.landMs)}, building ${seconds(p.buildMs)}; ${p.steps - 1} step(s) of at most ${CHUNK.toLocaleString('en-US')} objects, then a build with nothing new ${SETTLE_MS / 1000} s later)` +
        (p.projectedMs !== undefined
          ? `; **${p.requested.toLocaleString('en-US')} objects were asked for, but the preparation was projected to take ${Math.round(p.projectedMs / 60_000)} min (budget ${budgetMs / 60_000} min), so the history is ${p.objects.toLocaleString('en-US')}**`
          : '') +
        '.',
    );
  }

  const verdicts: string[] = ['', 'Targets (issue 9, Build 6):', ''];
  const verdict = (ok: boolean | undefined) => (ok === undefined ? 'not measured' : ok ? 'met' : 'not met');
  const big = input.bodies[100];
  verdicts.push(
    `- Peak RSS for the 100 MB body ≤ 1 GB: ${big ? `${Math.round(med(big.build, 'maxRssMb'))} MB — ${verdict(med(big.build, 'maxRssMb') <= 1024)}` : 'not measured'}.`,
  );
  const one = input.bodies[1];
  const ten = input.bodies[10];
  if (one && ten) {
    const ratio = med(ten.build, 'ms') / med(one.build, 'ms');
    verdicts.push(
      `- 10 MB ≤ 12× the 1 MB time: ${ratio.toFixed(1)}× (CPU ${(med(ten.build, 'cpuMs') / med(one.build, 'cpuMs')).toFixed(1)}×; ingest alone ${(med(ten.ingest, 'ms') / med(one.ingest, 'ms')).toFixed(1)}×) — ${verdict(ratio <= 12)}.`,
    );
  } else verdicts.push('- 10 MB ≤ 12× the 1 MB time: not measured.');
  const largest = Math.max(...Object.keys(input.bodies).map(Number));
  const l = input.bodies[largest];
  if (l) {
    const wall = Number(rate(l.build.bytes, med(l.build, 'ms')));
    const cpu = Number(rate(l.build.bytes, med(l.build, 'cpuMs')));
    verdicts.push(
      `- ≥ 20 MB/s on one core (judged at the largest body, ${largest} MB, where the fixed costs of a build are spread): ` +
        `${wall} MB/s of wall time, ${cpu} MB/s of CPU time (CPU/wall ${(med(l.build, 'cpuMs') / med(l.build, 'ms')).toFixed(2)}) — ` +
        `${wall >= 20 && cpu >= 20 ? 'met' : wall >= 20 ? 'met on wall time; not met per CPU second (the build keeps more than one core busy: DuckDB threads, zlib)' : 'not met'}` +
        `; per size: ${Object.entries(input.bodies)
          .map(([s, b]) => `${s} MB ${rate(b.build.bytes, med(b.build, 'ms'))}`)
          .join(', ')} MB/s.`,
    );
  }
  if (input.incrementals.length >= 2) {
    const small = input.incrementals[0]!;
    const large = input.incrementals[input.incrementals.length - 1]!;
    const ratio = med(large.build, 'ms') / med(small.build, 'ms');
    verdicts.push(
      `- An incremental read of ${NEW_OBJECTS} new objects costs the same with a history of ${small.prepared.objects.toLocaleString('en-US')} or ` +
        `${large.prepared.objects.toLocaleString('en-US')} (taken as: within 1.2×): ${ratio.toFixed(2)}× the wall time ` +
        `(CPU ${(med(large.build, 'cpuMs') / med(small.build, 'cpuMs')).toFixed(2)}×, peak RSS ${(med(large.build, 'maxRssMb') / med(small.build, 'maxRssMb')).toFixed(2)}×; ` +
        `ingest alone ${(med(large.ingest, 'ms') / med(small.ingest, 'ms')).toFixed(2)}×) — ${verdict(ratio <= 1.2)}` +
        `${large.prepared.projectedMs !== undefined ? ` (with ${large.prepared.objects.toLocaleString('en-US')}, not ${large.prepared.requested.toLocaleString('en-US')}, objects of history)` : ''}.`,
    );
  }
  return [...lines, ...notes, ...verdicts].join('\n');
}

/** The PostgreSQL block: the body cases, with the server's CPU and memory beside the Node process's. */
function renderPostgres(input: {
  startedAt: string;
  loadBefore: string;
  loadAfter: string;
  bodies: Record<number, { build: Case; ingest: Case; floor: Case; difference: number; features: number }>;
  serverFacts: { version: string; settings: string } | undefined;
}): string {
  const m = machine(root);
  const lines = [
    `Run ${input.startedAt}${quick ? ' (--quick)' : ''}: ${m.cpu}, nproc ${m.cores}, memory ${m.memory} (free -h), ${m.os}, ` +
      `Node ${m.node}, ${input.serverFacts?.version} (throwaway server, scripts/postgres-server.js: ${input.serverFacts?.settings}), pg ${m.pg}.`,
    `Load average (1/5/15 min) at start: ${input.loadBefore}; at end: ${input.loadAfter}.`,
    '',
    '| case | body | bytes read | runs | median wall (range) | median CPU, Node | median CPU, server | median peak RSS, Node | median peak memory, server | MB/s (wall) | MB/s per Node CPU second | rows |',
    '|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  const medOf = (c: Case, f: (x: Measure) => number) => median(c.list.map(f));
  const wallRange = (c: Case) =>
    `${(Math.min(...c.list.map((x) => x.ms)) / 1000).toFixed(2)}–${(Math.max(...c.list.map((x) => x.ms)) / 1000).toFixed(2)}`;
  for (const b of Object.values(input.bodies)) {
    for (const c of [b.build, b.ingest, b.floor]) {
      lines.push(
        `| ${c.label} | ${c.what} | ${mb(c.bytes)} | ${c.list.length} | ${seconds(med(c, 'ms'))} (${wallRange(c)}) | ` +
          `${seconds(med(c, 'cpuMs'))} | ${seconds(medOf(c, (x) => x.serverCpuMs ?? Number.NaN))} | ${Math.round(med(c, 'maxRssMb'))} MB | ` +
          `${Math.round(medOf(c, (x) => x.server?.peakMb ?? Number.NaN))} MB | ${rate(c.bytes, med(c, 'ms'))} | ` +
          `${rate(c.bytes, med(c, 'cpuMs'))} | ${b.features.toLocaleString('en-US')} |`,
      );
    }
  }
  const notes: string[] = [''];
  for (const [size, b] of Object.entries(input.bodies)) {
    const build = med(b.build, 'ms');
    const ingest = med(b.ingest, 'ms');
    notes.push(
      `- ${size} MB: ingest ${seconds(ingest)} of the build's ${seconds(build)} (${Math.round((ingest / build) * 100)}%); ` +
        `the build takes ${(build / med(b.floor, 'ms')).toFixed(1)}× the floor; CPU of the build: Node ${seconds(med(b.build, 'cpuMs'))}, ` +
        `server ${seconds(medOf(b.build, (x) => x.serverCpuMs ?? Number.NaN))}. ` +
        `Same typed rows as the floor: ${b.difference === 0 ? 'yes' : `no (${b.difference} rows differ)`}.`,
    );
  }
  const verdicts: string[] = [
    '',
    'Target (PostgreSQL engine issue): the records layer’s bulk load ≥ 20 MB/s of landed JSON.',
    '',
  ];
  for (const [size, b] of Object.entries(input.bodies)) {
    for (const c of [b.build, b.ingest]) {
      const wall = Number(rate(c.bytes, med(c, 'ms')));
      const cpu = Number(rate(c.bytes, med(c, 'cpuMs')));
      const both = Number(
        rate(
          c.bytes,
          medOf(c, (x) => x.cpuMs + (x.serverCpuMs ?? 0)),
        ),
      );
      verdicts.push(
        `- ${size} MB, ${c.label.replace('… of which ', '')}: ${wall} MB/s of wall time (${wall >= 20 ? 'met' : 'not met'}), ` +
          `${cpu} MB/s per CPU second of the Node process (${cpu >= 20 ? 'met' : 'not met'}); ${both} MB/s per CPU second of Node and server together.`,
      );
    }
  }
  return [...lines, ...notes, ...verdicts].join('\n');
}

function write(report: string): void {
  const path = join(root, 'BENCHMARKS.md');
  const marker = pg ? 'landed-json postgres results' : 'landed-json results';
  const start = `<!-- ${marker}:start -->`;
  const end = `<!-- ${marker}:end -->`;
  const block = `${start}\n${report}\n${end}`;
  const current = existsSync(path) ? readFileSync(path, 'utf8') : '';
  const next = current.includes(start)
    ? current.replace(new RegExp(`${start}[\\s\\S]*?${end}`), () => block)
    : `${current.replace(/\n*$/, '\n')}\n## ${pg ? 'PostgreSQL: landed JSON → raw and typed source rows' : 'Landed JSON → typed source rows'} (bench/landed-json)\n\n${block}\n`;
  writeFileSync(path, next);
  console.log(`\nwrote ${path}`);
}

await main();
