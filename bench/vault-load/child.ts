/**
 * One measured operation in a fresh process (so peak RSS belongs to it alone):
 *   node --import tsx bench/vault-load/child.ts <op> <engine> <warehouse> <size>
 * `<warehouse>` is a DuckDB file or a PostgreSQL URL; the session is opened through `engineFor`, as
 * the run layer opens it. Prints one JSON line: wall ms, CPU ms (this process, all threads), peak RSS,
 * rows inserted — and, on PostgreSQL, the server's CPU ms over the operation (every server process,
 * from /proc; VAULTLINE_BENCH_SERVER_PID names the postmaster).
 */
import { tmpdir } from 'node:os';
import type { Session } from '../../src/engine/dialect.ts';
import { engineFor, type WarehouseConfig } from '../../src/engine/engine.ts';
import { runVaultEntity } from '../../src/vault/run.ts';
import { loadVaultSpecs } from '../../src/vault/spec/load.ts';
import type { VaultEntitySpec } from '../../src/vault/types.ts';
import { postgresWarehouse, serverCpuMs } from '../postgres.ts';
import {
  HAND_HUB_TABLE,
  HAND_TABLE,
  handDdl,
  handwrittenHubSql,
  handwrittenSatelliteSql,
} from './handwritten.ts';
import { appendChangedBatchSql, createStagingSql, STAGING, VAULT_YAML } from './synthetic.ts';

export type Engine = 'duckdb' | 'postgres';

export type Op =
  | 'prepare-base'
  | 'append'
  | 'settle'
  | 'full'
  | 'incremental'
  | 'hand-full'
  | 'hand-incremental'
  | 'hub-full'
  | 'hub-incremental'
  | 'hand-hub-full'
  | 'hand-hub-incremental'
  | 'verify';

const [op, engine, warehouse, sizeText] = process.argv.slice(2) as [Op, Engine, string, string];
const size = Number(sizeText);

const specs = new Map(
  loadVaultSpecs({ files: [{ file: 'bench.yml', text: VAULT_YAML }] }).entities.map(
    (e): [string, VaultEntitySpec] => [e.name, e],
  ),
);
const relationOf = (name: string) =>
  name.startsWith('stg_') ? { schema: 'staging', name } : { schema: 'vault', name };

async function load(session: Session, name: string): Promise<number> {
  const result = await runVaultEntity(session, specs.get(name)!, {
    target: { schema: 'vault', name },
    relationOf,
  });
  return result.rowsInserted;
}

async function count(session: Session, table: string): Promise<number> {
  const [row] = await session.query<{ n: unknown }>(`SELECT count(*) AS n FROM ${table}`);
  return Number(row?.n ?? 0);
}

/** Rows of `a` and of `b` (over `columns`) that the other lacks. */
async function difference(session: Session, a: string, b: string, columns: string): Promise<number> {
  const [row] = await session.query<{ n: unknown }>(`SELECT count(*) AS n FROM (
    (SELECT ${columns} FROM ${a} EXCEPT ALL SELECT ${columns} FROM ${b})
    UNION ALL
    (SELECT ${columns} FROM ${b} EXCEPT ALL SELECT ${columns} FROM ${a})) AS d`);
  return Number(row?.n ?? -1);
}

const SAT_COLUMNS = 'hk_customer, load_ts, hashdiff, name, amount, score, since';
const HUB_COLUMNS = 'hk_customer, customer_id, load_ts, record_source';
const VAULT_SAT = "(SELECT * FROM vault.sat_customer WHERE record_source <> 'vaultline.ghost') AS v";

function configOf(): WarehouseConfig {
  return engine === 'postgres'
    ? postgresWarehouse(warehouse)
    : // DuckDB threads = 2 (the machine's cores), as the figures before this flag.
      { type: 'duckdb', path: warehouse, threads: 2 };
}

async function main(): Promise<void> {
  const session = await engineFor(engine).open(configOf(), { projectDir: tmpdir() });
  const dialect = session.dialect;
  const serverPid = Number(process.env.VAULTLINE_BENCH_SERVER_PID ?? 0);
  const serverCpu = () => (engine === 'postgres' && serverPid ? serverCpuMs(serverPid) : Number.NaN);
  const ddl = async () => {
    for (const sql of handDdl(dialect)) await session.execute(sql);
  };
  const hand = (sql: string) => session.execute(sql);
  const handTable = op.startsWith('hand-hub') ? HAND_HUB_TABLE : HAND_TABLE;
  // The hand-written tables (created before the clock) and their rows before: the statements return
  // no count.
  if (op.startsWith('hand-') || op === 'verify') await ddl();
  const handBefore = op.startsWith('hand-') ? await count(session, handTable) : 0;
  const serverStart = serverCpu();
  const started = performance.now();
  const cpu = process.cpuUsage();
  let rows = 0;
  let extra: Record<string, unknown> = {};
  switch (op) {
    case 'prepare-base':
      for (const sql of createStagingSql(dialect, size)) await session.execute(sql);
      break;
    case 'append':
      await session.execute(appendChangedBatchSql(dialect, size, 1));
      break;
    case 'settle':
      // What a server does between two loads (autovacuum): statistics and visibility map up to date.
      if (engine === 'postgres') await session.execute('VACUUM ANALYZE');
      break;
    case 'full':
    case 'incremental':
      rows = await load(session, 'sat_customer');
      break;
    case 'hub-full':
    case 'hub-incremental':
      rows = await load(session, 'hub_customer');
      break;
    case 'hand-full':
    case 'hand-incremental':
      await hand(handwrittenSatelliteSql(dialect));
      break;
    case 'hand-hub-full':
    case 'hand-hub-incremental':
      await hand(handwrittenHubSql(dialect));
      break;
    case 'verify': {
      // Both ways over the full batch, then over the 1% batch; the rows that differ each time.
      const compare = async () => ({
        satellite: await difference(session, VAULT_SAT, HAND_TABLE, SAT_COLUMNS),
        hub: await difference(session, 'vault.hub_customer', HAND_HUB_TABLE, HUB_COLUMNS),
      });
      const all = async () => {
        await load(session, 'sat_customer');
        await hand(handwrittenSatelliteSql(dialect));
        await load(session, 'hub_customer');
        await hand(handwrittenHubSql(dialect));
      };
      await all();
      const full = await compare();
      await session.execute(appendChangedBatchSql(dialect, size, 1));
      await all();
      const incremental = await compare();
      extra = {
        fullDifference: full.satellite,
        incrementalDifference: incremental.satellite,
        hubFullDifference: full.hub,
        hubIncrementalDifference: incremental.hub,
      };
      break;
    }
  }
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  const serverCpuUsed = serverCpu() - serverStart;
  if (op.startsWith('hand-')) {
    rows = (await count(session, handTable)) - handBefore;
  }
  if (op === 'prepare-base') {
    rows = await count(session, STAGING);
    if (engine === 'postgres') await session.execute(`VACUUM ANALYZE ${STAGING}`);
  }
  if (engine === 'duckdb') await session.execute('CHECKPOINT');
  await session.close();
  process.stdout.write(
    `${JSON.stringify({
      op,
      size,
      ms,
      cpuMs: (used.user + used.system) / 1000,
      maxRssMb: process.resourceUsage().maxRSS / 1024,
      ...(Number.isNaN(serverCpuUsed) ? {} : { serverCpuMs: serverCpuUsed }),
      rows,
      ...extra,
    })}\n`,
  );
}

await main();
