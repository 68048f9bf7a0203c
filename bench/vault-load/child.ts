/**
 * One measured operation in a fresh process (so peak RSS belongs to it alone):
 *   node --import tsx bench/vault-load/child.ts <op> <database> <size>
 * Prints one JSON line: wall ms, CPU ms (all threads), peak RSS, rows inserted.
 */
import type { Session } from '../../src/engine/dialect.ts';
import { openDuckDbSession } from '../../src/engine/duckdb/session.ts';
import { runVaultEntity } from '../../src/vault/run.ts';
import { loadVaultSpecs } from '../../src/vault/spec/load.ts';
import type { VaultEntitySpec } from '../../src/vault/types.ts';
import { HAND_DDL, HAND_TABLE, handwrittenSatelliteSql } from './handwritten.ts';
import { appendChangedBatchSql, createStagingSql, VAULT_YAML } from './synthetic.ts';

export type Op =
  | 'prepare-base'
  | 'append'
  | 'full'
  | 'incremental'
  | 'hand-full'
  | 'hand-incremental'
  | 'hub-full'
  | 'hub-incremental'
  | 'verify';

const [op, database, sizeText] = process.argv.slice(2) as [Op, string, string];
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

async function hand(session: Session): Promise<number> {
  await session.execute('CREATE SCHEMA IF NOT EXISTS vault');
  await session.execute(HAND_DDL);
  const [row] = await session.query<{ Count: bigint }>(handwrittenSatelliteSql());
  return Number(row?.Count ?? 0);
}

/** Rows of the vaultline satellite and of the hand-written one that the other lacks (ghost aside). */
async function difference(session: Session): Promise<number> {
  const [row] = await session.query<{ n: bigint }>(`SELECT count(*) AS n FROM (
    (SELECT hk_customer, load_ts, hashdiff, name, amount, score, since FROM vault.sat_customer WHERE record_source <> 'vaultline.ghost'
     EXCEPT ALL SELECT hk_customer, load_ts, hashdiff, name, amount, score, since FROM ${HAND_TABLE})
    UNION ALL
    (SELECT hk_customer, load_ts, hashdiff, name, amount, score, since FROM ${HAND_TABLE}
     EXCEPT ALL SELECT hk_customer, load_ts, hashdiff, name, amount, score, since FROM vault.sat_customer WHERE record_source <> 'vaultline.ghost'))`);
  return Number(row?.n ?? -1);
}

async function main(): Promise<void> {
  const session = await openDuckDbSession(database, { threads: 2 });
  const started = performance.now();
  const cpu = process.cpuUsage();
  let rows = 0;
  let extra: Record<string, unknown> = {};
  switch (op) {
    case 'prepare-base':
      for (const sql of createStagingSql(size)) await session.execute(sql);
      break;
    case 'append':
      await session.execute(appendChangedBatchSql(size, 1));
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
      rows = await hand(session);
      break;
    case 'verify':
      // Both ways over the full batch, then over the 1% batch; the rows that differ each time.
      await load(session, 'sat_customer');
      await hand(session);
      extra = { fullDifference: await difference(session) };
      await session.execute(appendChangedBatchSql(size, 1));
      await load(session, 'sat_customer');
      await hand(session);
      extra.incrementalDifference = await difference(session);
      break;
  }
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  await session.execute('CHECKPOINT');
  await session.close();
  process.stdout.write(
    `${JSON.stringify({ op, size, ms, cpuMs: (used.user + used.system) / 1000, maxRssMb: process.resourceUsage().maxRSS / 1024, rows, ...extra })}\n`,
  );
}

await main();
