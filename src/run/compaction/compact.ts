import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Session } from '../../engine/dialect.ts';
import type { Engine } from '../../engine/engine.ts';
import { AlreadyExistsError } from '../../landing/errors.ts';
import { parseLandingKey } from '../../landing/keys.ts';
import type { LandingStore } from '../../landing/store.ts';
import type { Clock } from '../../shared/clock.ts';
import { VaultlineError } from '../../shared/errors.ts';
import { loadCompactedIndex } from './compacted-index.ts';
import { checkDocuments } from './documents.ts';
import { compactedKeys } from './layout.ts';
import { COMPACTED_COLUMNS, type CompactionManifest } from './manifest.ts';
import { closedCutoff, isClosedMonth, monthOfLoadDate } from './months.ts';
import { type StagedObject, stageObjects } from './stage.ts';

export const DEFAULT_ROW_GROUP_SIZE = 100_000;

export interface CompactOptions {
  store: LandingStore;
  engine: Engine;
  clock: Clock;
  /** vaultline's version, recorded in each manifest. */
  version: string;
  source?: string;
  resource?: string;
  /** `YYYY-MM-DD`: only months that end on or before this date (and before the current month). */
  before?: string;
  dryRun?: boolean;
  rowGroupSize?: number;
  /** Scratch space for the staged file, DuckDB's scratch database and the Parquet file before upload. */
  workDir?: string;
  onProgress?: (message: string) => void;
  warn?: (message: string) => void;
}

export type MonthStatus = 'compacted' | 'up_to_date' | 'would_compact' | 'json_only';

/** One source, resource and closed month. */
export interface MonthSummary {
  source: string;
  resource: string;
  month: string;
  status: MonthStatus;
  /** Objects written to Parquet by this run (dry run: that would be staged). */
  objects: number;
  /** Objects of the month already in a committed compacted file. */
  alreadyCompacted: number;
  /** Objects left JSON-only (by this run or an earlier one), with the reason. */
  jsonOnly: { key: string; reason: string }[];
  /** Stored (gzip) size of the objects written — what the Parquet file replaces for readers. */
  bytesJsonGz: number;
  /** Uncompressed size of those objects. */
  bytesJson: number;
  bytesParquet: number | null;
  rowGroups: number | null;
  parquetKey: string | null;
  manifestKey: string | null;
}

export interface CompactionReport {
  /** Months ending on or before this date (exclusive upper bound, UTC) were considered. */
  cutoff: string;
  dryRun: boolean;
  rowGroupSize: number;
  months: MonthSummary[];
}

interface MonthGroup {
  source: string;
  resource: string;
  month: string;
  objects: { key: string; size: number }[];
}

const STAGED_TABLE = '__vl_compact_staged';

/**
 * `vaultline compact`: writes the landed JSON of closed months into Parquet, one file per source,
 * resource and month, next to the raw JSON (which stays: the store is write-once). Each run compacts
 * only objects no committed manifest covers, so a month that gained late objects gets a second, smaller
 * file. See CONTEXT.md for why the results are identical by construction.
 */
export async function compactStore(options: CompactOptions): Promise<CompactionReport> {
  const { store, clock } = options;
  const rowGroupSize = options.rowGroupSize ?? DEFAULT_ROW_GROUP_SIZE;
  const progress = options.onProgress ?? (() => undefined);
  const cutoff = closedCutoff(clock.now(), options.before);
  const prefix = options.source ? `${options.source}/${options.resource ? `${options.resource}/` : ''}` : '';
  const groups = await closedMonthGroups(store, prefix, cutoff, options.resource);
  const index = await loadCompactedIndex(store, prefix, options.warn ?? progress);
  const report: CompactionReport = {
    cutoff: cutoff.toISOString().slice(0, 10),
    dryRun: options.dryRun === true,
    rowGroupSize,
    months: [],
  };
  let scratch: { dir: string; session: Session } | undefined;
  try {
    for (const group of groups) {
      const earlierJsonOnly = group.objects
        .filter((o) => !index.byKey.has(o.key) && index.jsonOnly.has(o.key))
        .map((o) => ({ key: o.key, reason: index.jsonOnly.get(o.key)! }));
      const pending = group.objects.filter((o) => !index.byKey.has(o.key) && !index.jsonOnly.has(o.key));
      const summary: MonthSummary = {
        source: group.source,
        resource: group.resource,
        month: group.month,
        status: 'up_to_date',
        objects: 0,
        alreadyCompacted: group.objects.filter((o) => index.byKey.has(o.key)).length,
        jsonOnly: earlierJsonOnly,
        bytesJsonGz: 0,
        bytesJson: 0,
        bytesParquet: null,
        rowGroups: null,
        parquetKey: null,
        manifestKey: null,
      };
      report.months.push(summary);
      if (pending.length === 0) continue;
      const label = `${group.source}/${group.resource} ${group.month}`;
      if (options.dryRun) {
        summary.status = 'would_compact';
        summary.objects = pending.length;
        summary.bytesJsonGz = pending.reduce((sum, o) => sum + o.size, 0);
        continue;
      }
      if (!scratch) {
        const dir = await mkdtemp(join(options.workDir ?? tmpdir(), 'vaultline-compact-'));
        scratch = { dir, session: await options.engine.openScratch(join(dir, 'scratch.db')) };
      }
      progress(`${label}: staging ${pending.length} object(s)…`);
      await compactMonth({ ...options, rowGroupSize }, scratch, group, pending, summary);
      progress(
        summary.status === 'compacted'
          ? `${label}: wrote ${summary.parquetKey} (${summary.objects} row(s) in ${summary.rowGroups} row group(s))`
          : `${label}: nothing compacted; ${summary.jsonOnly.length} object(s) stay JSON-only`,
      );
    }
  } finally {
    if (scratch) {
      await scratch.session.close();
      await rm(scratch.dir, { recursive: true, force: true });
    }
  }
  return report;
}

/** Committed objects under `prefix` in closed months, grouped by source, resource and month. */
async function closedMonthGroups(
  store: LandingStore,
  prefix: string,
  cutoff: Date,
  resource: string | undefined,
): Promise<MonthGroup[]> {
  const groups = new Map<string, MonthGroup>();
  for await (const object of store.list(prefix)) {
    const parts = parseLandingKey(object.key);
    if (!parts || (resource !== undefined && parts.resource !== resource)) continue;
    const month = monthOfLoadDate(parts.loadDate);
    if (!isClosedMonth(month, cutoff)) continue;
    const id = `${parts.source}/${parts.resource}/${month}`;
    let group = groups.get(id);
    if (!group) {
      group = { source: parts.source, resource: parts.resource, month, objects: [] };
      groups.set(id, group);
    }
    group.objects.push({ key: object.key, size: object.size });
  }
  const byKey = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const out = [...groups.entries()].sort(([a], [b]) => byKey(a, b)).map(([, g]) => g);
  // Key order is row order in the Parquet file (some stores list in another order).
  for (const group of out) group.objects.sort((a, b) => byKey(a.key, b.key));
  return out;
}

async function compactMonth(
  options: CompactOptions & { rowGroupSize: number },
  scratch: { dir: string; session: Session },
  group: MonthGroup,
  pending: { key: string; size: number }[],
  summary: MonthSummary,
): Promise<void> {
  const { store, engine, clock } = options;
  const { session } = scratch;
  const sql = engine.compaction;
  const stagingFile = join(scratch.dir, `${group.source}__${group.resource}__${group.month}.ndjson.gz`);
  const staging = await stageObjects(store, pending, stagingFile);
  const jsonOnly = [...staging.jsonOnly];
  for (const statement of sql.load({
    staging: stagingFile,
    table: STAGED_TABLE,
    maxLineBytes: staging.maxLineBytes,
  }))
    await session.execute(statement);
  const badHashes = await session.query<{ key: string }>(sql.hashMismatches(STAGED_TABLE));
  if (badHashes.length > 0) {
    throw new VaultlineError(
      `compaction of ${group.source}/${group.resource} ${group.month} stopped: the staged text of ${badHashes[0]!.key} does not hash to its sidecar's sha256 (${badHashes.length} object(s) affected); nothing was written. This is a bug in vaultline; please report it with the key.`,
    );
  }
  const readable = staging.staged.filter((o) => o.meta.valid_json);
  const facts = await checkDocuments(session, engine, STAGED_TABLE, readable);
  for (const object of readable) {
    const fact = facts.get(object.key);
    const reason =
      fact === undefined || 'error' in fact
        ? `the landed-JSON reader cannot read its body (${fact && 'error' in fact ? fact.error : 'no result'}); builds read and skip it as before`
        : fact.documents !== 1
          ? `its body holds ${fact.documents} JSON documents; a compacted row holds exactly one`
          : !fact.same
            ? 'its compacted text would not read as exactly the document read from its gzip body'
            : undefined;
    if (reason) jsonOnly.push({ key: object.key, sha256: object.meta.sha256, reason });
  }
  const left = new Set(jsonOnly.map((o) => o.key));
  const stagedKeys = new Set(staging.staged.map((o) => o.key));
  for (const statement of sql.exclude(
    STAGED_TABLE,
    [...left].filter((key) => stagedKeys.has(key)),
  ))
    await session.execute(statement);
  const included = staging.staged.filter((o) => !left.has(o.key));
  summary.jsonOnly.push(...jsonOnly.map(({ key, reason }) => ({ key, reason })));
  if (included.length === 0) {
    summary.status = 'json_only';
    return;
  }
  const out = join(scratch.dir, `${group.source}__${group.resource}__${group.month}.parquet`);
  await session.execute(sql.copy({ table: STAGED_TABLE, out, rowGroupSize: options.rowGroupSize }));
  await checkWritten(session, engine, out, included, group);
  const [groupsRow] = await session.query<{ row_groups: bigint | number }>(sql.rowGroups(out));
  const rowGroups = Number(groupsRow?.row_groups ?? 0);
  // The Parquet file first, then its manifest: the manifest is the commit point.
  const { keys, stored } = await putParquet(store, clock, group, out);
  const manifest: CompactionManifest = {
    format_version: 1,
    kind: 'vaultline.compacted_month',
    source: group.source,
    resource: group.resource,
    month: group.month,
    parquet: {
      key: keys.parquet,
      sha256: stored.sha256,
      bytes: stored.bytes,
      rows: included.length,
      row_groups: rowGroups,
      row_group_size: options.rowGroupSize,
      compression: 'zstd',
      columns: [...COMPACTED_COLUMNS],
    },
    objects: included.map((o) => ({
      key: o.key,
      sha256: o.meta.sha256,
      bytes: o.meta.bytes,
      compressed_bytes: o.compressedBytes,
      load_ts: o.meta.load_ts,
    })),
    json_only: jsonOnly,
    created_at: clock.now().toISOString(),
    vaultline_version: options.version,
    engine: engine.dialect.name,
  };
  await store.putArtifact(keys.manifest, Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`));
  Object.assign(summary, {
    status: 'compacted',
    objects: included.length,
    bytesJsonGz: included.reduce((sum, o) => sum + o.compressedBytes, 0),
    bytesJson: included.reduce((sum, o) => sum + o.meta.bytes, 0),
    bytesParquet: stored.bytes,
    rowGroups,
    parquetKey: keys.parquet,
    manifestKey: keys.manifest,
  } satisfies Partial<MonthSummary>);
}

/** Reads the written file back: exactly the included keys, in key order, each payload hashing to its sha256. */
async function checkWritten(
  session: Session,
  engine: Engine,
  out: string,
  included: StagedObject[],
  group: MonthGroup,
): Promise<void> {
  const rows = await session.query<{ key: string; sha256: string; ok: boolean }>(
    engine.compaction.written(out),
  );
  const expected = [...included].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const problem =
    rows.length !== expected.length
      ? `it has ${rows.length} row(s) for ${expected.length} object(s)`
      : rows
          .map((row, i) => {
            const want = expected[i]!;
            if (row.key !== want.key) return `row ${i + 1} is ${row.key}, expected ${want.key}`;
            if (row.sha256 !== want.meta.sha256 || !row.ok)
              return `the row of ${row.key} does not match its landed body`;
            return undefined;
          })
          .find((p) => p !== undefined);
  if (problem) {
    throw new VaultlineError(
      `compaction of ${group.source}/${group.resource} ${group.month} stopped before anything was stored: the Parquet file written by the engine failed its check (${problem}). This is a bug in vaultline; please report it.`,
    );
  }
}

/** Stores the file under a fresh `<compact_ts>.parquet` key; a taken key (a concurrent run) moves 1 ms on. */
async function putParquet(store: LandingStore, clock: Clock, group: MonthGroup, file: string) {
  const start = clock.now();
  for (let attempt = 0; ; attempt++) {
    const keys = compactedKeys(
      group.source,
      group.resource,
      group.month,
      new Date(start.getTime() + attempt),
    );
    try {
      const stored = await store.putArtifact(keys.parquet, { file });
      return { keys, stored };
    } catch (error) {
      if (error instanceof AlreadyExistsError && attempt < 50) continue;
      throw error;
    }
  }
}
