import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { Session } from '../../engine/dialect.ts';
import type { Engine } from '../../engine/engine.ts';
import { ChecksumMismatchError, CorruptObjectError } from '../../landing/errors.ts';
import type { LandingMetadata } from '../../landing/metadata.ts';
import type { SourceNode } from '../../project/types.ts';
import { formatJsonPath } from '../../records/json-path.ts';
import {
  type ContainerState,
  type ParsedRecord,
  PayloadReadError,
  RecordsReader,
} from '../../records/json-records.ts';
import { type Reject, RejectedValueError, RowBuilder } from '../../records/record-rows.ts';
import { timestampText } from '../../shared/timestamp-text.ts';
import { META_SCHEMA, metaTable } from '../meta/schema.ts';
import { insertValues } from '../sql.ts';
import { RAW_SCHEMA } from './raw-tables.ts';

/**
 * Reads one landed object into a raw records table, streaming: the gzip body is inflated chunk by
 * chunk, hashed as it goes, split into records by RecordsReader and appended in batches through the
 * engine's bulk path — memory follows the largest record (and one batch), never the body. Everything
 * the object writes (its rows, its rejects, its raw_objects row) is one transaction: an object that
 * turns out unreadable halfway (corrupt, too deep, a failing value) leaves nothing behind and is
 * reported as quarantined instead.
 */
export type ObjectOutcome =
  | {
      status: 'loaded' | 'empty';
      records: number;
      rejects: number;
      /** Up to a few rejects of this object, for the run summary. */
      rejectSamples: Reject[];
      note?: string;
    }
  | { status: 'quarantined'; reason: string };

export interface ReadObjectInput {
  session: Session;
  engine: Engine;
  source: SourceNode;
  key: string;
  meta: LandingMetadata;
  table: string;
  generation: number;
  ingestSeq: number;
  runId: string;
  now: Date;
  /** The body's bytes as chunks: the landed gzip file inflated, or a compacted row's payload. */
  body: () => Promise<AsyncIterable<Uint8Array>>;
}

/** Rows appended per bulk call (bounded memory; big enough that the call overhead disappears). */
const BATCH_ROWS = 2048;
const BATCH_CHARS = 8 * 1024 * 1024;
const REJECT_SAMPLES = 5;

/** The gzip body of a local file, inflated, as chunks. */
export function gzipFileChunks(path: string): AsyncIterable<Uint8Array> {
  const inflate = createGunzip({ chunkSize: 256 * 1024 });
  // pipeline carries a read error into the inflater, where the consumer's iteration sees it; the
  // listener keeps an error raised after the consumer stopped reading (a reader that refused the
  // body early, then a damaged gzip trailer) from being an unhandled 'error' event.
  pipeline(createReadStream(path, { highWaterMark: 256 * 1024 }), inflate, () => {});
  inflate.on('error', () => {});
  return inflate;
}

/** JSON text that may hold a surrogate escape (cheap test; the value is walked only then). */
const SURROGATE_ESCAPE = /\\u[dD][89a-fA-F]/;

/** Node 20 has String.prototype.isWellFormed (ES2024); the project's lib is older. */
const isWellFormed = (text: string): boolean =>
  (text as unknown as { isWellFormed(): boolean }).isWellFormed();

/** Every string (and key) of a parsed value is well-formed Unicode (no lone surrogate). */
function wellFormed(value: unknown): boolean {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === 'string') {
      if (!isWellFormed(v)) return false;
    } else if (Array.isArray(v)) {
      for (const item of v) stack.push(item);
    } else if (v !== null && typeof v === 'object') {
      for (const [k, item] of Object.entries(v)) {
        if (!isWellFormed(k)) return false;
        stack.push(item);
      }
    }
  }
  return true;
}

/**
 * The landed object's own body cannot be had intact (a checksum mismatch of the store's verified
 * read, e.g. S3's cache): the object is quarantined. A damaged compacted *artifact* is not this —
 * the landed JSON is still there — and stops the build instead (compaction/errors.ts).
 */
export class DamagedBodyError extends Error {}

/** The gzip body of a landed object, inflated; a store-level checksum failure becomes DamagedBodyError. */
export async function landedBody(localPath: () => Promise<string>): Promise<AsyncIterable<Uint8Array>> {
  try {
    return gzipFileChunks(await localPath());
  } catch (error) {
    if (error instanceof ChecksumMismatchError || error instanceof CorruptObjectError)
      throw new DamagedBodyError(error.message, { cause: error });
    throw error;
  }
}

/** zlib's errors (a damaged gzip stream) carry codes `Z_…`. */
function isInflateError(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' && code.startsWith('Z_');
}

/** A problem with the payload itself (not with the warehouse): the object is quarantined. */
class UnreadablePayload extends Error {}

export async function readObject(input: ReadObjectInput): Promise<ObjectOutcome> {
  const { session, meta } = input;
  if (!meta.valid_json) {
    return {
      status: 'quarantined',
      reason: `not valid JSON when landed (sidecar valid_json: false${meta.parse_error ? `: ${meta.parse_error}` : ''})`,
    };
  }
  // The body is opened before the transaction: fetching it may need the session (a compacted row).
  let chunks: AsyncIterable<Uint8Array>;
  try {
    chunks = await input.body();
  } catch (error) {
    if (error instanceof DamagedBodyError)
      return { status: 'quarantined', reason: damaged(error.message.split('. ')[0] ?? error.message) };
    throw error;
  }
  try {
    return await session.transaction((tx) => readInto(tx, input, chunks));
  } catch (error) {
    if (error instanceof UnreadablePayload) return { status: 'quarantined', reason: error.message };
    if (error instanceof PayloadReadError) return { status: 'quarantined', reason: describeReadError(error) };
    if (error instanceof RejectedValueError) return { status: 'quarantined', reason: error.message };
    throw error;
  }
}

function describeReadError(error: PayloadReadError): string {
  // The message names the path (shortened when deep) and the byte offset.
  switch (error.code) {
    case 'too_deep':
      return `too deeply nested: ${error.message}; raise max_depth on the source table only if payloads are really meant to be this deep`;
    case 'not_utf8':
      return `not valid UTF-8: ${error.message}`;
    default:
      return `does not parse: ${error.message}`;
  }
}

/** Thrown inside a group's transaction when one of its objects cannot be read: the group is redone one by one. */
class RedoSingly extends Error {}

/**
 * Reads several small objects in ONE transaction (a transaction per object costs more than reading a
 * few KB). All or nothing: when any of them cannot be read, the transaction is rolled back and
 * undefined returned — the caller then reads them one by one, so the bad one is quarantined alone.
 * Bodies must not need the session to be fetched (gzip bodies, not compacted rows).
 */
export async function readTogether(inputs: ReadObjectInput[]): Promise<ObjectOutcome[] | undefined> {
  const [first] = inputs;
  if (!first || inputs.some((i) => !i.meta.valid_json)) return undefined;
  try {
    return await first.session.transaction(async (tx) => {
      const out: ObjectOutcome[] = [];
      for (const input of inputs) {
        try {
          out.push(await readInto(tx, input, await input.body()));
        } catch (error) {
          if (
            error instanceof UnreadablePayload ||
            error instanceof PayloadReadError ||
            error instanceof RejectedValueError ||
            error instanceof DamagedBodyError
          )
            throw new RedoSingly();
          throw error;
        }
      }
      return out;
    });
  } catch (error) {
    if (error instanceof RedoSingly) return undefined;
    throw error;
  }
}

function damaged(problem: string): string {
  return `the stored body cannot be read (${problem}): the object is damaged in the landing store; it is kept as it is (write-once) — land the payload again (it gets a new key) and leave this one quarantined`;
}

async function readInto(
  tx: Session,
  input: ReadObjectInput,
  chunks: AsyncIterable<Uint8Array>,
): Promise<ObjectOutcome> {
  const { source, key, meta, table } = input;
  const d = tx.dialect;
  const spec = source.records;
  const builder = new RowBuilder(
    {
      key,
      ingestSeq: input.ingestSeq,
      loadTs: timestampText(new Date(meta.load_ts)),
      recordSource: source.landingPrefix.replace(/\/+$/, ''),
      requestUrl: meta.request.url,
      requestParams: JSON.stringify(meta.request.params ?? {}),
    },
    source.contract,
  );
  const documentPaths = builder.documentPaths();
  // A whole-document source (`sql:`): the payload is its one record.
  const wholeDocument = spec.layout === 'document';
  const reader = new RecordsReader({
    ...(spec.container !== undefined && !wholeDocument ? { container: spec.container } : {}),
    ...(documentPaths.length > 0 ? { documentPaths } : {}),
    layout: spec.layout,
    maxDepth: spec.maxDepth,
  });

  let rows: (string | null)[][] = [];
  let chars = 0;
  let records = 0;
  const rejects: Reject[] = [];
  const samples: Reject[] = [];
  let rejectTotal = 0;
  const flush = async () => {
    if (rows.length > 0) await tx.append(RAW_SCHEMA, table, rows);
    rows = [];
    chars = 0;
    if (rejects.length > 0) {
      for (const r of rejects) if (samples.length < REJECT_SAMPLES) samples.push(r);
      rejectTotal += rejects.length;
      await tx.append(
        META_SCHEMA,
        'rejects',
        rejects.map((r) => [
          source.uniqueId,
          String(input.generation),
          r.key,
          String(r.recordIndex),
          r.column,
          r.path,
          r.dataType,
          r.rawValue,
          r.reason,
          input.runId,
          timestampText(input.now),
        ]),
      );
      rejects.length = 0;
    }
  };
  const take = async (batch: ParsedRecord[]) => {
    for (const record of batch) {
      if (SURROGATE_ESCAPE.test(record.text) && !wellFormed(record.value)) {
        throw new UnreadablePayload(
          `record ${record.index} holds a lone UTF-16 surrogate escape (e.g. "\\ud800"): not valid Unicode, so no warehouse can store it as text or JSON`,
        );
      }
      const row = builder.row(record, rejects);
      rows.push(row);
      chars += record.text.length;
      records++;
      if (rows.length >= BATCH_ROWS || chars >= BATCH_CHARS) await flush();
    }
  };

  const hash = createHash('sha256');
  let bytes = 0;
  // A payload problem met halfway is held until the whole body has been hashed: a body damaged in the
  // store often inflates to garbage that fails to parse, and the reason to report is then the damage.
  let problem: unknown;
  try {
    for await (const chunk of chunks) {
      const view = chunk as Uint8Array;
      hash.update(view);
      bytes += view.byteLength;
      if (problem !== undefined) continue;
      try {
        await take(reader.push(view));
      } catch (error) {
        if (!(error instanceof PayloadReadError || error instanceof RejectedValueError)) throw error;
        problem = error;
      }
    }
  } catch (error) {
    if (isInflateError(error)) throw new UnreadablePayload(damaged((error as Error).message));
    throw error;
  }
  const sha256 = hash.digest('hex');
  if (sha256 !== meta.sha256 || bytes !== meta.bytes) {
    throw new UnreadablePayload(
      damaged(
        `it does not match its sidecar: sha256 ${sha256.slice(0, 12)}…, ${bytes} bytes; the sidecar says ${meta.sha256.slice(0, 12)}…, ${meta.bytes} bytes`,
      ),
    );
  }
  if (problem !== undefined) throw problem;
  await take(reader.end());

  let note: string | undefined;
  if (!wholeDocument && spec.container !== undefined) {
    const state = reader.containerState;
    if (state === 'missing' || state === 'not_array') {
      if (meta.no_data) note = `no data: ${meta.no_data}`;
      else if (spec.missing === 'empty')
        note = `records path ${formatJsonPath(spec.container)} ${describeState(state, spec.layout)}: read as no records (missing_records: empty)`;
      else {
        throw new UnreadablePayload(
          `records path ${formatJsonPath(spec.container)} ${describeState(state, spec.layout)} in this payload${meta.response ? ` (HTTP ${meta.response.status})` : ''}; if such payloads mean "no records", set missing_records: empty on the source table`,
        );
      }
    } else if (state === 'null') note = `records path ${formatJsonPath(spec.container)} is null: no records`;
  }
  if (note === undefined && meta.no_data) note = `no data: ${meta.no_data}`;

  if (builder.hasDocumentColumns) {
    builder.setDocumentValues(reader.documentValues(), rejects);
    const sets = builder
      .documentAssignments()
      .filter((a) => a.text !== null)
      .map(
        (a) =>
          `${d.quoteIdentifier(a.column.name)} = CAST(${d.literal(a.text)} AS ${d.contractType(a.column.type)})`,
      );
    if (sets.length > 0 && records > 0) {
      // Appended rows get the payload-level values now: they may come after the records in the body.
      await flush();
      await tx.execute(
        `UPDATE ${d.relation(RAW_SCHEMA, table)} SET ${sets.join(', ')} WHERE _ingest_seq = ${input.ingestSeq}`,
      );
    }
  }
  await flush();

  const missing = Object.fromEntries(builder.missing);
  const structure = source.contract
    ? undefined
    : await structureOf(tx, input.engine, table, input.ingestSeq, records);
  const status = records > 0 ? 'loaded' : 'empty';
  for (const statement of insertValues(
    d,
    metaTable(d, 'raw_objects'),
    [
      'source_unique_id',
      'generation',
      'landing_key',
      'ingest_seq',
      'sha256',
      'load_ts',
      'bytes',
      'status',
      'record_count',
      'reject_count',
      'missing',
      'structure',
      'note',
      'run_id',
      'read_at',
    ],
    [
      [
        source.uniqueId,
        input.generation,
        key,
        input.ingestSeq,
        meta.sha256,
        new Date(meta.load_ts),
        meta.bytes,
        status,
        records,
        rejectTotal,
        Object.keys(missing).length > 0 ? JSON.stringify(missing) : null,
        structure ?? null,
        note ?? null,
        input.runId,
        input.now,
      ],
    ],
  )) {
    await tx.execute(statement);
  }
  return {
    status,
    records,
    rejects: rejectTotal,
    rejectSamples: samples,
    ...(note !== undefined ? { note } : {}),
  };
}

function describeState(state: ContainerState, layout: string): string {
  if (state === 'missing') return 'is missing';
  return layout === 'columns' ? 'is not an object of arrays' : 'is not an array';
}

/**
 * The records' merged JSON structure (engine-specific text, opaque here), for sources without a
 * declared contract: their columns are inferred from every object's structure.
 */
async function structureOf(
  tx: Session,
  engine: Engine,
  table: string,
  ingestSeq: number,
  records: number,
): Promise<string | undefined> {
  if (records === 0) return undefined;
  const rows = await tx.query<{ structure: string | null }>(
    engine.landedJson.recordsStructure(tx.dialect.relation(RAW_SCHEMA, table), ingestSeq),
  );
  return rows[0]?.structure ?? undefined;
}
