import { createHash } from 'node:crypto';
import type { Dialect, Session } from '../../engine/dialect.ts';
import { fitIdentifier } from '../../engine/identifiers.ts';
import type { SourceNode } from '../../project/types.ts';
import { RAW_META_COLUMNS } from '../../records/record-rows.ts';
import { metaTable } from '../meta/schema.ts';
import { sourceRelationName } from '../relations.ts';
import { insertValues, valueLiteral } from '../sql.ts';

/**
 * The raw records tables: schema `vaultline_raw`, one table per source table and generation
 * (`<source>__<table>__g<N>`), holding every record of every landed object read so far, keyed by
 * landing key and record index, typed by the source's contract. A new generation is built when the
 * contract (or the reader) changes, or on --full-refresh, and swapped in at the end in one
 * transaction, so a failed rebuild leaves the previous generation as it was.
 */
export const RAW_SCHEMA = 'vaultline_raw';

/**
 * Bumped whenever the reader would produce different rows from the same bytes and contract: every
 * raw table is then rebuilt from the landing store on its next read.
 */
export const READER_VERSION = 1;

export interface RawTableState {
  generation: number;
  fingerprint: string;
}

/** Fitted to the engine's identifier length: generations of a long source name stay apart. */
export function rawTableName(dialect: Dialect, source: SourceNode, generation: number): string {
  return fitIdentifier(dialect, sourceRelationName(source), `__g${generation}`);
}

/** What the rows of a raw table depend on besides the bytes: a different fingerprint means a rebuild. */
export function contractFingerprint(source: SourceNode): string {
  const basis = JSON.stringify({
    reader: READER_VERSION,
    records: source.records,
    contract: source.contract ?? null,
    recordSource: source.landingPrefix,
  });
  return createHash('sha256').update(basis).digest('hex').slice(0, 16);
}

/** Column definitions of a raw table, in row order (src/records/record-rows.ts). */
export function rawColumns(dialect: Dialect, source: SourceNode): { name: string; type: string }[] {
  const t = (kind: 'text' | 'bigint' | 'timestamp') => dialect.contractType({ kind });
  const meta: Record<(typeof RAW_META_COLUMNS)[number], string> = {
    _landing_key: `${t('text')} NOT NULL`,
    _record_index: `${t('bigint')} NOT NULL`,
    _ingest_seq: `${t('bigint')} NOT NULL`,
    _load_ts: `${t('timestamp')} NOT NULL`,
    _record_source: `${t('text')} NOT NULL`,
    _request_url: t('text'),
    _request_params: dialect.jsonType,
  };
  return [
    ...RAW_META_COLUMNS.map((name) => ({ name, type: meta[name] })),
    { name: '_record', type: dialect.jsonType },
    ...(source.contract?.columns ?? []).map((c) => ({ name: c.name, type: dialect.contractType(c.type) })),
  ];
}

export function createTableStatements(dialect: Dialect, source: SourceNode, name: string): string[] {
  const columns = rawColumns(dialect, source)
    .map((c) => `  ${dialect.quoteIdentifier(c.name)} ${c.type}`)
    .join(',\n');
  return [
    `CREATE SCHEMA IF NOT EXISTS ${dialect.quoteIdentifier(RAW_SCHEMA)}`,
    `CREATE TABLE IF NOT EXISTS ${dialect.relation(RAW_SCHEMA, name)} (\n${columns}\n)`,
  ];
}

export async function loadRawTableState(
  session: Session,
  source: SourceNode,
): Promise<RawTableState | undefined> {
  const d = session.dialect;
  const [row] = await session.query<{ generation: bigint | number; fingerprint: string }>(
    `SELECT generation, fingerprint FROM ${metaTable(d, 'raw_tables')} WHERE source_unique_id = ${d.literal(source.uniqueId)} ORDER BY generation DESC LIMIT 1`,
  );
  return row ? { generation: Number(row.generation), fingerprint: row.fingerprint } : undefined;
}

/** Objects read into a generation: key → facts kept about them. */
export interface RawObject {
  key: string;
  ingestSeq: number;
  sha256: string;
  loadTs: Date;
  status: 'loaded' | 'empty';
  recordCount: number;
  rejectCount: number;
  structure?: string;
  note?: string;
}

/**
 * Objects read into a generation, in ingest order; with `unreadBy`, only those that model has not read
 * yet (per the load audit; an anti-join in the warehouse, so an incremental run does not load the
 * whole history into memory).
 */
export async function loadRawObjects(
  session: Session,
  source: SourceNode,
  generation: number,
  unreadBy?: string,
): Promise<Map<string, RawObject>> {
  const d = session.dialect;
  const unread =
    unreadBy === undefined
      ? ''
      : `\n  AND NOT EXISTS (SELECT 1 FROM ${metaTable(d, 'load_audit')} AS a WHERE a.model_unique_id = ${d.literal(unreadBy)} AND a.source_unique_id = o.source_unique_id AND a.landing_key = o.landing_key)`;
  const rows = await session.query<{
    landing_key: string;
    ingest_seq: bigint | number;
    sha256: string;
    load_ts: Date;
    status: string;
    record_count: bigint | number;
    reject_count: bigint | number;
    structure: string | null;
    note: string | null;
  }>(
    `SELECT landing_key, ingest_seq, sha256, load_ts, status, record_count, reject_count, structure, note
FROM ${metaTable(d, 'raw_objects')} AS o
WHERE source_unique_id = ${d.literal(source.uniqueId)} AND generation = ${generation}${unread}
ORDER BY ingest_seq`,
  );
  const out = new Map<string, RawObject>();
  for (const r of rows) {
    out.set(r.landing_key, {
      key: r.landing_key,
      ingestSeq: Number(r.ingest_seq),
      sha256: r.sha256,
      loadTs: r.load_ts,
      status: r.status === 'empty' ? 'empty' : 'loaded',
      recordCount: Number(r.record_count),
      rejectCount: Number(r.reject_count),
      ...(r.structure !== null ? { structure: r.structure } : {}),
      ...(r.note !== null ? { note: r.note } : {}),
    });
  }
  return out;
}

/**
 * Statements that make `generation` the current one for the source: the older generations' facts
 * are dropped, and their tables (run inside one transaction by the caller). Where views bind early
 * (PostgreSQL), the source's persistent view still reads the previous table and DROP would fail: that
 * table stays, listed in raw_tables under its generation, until the view has been re-pointed at the
 * new one (`staleGenerationStatements`, in the same transaction as the view).
 */
export function swapStatements(
  dialect: Dialect,
  source: SourceNode,
  input: { generation: number; fingerprint: string; previous?: number; now: Date },
): string[] {
  const id = dialect.literal(source.uniqueId);
  const keepPrevious = input.previous !== undefined && !dialect.capabilities.lateBoundViews;
  const out = [
    `DELETE FROM ${metaTable(dialect, 'raw_tables')} WHERE source_unique_id = ${id}${keepPrevious ? ` AND generation <> ${input.previous}` : ''}`,
    `INSERT INTO ${metaTable(dialect, 'raw_tables')} (source_unique_id, generation, fingerprint, created_at) VALUES (${id}, ${input.generation}, ${dialect.literal(input.fingerprint)}, ${valueLiteral(dialect, input.now)})`,
    `DELETE FROM ${metaTable(dialect, 'raw_objects')} WHERE source_unique_id = ${id} AND generation <> ${input.generation}`,
    `DELETE FROM ${metaTable(dialect, 'rejects')} WHERE source_unique_id = ${id} AND generation <> ${input.generation}`,
    `DELETE FROM ${metaTable(dialect, 'listed_partitions')} WHERE source_unique_id = ${id} AND generation <> ${input.generation}`,
  ];
  if (input.previous !== undefined && !keepPrevious) {
    out.push(
      `DROP TABLE IF EXISTS ${dialect.relation(RAW_SCHEMA, rawTableName(dialect, source, input.previous))}`,
    );
  }
  return out;
}

/**
 * The raw tables of generations older than the current one that a swap kept (views bind early: see
 * swapStatements), dropped with their raw_tables rows. Run after the source's persistent view reads
 * the current generation; nothing on engines whose views bind late.
 */
export async function staleGenerationStatements(session: Session, source: SourceNode): Promise<string[]> {
  const d = session.dialect;
  const id = d.literal(source.uniqueId);
  const table = metaTable(d, 'raw_tables');
  const rows = await session.query<{ generation: bigint | number }>(
    `SELECT generation FROM ${table} WHERE source_unique_id = ${id} AND generation < (SELECT max(generation) FROM ${table} WHERE source_unique_id = ${id})`,
  );
  return rows.flatMap(({ generation }) => [
    `DROP TABLE IF EXISTS ${d.relation(RAW_SCHEMA, rawTableName(d, source, Number(generation)))}`,
    `DELETE FROM ${table} WHERE source_unique_id = ${id} AND generation = ${Number(generation)}`,
  ]);
}

/** Leftovers of a rebuild that did not finish: rows and the table of generations above the current. */
export function abandonedGenerationStatements(
  dialect: Dialect,
  source: SourceNode,
  generation: number,
): string[] {
  const id = dialect.literal(source.uniqueId);
  return [
    `DELETE FROM ${metaTable(dialect, 'raw_objects')} WHERE source_unique_id = ${id} AND generation = ${generation}`,
    `DELETE FROM ${metaTable(dialect, 'rejects')} WHERE source_unique_id = ${id} AND generation = ${generation}`,
    `DELETE FROM ${metaTable(dialect, 'listed_partitions')} WHERE source_unique_id = ${id} AND generation = ${generation}`,
    `DROP TABLE IF EXISTS ${dialect.relation(RAW_SCHEMA, rawTableName(dialect, source, generation))}`,
  ];
}

/** Landing keys already read into a generation, only under `prefixes` when given. */
export async function readKeys(
  session: Session,
  source: SourceNode,
  generation: number,
  prefixes: string[] | undefined,
): Promise<Set<string>> {
  const d = session.dialect;
  const under =
    prefixes === undefined
      ? ''
      : ` AND (${prefixes.map((p) => `starts_with(landing_key, ${d.literal(p)})`).join(' OR ')})`;
  const rows = await session.query<{ landing_key: string }>(
    `SELECT landing_key FROM ${metaTable(d, 'raw_objects')} WHERE source_unique_id = ${d.literal(source.uniqueId)} AND generation = ${generation}${under}`,
  );
  return new Set(rows.map((r) => r.landing_key));
}

/** The highest ingest sequence number of a generation (0 when empty) and its object count. */
export async function generationStats(
  session: Session,
  source: SourceNode,
  generation: number,
): Promise<{ maxSeq: number; objects: number }> {
  const d = session.dialect;
  const [row] = await session.query<{ max_seq: bigint | number | null; n: bigint | number }>(
    `SELECT max(ingest_seq) AS max_seq, count(*) AS n FROM ${metaTable(d, 'raw_objects')} WHERE source_unique_id = ${d.literal(source.uniqueId)} AND generation = ${generation}`,
  );
  return { maxSeq: Number(row?.max_seq ?? 0), objects: Number(row?.n ?? 0) };
}

/** Change tokens of the partitions last listed in full for a generation. */
export async function partitionTokens(
  session: Session,
  source: SourceNode,
  generation: number,
): Promise<Map<string, string>> {
  const d = session.dialect;
  const rows = await session.query<{ partition_prefix: string; token: string }>(
    `SELECT partition_prefix, token FROM ${metaTable(d, 'listed_partitions')} WHERE source_unique_id = ${d.literal(source.uniqueId)} AND generation = ${generation}`,
  );
  return new Map(rows.map((r) => [r.partition_prefix, r.token]));
}

export function partitionTokenStatements(
  dialect: Dialect,
  source: SourceNode,
  generation: number,
  tokens: { prefix: string; token: string }[],
  now: Date,
): string[] {
  if (tokens.length === 0) return [];
  const table = metaTable(dialect, 'listed_partitions');
  const id = dialect.literal(source.uniqueId);
  return [
    `DELETE FROM ${table} WHERE source_unique_id = ${id} AND generation = ${generation} AND partition_prefix IN (${tokens.map((t) => dialect.literal(t.prefix)).join(', ')})`,
    ...insertValues(
      dialect,
      table,
      ['source_unique_id', 'generation', 'partition_prefix', 'token', 'listed_at'],
      tokens.map((t) => [source.uniqueId, generation, t.prefix, t.token, now]),
    ),
  ];
}
