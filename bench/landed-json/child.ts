/**
 * One operation of the landed-JSON benchmark in a fresh process (so that peak RSS belongs to it alone):
 *   node --import tsx bench/landed-json/child.ts <op> <args…>
 * Prints one JSON line: wall ms, CPU ms (user + system, every thread), peak RSS (MB), rows, and what
 * the op adds. Only the operation itself is timed: process start, imports and DuckDB's native binding
 * are loaded before the clock starts.
 *
 *   land-body <project> <file>            lands one body file (not a measured case: preparation)
 *   build <project>                       `vaultline build -s stg_usgs__earthquakes`, in process
 *   ingest <project>                      only LandedSources.ingest: find the new landed objects and
 *                                         read them into the source's raw records table
 *   floor <ndjson> <database>             DuckDB's own read_json on the same features (CREATE TABLE AS);
 *                                         given a postgres:// URL, PostgreSQL's own path: COPY of the
 *                                         NDJSON lines into a jsonb column, then CREATE TABLE AS of
 *                                         the 13 typed columns
 *   land-small <project> <from> <count> [concurrency]
 *                                         lands small feeds number from … from+count−1 (preparation)
 *   verify <project> <database>           rows of the staging model and of the floor's table that the
 *                                         other lacks, over the 13 typed columns (EXCEPT ALL both ways);
 *                                         on PostgreSQL the floor's table is in the project's database
 *
 * On PostgreSQL (the project's warehouse), VAULTLINE_BENCH_SERVER_PID names the server's postmaster:
 * the line then also holds the server's CPU ms over the operation (every server process, from /proc).
 */
import { createReadStream, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { loadConfig } from '../../src/config/load.ts';
import type { VaultlineConfig } from '../../src/config/schema.ts';
import { engineFor } from '../../src/engine/engine.ts';
import { landPayload } from '../../src/landing/land.ts';
import { LocalStore } from '../../src/landing/local-store.ts';
import { loadCheckedProject } from '../../src/project/load-project.ts';
import { renderNode } from '../../src/project/render.ts';
import { selectNodes } from '../../src/project/selection/select.ts';
import type { SourceNode } from '../../src/project/types.ts';
import { ensureMetaSchema } from '../../src/run/meta/ensure.ts';
import { runProject } from '../../src/run/run-project.ts';
import { LandedSources } from '../../src/run/sources/landed-sources.ts';
import { registerVaultBuilder } from '../../src/run/vault-builder.ts';
import { openWarehouse } from '../../src/run/warehouse.ts';
import { steppingClock, systemClock } from '../../src/shared/clock.ts';
import { serverCpuMs } from '../postgres.ts';
import { smallFeed } from './generate.ts';
import {
  FLOOR_COLUMNS,
  FLOOR_PG_RAW,
  FLOOR_PG_SELECT,
  FLOOR_PG_TABLE,
  FLOOR_SELECT,
  MODEL,
  SOURCE,
  TYPED_COLUMNS,
} from './project.ts';

export type Op = 'land-body' | 'build' | 'ingest' | 'floor' | 'land-small' | 'verify';

const [op, ...args] = process.argv.slice(2) as [Op, ...string[]];

// Loaded before the clock starts (the DuckDB session imports it on first use, ~0.35 s).
await import('@duckdb/node-api');
const serverPid = Number(process.env.VAULTLINE_BENCH_SERVER_PID ?? 0);
const serverCpu = () => (serverPid ? serverCpuMs(serverPid) : Number.NaN);

/** Small feeds are landed one minute apart from here (the history, then the new ones after it). */
const HISTORY_START = Date.UTC(2025, 0, 1);
const STEP_MS = 60_000;

function storeOf(config: VaultlineConfig): LocalStore {
  if (config.landing.type !== 'local') throw new Error('the benchmark uses a local landing store');
  return new LocalStore(join(config.projectDir, config.landing.path));
}

const request = (at: string) => ({
  method: 'GET',
  url: `https://earthquake.usgs.gov/earthquakes/feed/v1.0/summary/all_month.geojson?bench=${at}`,
});

async function modelRows(config: VaultlineConfig): Promise<number> {
  const { session } = await openWarehouse(config);
  try {
    const [row] = await session.query<{ n: bigint }>(
      `SELECT count(*) AS n FROM ${session.dialect.relation(session.dialect.defaultSchema, MODEL)}`,
    );
    return Number(row?.n ?? -1);
  } finally {
    await session.close();
  }
}

async function main(): Promise<void> {
  const warnings: string[] = [];
  let rows = 0;
  let extra: Record<string, unknown> = {};
  let started = 0;
  let cpu: NodeJS.CpuUsage = process.cpuUsage();
  let serverStart = Number.NaN;
  const start = () => {
    serverStart = serverCpu();
    started = performance.now();
    cpu = process.cpuUsage();
  };
  let stopped: { ms: number; cpuMs: number; serverCpuMs?: number } | undefined;
  const stop = () => {
    const used = process.cpuUsage(cpu);
    const ms = performance.now() - started;
    const server = serverCpu() - serverStart;
    stopped = {
      ms,
      cpuMs: (used.user + used.system) / 1000,
      ...(Number.isNaN(server) ? {} : { serverCpuMs: server }),
    };
  };

  switch (op) {
    case 'land-body': {
      const [project, file] = args as [string, string];
      const config = loadConfig(project, {});
      const body = readFileSync(file);
      start();
      const meta = await landPayload(
        storeOf(config),
        {
          ...SOURCE,
          body,
          request: request('body'),
          response: { status: 200, headers: { 'content-type': 'application/json' } },
          connector: { name: 'bench', version: '0' },
          runId: 'bench-land',
        },
        steppingClock(new Date(HISTORY_START)),
      );
      stop();
      extra = { key: meta.key, bytes: meta.bytes, compressedBytes: meta.compressed_bytes };
      break;
    }
    case 'land-small': {
      const [project, fromText, countText, concurrencyText] = args as [string, string, string, string?];
      const config = loadConfig(project, {});
      const store = storeOf(config);
      const from = Number(fromText);
      const count = Number(countText);
      const concurrency = Number(concurrencyText ?? 16);
      let next = from;
      let bytes = 0;
      start();
      // A few puts at a time: each one fsyncs its body, its sidecar and their folder.
      const worker = async () => {
        while (next < from + count) {
          const n = next++;
          const body = smallFeed(n);
          bytes += body.byteLength;
          await landPayload(
            store,
            {
              ...SOURCE,
              body,
              request: request(String(n)),
              response: { status: 200 },
              connector: { name: 'bench', version: '0' },
              runId: 'bench-land',
            },
            steppingClock(new Date(HISTORY_START + n * STEP_MS)),
          );
        }
      };
      await Promise.all(Array.from({ length: concurrency }, worker));
      stop();
      extra = { objects: count, bytes };
      break;
    }
    case 'build': {
      const [project] = args as [string];
      const config = loadConfig(project, {});
      registerVaultBuilder();
      start();
      const graph = await loadCheckedProject(config, {});
      const selected = selectNodes(graph, { select: [MODEL] });
      const { result } = await runProject({
        config,
        selected,
        command: 'build',
        render: renderNode,
        version: 'bench',
        clock: systemClock,
        warn: (m) => warnings.push(m),
      });
      stop();
      const node = result.results.find((r) => r.uniqueId.endsWith(`.${MODEL}`));
      if (!result.success || node?.status !== 'success') {
        throw new Error(
          `the build failed: ${JSON.stringify(result.results.map((r) => [r.uniqueId, r.status, r.message]))}`,
        );
      }
      const source = result.sources?.[0];
      rows = await modelRows(config);
      extra = {
        rowsAffected: node.rowsAffected,
        objectsRead: source?.objectsRead,
        records: source?.records,
        rejects: source?.rejects,
        quarantined: source?.quarantined.length,
      };
      break;
    }
    case 'ingest': {
      const [project] = args as [string];
      const config = loadConfig(project, {});
      const graph = await loadCheckedProject(config, {});
      const source = [...graph.nodes.values()].find((n): n is SourceNode => n.resourceType === 'source')!;
      const { engine, session } = await openWarehouse(config);
      try {
        // What executePlan does before any node (not part of reading the source).
        await ensureMetaSchema(session);
        const sources = new LandedSources({
          session,
          engine,
          store: storeOf(config),
          clock: systemClock,
          runId: 'bench-ingest',
          warn: (m) => warnings.push(m),
        });
        start();
        const ingest = await sources.ingest(source);
        stop();
        rows = ingest.read.records;
        extra = { objectsRead: ingest.read.objects, rejects: ingest.read.rejects };
      } finally {
        await session.close();
      }
      break;
    }
    case 'floor': {
      const [ndjson, database] = args as [string, string];
      if (database.startsWith('postgres://')) {
        // PostgreSQL's own bulk path, without vaultline: the file streamed into COPY (CSV with a quote
        // and delimiter that never occur, so each line is one field, backslashes kept), parsed once
        // into jsonb by the server, then the typed columns extracted in one CREATE TABLE AS.
        const client = new pg.Client({ connectionString: database });
        await client.connect();
        try {
          await client.query(`CREATE TABLE ${FLOOR_PG_RAW} (doc jsonb)`);
          start();
          await pipeline(
            createReadStream(ndjson),
            client.query(
              copyFrom(
                `COPY ${FLOOR_PG_RAW} (doc) FROM STDIN (FORMAT csv, QUOTE e'\\x01', DELIMITER e'\\x02')`,
              ),
            ),
          );
          await client.query(
            `CREATE TABLE ${FLOOR_PG_TABLE} AS SELECT ${FLOOR_PG_SELECT} FROM ${FLOOR_PG_RAW}`,
          );
          stop();
          await client.query(`DROP TABLE ${FLOOR_PG_RAW}`);
          const { rows: counted } = await client.query<{ n: string }>(
            `SELECT count(*) AS n FROM ${FLOOR_PG_TABLE}`,
          );
          rows = Number(counted[0]?.n ?? -1);
          const { rows: version } = await client.query<{ v: string }>('SHOW server_version');
          extra = { serverVersion: version[0]?.v };
        } finally {
          await client.end();
        }
        break;
      }
      const session = await engineFor('duckdb').open({ type: 'duckdb', path: database }, { projectDir: '.' });
      try {
        start();
        await session.execute(
          `CREATE TABLE t AS SELECT ${FLOOR_SELECT} FROM read_json('${ndjson.replaceAll("'", "''")}', format = 'newline_delimited', columns = ${FLOOR_COLUMNS})`,
        );
        await session.execute('CHECKPOINT');
        stop();
        const [row] = await session.query<{ n: bigint }>('SELECT count(*) AS n FROM t');
        rows = Number(row?.n ?? -1);
        const [version] = await session.query<{ v: string }>('SELECT version() AS v');
        extra = { duckdbVersion: version?.v };
      } finally {
        await session.close();
      }
      break;
    }
    case 'verify': {
      const [project, database] = args as [string, string];
      const config = loadConfig(project, {});
      const { session } = await openWarehouse(config);
      try {
        start();
        const model = session.dialect.relation(session.dialect.defaultSchema, MODEL);
        let floor = FLOOR_PG_TABLE;
        if (config.warehouse.type === 'duckdb') {
          await session.execute(`ATTACH '${database.replaceAll("'", "''")}' AS floor (READ_ONLY)`);
          floor = 'floor.t';
        }
        const [row] = await session.query<{ n: bigint }>(`SELECT count(*) AS n FROM (
          (SELECT ${TYPED_COLUMNS} FROM ${model} EXCEPT ALL SELECT ${TYPED_COLUMNS} FROM ${floor})
          UNION ALL
          (SELECT ${TYPED_COLUMNS} FROM ${floor} EXCEPT ALL SELECT ${TYPED_COLUMNS} FROM ${model})) AS d`);
        stop();
        extra = { difference: Number(row?.n ?? -1) };
      } finally {
        await session.close();
      }
      break;
    }
    default:
      throw new Error(`unknown op ${String(op)}`);
  }
  if (!stopped) throw new Error('not measured');
  process.stdout.write(
    `${JSON.stringify({ op, ...stopped, maxRssMb: process.resourceUsage().maxRSS / 1024, rows, warnings: warnings.length, firstWarnings: warnings.slice(0, 3), ...extra })}\n`,
  );
}

await main();
