/**
 * Where a vault load's time goes, statement by statement (a profiling aid, not a benchmark):
 *   node --import tsx bench/vault-load/statements.ts [--engine postgres] [--size 1000000] [--explain REGEX]
 * Prepares staging (bench/vault-load/synthetic.ts) in a fresh warehouse (PostgreSQL: a throwaway
 * server), runs the satellite's and the hub's full loads, settles the database (VACUUM ANALYZE, as
 * autovacuum would between loads), appends the 1% batch and runs their incremental loads, printing
 * each statement's wall time. `--explain REGEX` (PostgreSQL): each statement whose text matches is
 * first run under EXPLAIN (ANALYZE, BUFFERS) inside a savepoint rolled back, then for real, and
 * its plan printed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Row, Session, StatementOptions } from '../../src/engine/dialect.ts';
import { engineFor, type WarehouseConfig } from '../../src/engine/engine.ts';
import { runVaultEntity } from '../../src/vault/run.ts';
import { loadVaultSpecs } from '../../src/vault/spec/load.ts';
import { type BenchServer, postgresWarehouse, startBenchServer } from '../postgres.ts';
import { appendChangedBatchSql, createStagingSql, VAULT_YAML } from './synthetic.ts';

const args = process.argv.slice(2);
const option = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const engine = (option('--engine') ?? 'duckdb') as 'duckdb' | 'postgres';
const size = Number(option('--size') ?? 1_000_000);
const explain = engine === 'postgres' && option('--explain') ? new RegExp(option('--explain')!) : undefined;

interface Timed {
  label: string;
  sql: string;
  options: StatementOptions | undefined;
  ms: number;
}

/** A session whose statements (also inside its transactions) are timed into `log`. */
function timed(session: Session, log: Timed[], inTransaction = false): Session {
  const explained = async (s: Session, sql: string, options?: StatementOptions) => {
    if (!explain || !inTransaction || !explain.test(sql)) return;
    await s.execute('SAVEPOINT vl_explain');
    const plan = await s.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, options);
    await s.execute('ROLLBACK TO SAVEPOINT vl_explain');
    console.log(
      `\n-- EXPLAIN ANALYZE of: ${sql.split('\n')[0]}\n${plan.map((r) => r['QUERY PLAN']).join('\n')}`,
    );
  };
  const wrap = (s: Session): Session => ({
    get dialect() {
      return s.dialect;
    },
    execute: async (sql: string, options?: StatementOptions) => {
      await explained(s, sql, options);
      const t = performance.now();
      await s.execute(sql, options);
      log.push({ label: sql.split('\n')[0]!.slice(0, 90), sql, options, ms: performance.now() - t });
    },
    query: async <T extends Row = Row>(sql: string, options?: StatementOptions) => {
      await explained(s, sql, options);
      const t = performance.now();
      const rows = await s.query<T>(sql, options);
      log.push({ label: sql.split('\n')[0]!.slice(0, 90), sql, options, ms: performance.now() - t });
      return rows;
    },
    withConnection: (work) => s.withConnection((c) => work(wrap(c))),
    singleStatement: (sql) => s.singleStatement(sql),
    transaction: (work) => s.transaction((tx) => work(timed(tx, log, true))),
    append: (schema, table, rows) => s.append(schema, table, rows),
    close: () => s.close(),
  });
  return wrap(session);
}

const specs = new Map(
  loadVaultSpecs({ files: [{ file: 'bench.yml', text: VAULT_YAML }] }).entities.map((e) => [e.name, e]),
);
const relationOf = (name: string) =>
  name.startsWith('stg_') ? { schema: 'staging', name } : { schema: 'vault', name };

async function main(): Promise<void> {
  let server: BenchServer | undefined;
  const dir = mkdtempSync(join(tmpdir(), 'vaultline-statements-'));
  try {
    let config: WarehouseConfig;
    if (engine === 'postgres') {
      server = await startBenchServer();
      await server.recreate('vl_profile');
      config = postgresWarehouse(server.urlOf('vl_profile'));
    } else config = { type: 'duckdb', path: join(dir, 'profile.duckdb'), threads: 2 };
    const open = () => engineFor(engine).open(config, { projectDir: dir });
    const session = await open();
    for (const sql of createStagingSql(session.dialect, size)) await session.execute(sql);
    if (engine === 'postgres') await session.execute('VACUUM ANALYZE staging.stg_customers');
    const loads: [string, string][] = [
      ['sat_customer', 'satellite full'],
      ['hub_customer', 'hub full'],
      ['append', ''],
      ['sat_customer', 'satellite incremental 1%'],
      ['hub_customer', 'hub incremental 1%'],
    ];
    for (const [entity, title] of loads) {
      if (entity === 'append') {
        if (engine === 'postgres') await session.execute('VACUUM ANALYZE');
        await session.execute(appendChangedBatchSql(session.dialect, size, 1));
        continue;
      }
      const log: Timed[] = [];
      const started = performance.now();
      const result = await runVaultEntity(timed(session, log), specs.get(entity)!, {
        target: { schema: 'vault', name: entity },
        relationOf,
      });
      const total = performance.now() - started;
      console.log(`\n== ${title}: ${Math.round(total)} ms, ${result.rowsInserted} rows inserted`);
      for (const t of log)
        if (t.ms >= 20) console.log(`${Math.round(t.ms).toString().padStart(7)} ms  ${t.label}`);
      const rest = log.filter((t) => t.ms < 20);
      console.log(
        `${Math.round(rest.reduce((n, t) => n + t.ms, 0))
          .toString()
          .padStart(7)} ms  ${rest.length} statements under 20 ms`,
      );
    }
    await session.close();
  } finally {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
