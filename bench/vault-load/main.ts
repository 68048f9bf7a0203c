/**
 * `npm run bench:vault` — the vault load benchmark (never part of `npm test`).
 *
 * For each size (1M and 10M staged rows; `--quick`: 100k and 1M) it prepares two DuckDB files in a
 * temp folder — staging only, and staging + a full load + one more 1% batch staged — then, run after
 * run, copies them and measures in a fresh child process each: the satellite full load, the same
 * load as one hand-written statement, the incremental 1% load (vaultline, then hand-written), and the
 * hub's full and incremental loads. Reports medians of wall time, CPU time and peak RSS, and writes
 * them into BENCHMARKS.md between the results markers (the analysis around them is kept).
 *
 * Flags: --quick, --runs N, --sizes 1000000,10000000, --no-write (print only).
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { machine, median } from '../machine.ts';
import type { Op } from './child.ts';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '../..');
const args = process.argv.slice(2);
const flag = (name: string) => args.includes(name);
const option = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const quick = flag('--quick');
const sizes = (option('--sizes') ?? (quick ? '100000,1000000' : '1000000,10000000')).split(',').map(Number);
const runsFor = (size: number) => Number(option('--runs') ?? (size >= 5_000_000 ? 3 : 5));

interface Measure {
  op: Op;
  size: number;
  ms: number;
  cpuMs: number;
  maxRssMb: number;
  rows: number;
  [key: string]: unknown;
}

function child(op: Op, database: string, size: number): Measure {
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', join(here, 'child.ts'), op, database, String(size)],
    {
      cwd: root,
      encoding: 'utf8',
      maxBuffer: 16 * 1024 * 1024,
    },
  );
  if (result.status !== 0) throw new Error(`${op} (${size}) failed:\n${result.stderr}`);
  const line = result.stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(line) as Measure;
}

function copy(from: string, to: string): string {
  rmSync(to, { force: true });
  rmSync(`${to}.wal`, { force: true });
  copyFileSync(from, to);
  if (existsSync(`${from}.wal`)) copyFileSync(`${from}.wal`, `${to}.wal`);
  return to;
}

/** Each measured operation, the file it starts from, and (run 1 only) the file its result becomes. */
const SCENARIOS: { op: Op; from: string; keepAs?: string; small?: boolean }[] = [
  { op: 'full', from: 'base', keepAs: 'vault' },
  { op: 'hand-full', from: 'base', keepAs: 'hand' },
  { op: 'incremental', from: 'vault' },
  { op: 'hand-incremental', from: 'hand' },
  // The hub is shown for the record at the smaller sizes only, to keep the 10M run near ten minutes.
  { op: 'hub-full', from: 'base', keepAs: 'hub', small: true },
  { op: 'hub-incremental', from: 'hub', small: true },
];
const SMALL = 5_000_000;

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'vaultline-bench-'));
  const startedAt = new Date().toISOString();
  const loadBefore = loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
  const results: Record<number, Record<string, Measure[]>> = {};
  const checks: Record<number, Record<string, unknown>> = {};
  try {
    for (const size of sizes) {
      const file = (name: string) => join(dir, `${name}-${size}.duckdb`);
      const work = file('work');
      const staged = child('prepare-base', file('base'), size);
      checks[size] = { stagingMs: Math.round(staged.ms) };
      console.log(`size ${size}: staging generated in ${Math.round(staged.ms)} ms`);
      results[size] = {};
      for (let run = 1; run <= runsFor(size); run++) {
        for (const s of SCENARIOS) {
          if (s.small && size >= SMALL) continue;
          const m = child(s.op, copy(file(s.from), work), size);
          const list = results[size]![s.op] ?? [];
          list.push(m);
          results[size]![s.op] = list;
          console.log(
            `  run ${run} ${s.op.padEnd(16)} ${Math.round(m.ms).toString().padStart(7)} ms  cpu ${Math.round(m.cpuMs).toString().padStart(7)} ms  rss ${Math.round(m.maxRssMb)} MB  rows ${m.rows}`,
          );
          if (run === 1 && s.keepAs) {
            // The loaded result, plus one more 1% batch staged, is where the incremental runs start.
            copy(work, file(s.keepAs));
            child('append', file(s.keepAs), size);
          }
        }
      }
      if (size < SMALL) {
        const verify = child('verify', copy(file('base'), work), size);
        checks[size] = {
          ...checks[size],
          fullDifference: verify.fullDifference,
          incrementalDifference: verify.incrementalDifference,
        };
        console.log(
          `  same rows as the hand-written statement: full ${verify.fullDifference === 0}, incremental ${verify.incrementalDifference === 0}`,
        );
      }
      for (const name of ['base', 'work', 'vault', 'hand', 'hub']) {
        rmSync(file(name), { force: true });
        rmSync(`${file(name)}.wal`, { force: true });
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const loadAfter = loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
  const report = render({ startedAt, loadBefore, loadAfter, results, prepared: checks });
  console.log(`\n${report}`);
  if (!flag('--no-write')) write(report);
}

function render(input: {
  startedAt: string;
  loadBefore: string;
  loadAfter: string;
  results: Record<number, Record<string, Measure[]>>;
  prepared: Record<number, Record<string, unknown>>;
}): string {
  const m = machine(root);
  const lines = [
    `Run ${input.startedAt}${quick ? ' (--quick)' : ''}: ${m.cpu}, ${m.cores} cores, ${m.memory}, ${m.os}, Node ${m.node}, ${m.duckdb}.`,
    `Load average (1/5/15 min) before: ${input.loadBefore}; after: ${input.loadAfter}. DuckDB threads = 2.`,
    '',
    '| rows staged | operation | runs | median wall | median CPU | median peak RSS | rows inserted |',
    '|---:|---|---:|---:|---:|---:|---:|',
  ];
  const label: Record<string, string> = {
    full: 'satellite full load (vaultline)',
    'hand-full': 'satellite full load (hand-written SQL)',
    incremental: 'satellite incremental 1% (vaultline)',
    'hand-incremental': 'satellite incremental 1% (hand-written SQL)',
    'hub-full': 'hub full load (vaultline)',
    'hub-incremental': 'hub incremental 1% (vaultline)',
  };
  const verdicts: string[] = [];
  for (const [sizeText, byOp] of Object.entries(input.results)) {
    const size = Number(sizeText);
    for (const [op, list] of Object.entries(byOp)) {
      lines.push(
        `| ${size.toLocaleString('en-US')} | ${label[op] ?? op} | ${list.length} | ${(median(list.map((x) => x.ms)) / 1000).toFixed(2)} s | ` +
          `${(median(list.map((x) => x.cpuMs)) / 1000).toFixed(2)} s | ${Math.round(median(list.map((x) => x.maxRssMb)))} MB | ` +
          `${median(list.map((x) => x.rows)).toLocaleString('en-US')} |`,
      );
    }
    const med = (op: string) => median((byOp[op] ?? []).map((x) => x.ms));
    const incremental = med('incremental') / med('full');
    const vsHand = med('full') / med('hand-full');
    const p = input.prepared[size] ?? {};
    const medCpu = (op: string) => median((byOp[op] ?? []).map((x) => x.cpuMs));
    const same =
      p.fullDifference === undefined
        ? 'not compared at this size (see the smaller size)'
        : `full ${p.fullDifference === 0 ? 'yes' : `no (${String(p.fullDifference)} rows differ)`}, incremental ` +
          `${p.incrementalDifference === 0 ? 'yes' : `no (${String(p.incrementalDifference)} rows differ)`}`;
    verdicts.push(
      `- ${size.toLocaleString('en-US')} rows: incremental 1% = ${(incremental * 100).toFixed(1)}% of the full load ` +
        `(CPU ${((medCpu('incremental') / medCpu('full')) * 100).toFixed(1)}%; target ≤ 5%: ${incremental <= 0.05 ? 'met' : 'missed'}); ` +
        `full load = ${vsHand.toFixed(2)}× the hand-written statement (CPU ${(medCpu('full') / medCpu('hand-full')).toFixed(2)}×; ` +
        `target ≤ 1.5×: ${vsHand <= 1.5 ? 'met' : 'missed'}); the hand-written incremental takes ` +
        `${((med('hand-incremental') / med('hand-full')) * 100).toFixed(1)}% of its full load. Same rows as the hand-written statement: ${same}.`,
    );
  }
  return [...lines, '', ...verdicts].join('\n');
}

function write(report: string): void {
  const path = join(root, 'BENCHMARKS.md');
  const start = '<!-- vault-load results:start -->';
  const end = '<!-- vault-load results:end -->';
  const block = `${start}\n${report}\n${end}`;
  const current = existsSync(path) ? readFileSync(path, 'utf8') : '';
  const next = current.includes(start)
    ? current.replace(new RegExp(`${start}[\\s\\S]*?${end}`), block)
    : `${current}${current ? '\n' : ''}## Vault load (bench/vault-load)\n\n${block}\n`;
  writeFileSync(path, next);
  console.log(`\nwrote ${path}`);
}

await main();
