/**
 * The PostgreSQL side of the benchmarks (`--engine postgres`), engine-neutral for the code it serves:
 *
 * - a throwaway PostgreSQL server (scripts/postgres-server.js: 127.0.0.1, fsync off, as `nobody` when
 *   run as root), stopped in `finally` and on SIGINT/SIGTERM, so a benchmark needs no setup;
 * - databases created and dropped from one admin connection; a fresh copy of a prepared database per
 *   run is `CREATE DATABASE … TEMPLATE` (the DuckDB side copies a file);
 * - what the server's processes use: the server is not the Node process, so its CPU time (every
 *   server process: /proc/<postmaster>/stat's own and reaped children's time plus its live children's)
 *   and its memory (sampled from /proc every 100 ms by the parent process, never by the measured one)
 *   are read separately.
 *
 * The warehouse is opened by the measured code through `engineFor('postgres')` like any other: this
 * file only hands out `warehouse:` settings.
 */
import { readFileSync } from 'node:fs';
import pg from 'pg';
import type { WarehouseConfig } from '../src/engine/engine.ts';

interface StartedPostgres {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export interface BenchServer {
  /** The maintenance database's URL. */
  url: string;
  /** The postmaster: every server process is its child. */
  postmasterPid: number;
  /** `SELECT version()`, shortened, and the settings that matter for the figures. */
  version: string;
  settings: string;
  urlOf(database: string): string;
  /** One statement on the maintenance database (CREATE/DROP DATABASE cannot run in a transaction). */
  admin(sql: string): Promise<void>;
  query<T extends pg.QueryResultRow>(sql: string): Promise<T[]>;
  /** Drops `name` if it exists, then creates it empty or as a copy of `template`. */
  recreate(name: string, template?: string): Promise<void>;
  drop(name: string): Promise<void>;
  /** The admin connection's backend: left out of the memory samples. */
  adminPid: number;
  stop(): Promise<void>;
}

/**
 * Starts the server and installs SIGINT/SIGTERM handlers that stop it (the caller also stops it in
 * `finally`; stopping twice is harmless).
 */
export async function startBenchServer(log: (line: string) => void = () => {}): Promise<BenchServer> {
  // scripts/ is plain JavaScript without declarations: imported by a computed specifier.
  const script = '../scripts/postgres-server.js';
  const { startPostgres } = (await import(script)) as {
    startPostgres(options: { log?: (line: string) => void }): Promise<StartedPostgres>;
  };
  const started = await startPostgres({ log });
  let stopping: Promise<void> | undefined;
  const client = new pg.Client({ connectionString: started.url });
  const stop = () => {
    stopping ??= (async () => {
      await client.end().catch(() => {});
      await started.stop();
    })();
    return stopping;
  };
  const onSignal = (signal: NodeJS.Signals) => {
    log(`${signal}: stopping PostgreSQL`);
    void stop().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    await client.connect();
    const [row] = (
      await client.query<{ pid: number; version: string }>(
        'SELECT pg_backend_pid() AS pid, version() AS version',
      )
    ).rows;
    const adminPid = row!.pid;
    const postmasterPid = parentOf(adminPid);
    const settings = (
      await client.query<{ name: string; setting: string; unit: string | null }>(
        `SELECT name, setting, unit FROM pg_settings WHERE name IN ('shared_buffers', 'work_mem',
          'max_parallel_workers_per_gather', 'jit', 'fsync', 'synchronous_commit', 'maintenance_work_mem')
         ORDER BY name`,
      )
    ).rows
      .map((s) => `${s.name}=${settingText(s.setting, s.unit)}`)
      .join(', ');
    const urlOf = (database: string) => {
      const url = new URL(started.url);
      url.pathname = `/${database}`;
      return url.toString();
    };
    const admin = async (sql: string) => {
      await client.query(sql);
    };
    return {
      url: started.url,
      postmasterPid,
      adminPid,
      version: row!.version.replace(/ on .*$/, ''),
      settings,
      urlOf,
      admin,
      query: async (sql) => (await client.query(sql)).rows,
      recreate: async (name, template) => {
        await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        await admin(
          `CREATE DATABASE "${name}" TEMPLATE ${template ? `"${template}"` : 'template0'} ENCODING 'UTF8'`,
        );
      },
      drop: (name) => admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

function settingText(setting: string, unit: string | null): string {
  if (unit === '8kB') return `${(Number(setting) * 8) / 1024}MB`;
  if (unit === 'kB') return `${Number(setting) / 1024}MB`;
  return setting;
}

/** The `warehouse:` settings of a benchmark database (what a user's vaultline.yml would say). */
export function postgresWarehouse(url: string): WarehouseConfig {
  return {
    type: 'postgres',
    url,
    sslmode: 'disable',
    pool_size: 8,
    connect_timeout: 10,
    application_name: 'vaultline-bench',
  };
}

/** The same as YAML, for a project's vaultline.yml. */
export function postgresWarehouseYaml(url: string): string {
  return `warehouse:\n  type: postgres\n  url: ${url}\n  sslmode: disable\n  application_name: vaultline-bench\n`;
}

// ---- the server's processes, from /proc ----

const CLOCK_TICK_MS = 10; // getconf CLK_TCK = 100 on Linux

/** Fields of /proc/<pid>/stat after the command name (which may hold spaces and parentheses). */
function statFields(pid: number): string[] | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return text.slice(text.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

function parentOf(pid: number): number {
  const fields = statFields(pid);
  if (!fields) throw new Error(`cannot read /proc/${pid}/stat (is the server on this machine?)`);
  return Number(fields[1]);
}

/** The postmaster's live children (backends, parallel workers, background processes). */
export function serverChildren(postmasterPid: number): number[] {
  try {
    return readFileSync(`/proc/${postmasterPid}/task/${postmasterPid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

/**
 * CPU time of the whole server so far (ms): the postmaster's own and its reaped children's (cutime,
 * cstime: backends and parallel workers that exited) plus every live child's. The difference of two
 * readings is what the server spent in between, whichever processes did the work.
 */
export function serverCpuMs(postmasterPid: number): number {
  const own = statFields(postmasterPid);
  if (!own) return Number.NaN;
  // After the name: state(0) ppid(1) … utime(11) stime(12) cutime(13) cstime(14)
  let ticks = Number(own[11]) + Number(own[12]) + Number(own[13]) + Number(own[14]);
  for (const pid of serverChildren(postmasterPid)) {
    const f = statFields(pid);
    if (f) ticks += Number(f[11]) + Number(f[12]);
  }
  return ticks * CLOCK_TICK_MS;
}

function statusKb(pid: number): Record<string, number> {
  const out: Record<string, number> = {};
  try {
    for (const line of readFileSync(`/proc/${pid}/status`, 'utf8').split('\n')) {
      const m = /^(VmHWM|VmRSS|RssAnon|RssShmem|RssFile):\s+(\d+) kB/.exec(line);
      if (m) out[m[1]!] = Number(m[2]);
    }
  } catch {
    // exited meanwhile
  }
  return out;
}

export interface ServerMemory {
  /**
   * Peak memory of the server while sampled (MB): the highest sum of every server process's private
   * memory (RssAnon: sorts, hash tables, temp buffers, parallel workers) at one sample, plus the most
   * shared memory (shared_buffers pages) any one process had mapped — shared pages counted once.
   */
  peakMb: number;
  /** The largest peak RSS (VmHWM) of one server process seen, shared pages included. */
  largestProcessHwmMb: number;
  /** The same sum at the first sample (the server before the work). */
  startMb: number;
  samples: number;
}

/** Samples the server's memory every `intervalMs` until `stop()` (run it in the parent process). */
export function sampleServerMemory(
  postmasterPid: number,
  exclude: readonly number[],
  intervalMs = 100,
): { stop(): ServerMemory } {
  let peakAnon = 0;
  let peakShmem = 0;
  let peakHwm = 0;
  let samples = 0;
  let startMb: number | undefined;
  const skip = new Set([...exclude, postmasterPid]);
  const sample = () => {
    samples++;
    let anon = 0;
    for (const pid of serverChildren(postmasterPid)) {
      if (skip.has(pid)) continue;
      const s = statusKb(pid);
      anon += s.RssAnon ?? 0;
      peakShmem = Math.max(peakShmem, s.RssShmem ?? 0);
      peakHwm = Math.max(peakHwm, s.VmHWM ?? 0);
    }
    peakAnon = Math.max(peakAnon, anon);
    startMb ??= (anon + peakShmem) / 1024;
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  return {
    stop: () => {
      clearInterval(timer);
      sample();
      return {
        peakMb: (peakAnon + peakShmem) / 1024,
        largestProcessHwmMb: peakHwm / 1024,
        startMb: startMb ?? 0,
        samples,
      };
    },
  };
}
