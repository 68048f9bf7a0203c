import type { Session } from '../../engine/dialect.ts';
import type { Engine } from '../../engine/engine.ts';
import type { LandingMetadata } from '../../landing/metadata.ts';
import type { LandingStore } from '../../landing/store.ts';
import type { SourceNode } from '../../project/types.ts';
import type { Reject } from '../../records/record-rows.ts';
import type { Clock } from '../../shared/clock.ts';
import type { CompactedObjects } from './compacted.ts';
import { type QuarantineEntry, quarantinedObjects, quarantineStatements } from './quarantine.ts';
import {
  abandonedGenerationStatements,
  contractFingerprint,
  createTableStatements,
  generationStats,
  loadRawObjects,
  loadRawTableState,
  partitionTokenStatements,
  partitionTokens,
  RAW_SCHEMA,
  type RawObject,
  rawTableName,
  readKeys,
  swapStatements,
} from './raw-tables.ts';
import {
  landedBody,
  type ObjectOutcome,
  type ReadObjectInput,
  readObject,
  readTogether,
} from './read-object.ts';

/** What reading one source's new landed objects did in this run, and where its records are now. */
export interface SourceIngest {
  source: SourceNode;
  /** The raw records table of the current generation, quoted. */
  table: string;
  generation: number;
  /** How many objects the table holds (loaded or empty). */
  objectCount: number;
  /** Every object read into the table, in ingest order (loaded on first use: full reads need it). */
  allObjects(): Promise<RawObject[]>;
  /** The objects a model has not read yet, per the load audit (incremental runs). */
  unreadBy(modelUniqueId: string): Promise<RawObject[]>;
  /** Objects in quarantine now (not released), including those quarantined by this run. */
  quarantined: QuarantineEntry[];
  /** Read in this run. */
  read: { objects: number; records: number; rejects: number; rejectSamples: Reject[] };
  /** Quarantined in this run. */
  newlyQuarantined: QuarantineEntry[];
  /** True when this run rebuilt the table from the whole landing store (new contract, --full-refresh). */
  rebuilt: boolean;
}

export interface IngestOptions {
  session: Session;
  engine: Engine;
  store: LandingStore;
  clock: Clock;
  runId: string;
  compacted: CompactedObjects;
  warn: (message: string) => void;
  /** Progress for long reads (objects done of total). */
  progress?: (source: SourceNode, done: number, total: number) => void;
}

/**
 * Brings one source's raw records table up to date with the landing store: lists the source's prefix,
 * reads every object not read yet (and not quarantined) in key order, one transaction per object (or per
 * group of small objects, all or nothing). With
 * a new contract fingerprint (or `rebuild`), a new generation is read from every object and swapped in
 * at the end in one transaction; until then readers keep the previous one.
 */
export async function ingestSource(
  options: IngestOptions,
  source: SourceNode,
  rebuild: boolean,
): Promise<SourceIngest> {
  const { session, clock } = options;
  const d = session.dialect;
  const fingerprint = contractFingerprint(source);
  const state = await loadRawTableState(session, source);
  const current = state && state.fingerprint === fingerprint && !rebuild ? state.generation : undefined;
  const generation = current ?? (state?.generation ?? 0) + 1;
  const table = rawTableName(d, source, generation);
  await session.transaction(async (tx) => {
    // A rebuild that did not finish (killed, failed) left a newer generation behind: start it over.
    if (current === undefined)
      for (const statement of abandonedGenerationStatements(d, source, generation))
        await tx.execute(statement);
    for (const statement of createTableStatements(d, source, table)) await tx.execute(statement);
  });
  if (state && current === undefined) {
    options.warn(
      `source ${source.sourceName}.${source.tableName}: ${rebuild ? 'rebuilding' : 'its contract changed; rebuilding'} its raw records from every landed payload`,
    );
  }

  const quarantine = await quarantinedObjects(session, source.uniqueId);
  const stats = await generationStats(session, source, generation);
  let nextSeq = stats.maxSeq + 1;
  const prefix = `${source.landingPrefix.replace(/\/+$/, '')}/`;
  const { fresh, tokens } = await newKeys(options, source, generation, prefix, quarantine);
  const compacted = fresh.length > 0 ? (await options.compacted.index(prefix)).byKey : new Map();

  const read: SourceIngest['read'] = { objects: 0, records: 0, rejects: 0, rejectSamples: [] };
  const newlyQuarantined: QuarantineEntry[] = [];
  const inputFor = (key: string, meta: LandingMetadata, ingestSeq: number, now: Date): ReadObjectInput => {
    const ref = compacted.get(key);
    return {
      session,
      engine: options.engine,
      source,
      key,
      meta,
      table,
      generation,
      ingestSeq,
      runId: options.runId,
      now,
      body: ref
        ? () => compactedBody(options, ref, meta)
        : () => landedBody(() => options.store.bodyPath(key)),
    };
  };
  const record = async (key: string, meta: LandingMetadata, now: Date, outcome: ObjectOutcome) => {
    if (outcome.status === 'quarantined') {
      const entry: QuarantineEntry = {
        sourceUniqueId: source.uniqueId,
        key,
        sha256: meta.sha256,
        reason: outcome.reason,
        quarantinedAt: now,
        runId: options.runId,
      };
      for (const statement of quarantineStatements(session, [entry])) await session.execute(statement);
      quarantine.set(key, entry);
      newlyQuarantined.push(entry);
      options.warn(`source ${source.sourceName}.${source.tableName}: quarantined ${key}: ${outcome.reason}`);
      return;
    }
    nextSeq++;
    read.objects++;
    read.records += outcome.records;
    read.rejects += outcome.rejects;
    for (const r of outcome.rejectSamples) if (read.rejectSamples.length < 10) read.rejectSamples.push(r);
    if (outcome.rejects > 0) {
      options.warn(
        `source ${source.sourceName}.${source.tableName}: ${outcome.rejects} value(s) of ${key} did not convert and are NULL (vaultline_meta.rejects lists them)`,
      );
    }
  };
  let done = 0;
  for (const group of smallGroups(fresh, compacted)) {
    const metas: LandingMetadata[] = [];
    for (const key of group) metas.push(await options.store.getMeta(key));
    const now = clock.now();
    const together =
      group.length > 1 && metas.reduce((n, m) => n + m.bytes, 0) <= GROUP_BYTES
        ? await readTogether(group.map((key, i) => inputFor(key, metas[i]!, nextSeq + i, now)))
        : undefined;
    for (const [i, key] of group.entries()) {
      const meta = metas[i]!;
      const outcome = together?.[i] ?? (await readObject(inputFor(key, meta, nextSeq, clock.now())));
      await record(key, meta, now, outcome);
      done++;
      if (fresh.length >= 20 && (done % 100 === 0 || done === fresh.length))
        options.progress?.(source, done, fresh.length);
    }
  }
  if (current === undefined) {
    await session.transaction(async (tx) => {
      for (const statement of swapStatements(d, source, {
        generation,
        fingerprint,
        ...(state ? { previous: state.generation } : {}),
        now: clock.now(),
      }))
        await tx.execute(statement);
    });
  }
  // Every listed key is now read or quarantined: the partitions listed need not be listed again
  // until they change.
  for (const statement of partitionTokenStatements(d, source, generation, tokens, clock.now()))
    await session.execute(statement);
  let all: Promise<RawObject[]> | undefined;
  return {
    source,
    table: d.relation(RAW_SCHEMA, table),
    generation,
    objectCount: stats.objects + read.objects,
    allObjects: () => {
      all ??= loadRawObjects(session, source, generation).then((m) => [...m.values()]);
      return all;
    },
    unreadBy: async (modelUniqueId) => [
      ...(await loadRawObjects(session, source, generation, modelUniqueId)).values(),
    ],
    quarantined: [...quarantine.values()],
    read,
    newlyQuarantined,
    rebuilt: current === undefined && state !== undefined,
  };
}

/**
 * The keys to read: under the partitions that changed since they were last listed (every partition
 * when the store has no change tokens, or for a new generation), minus those already read or in
 * quarantine. Also the tokens to keep once they are all read.
 */
async function newKeys(
  options: IngestOptions,
  source: SourceNode,
  generation: number,
  prefix: string,
  quarantine: Map<string, QuarantineEntry>,
): Promise<{ fresh: string[]; tokens: { prefix: string; token: string }[] }> {
  const { session, store } = options;
  let prefixes: string[] | undefined;
  const tokens: { prefix: string; token: string }[] = [];
  if (store.listPartitions) {
    const seen = await partitionTokens(session, source, generation);
    prefixes = [];
    for await (const partition of store.listPartitions(prefix)) {
      if (partition.token !== undefined && seen.get(partition.prefix) === partition.token) continue;
      prefixes.push(partition.prefix);
      if (partition.token !== undefined) tokens.push({ prefix: partition.prefix, token: partition.token });
    }
    if (prefixes.length === 0) return { fresh: [], tokens };
  }
  const known = await readKeys(session, source, generation, prefixes);
  const fresh: string[] = [];
  for (const under of prefixes ?? [prefix]) {
    for await (const listed of store.list(under)) {
      if (!known.has(listed.key) && !quarantine.has(listed.key)) fresh.push(listed.key);
    }
  }
  return { fresh, tokens };
}

/** Objects read in one transaction at most, and their body bytes at most (small objects only). */
const GROUP_OBJECTS = 100;
const GROUP_BYTES = 4 * 1024 * 1024;

/** Consecutive keys in groups of GROUP_OBJECTS; a compacted object (its body needs the session) alone. */
function smallGroups(keys: string[], compacted: Map<string, unknown>): string[][] {
  const out: string[][] = [];
  let group: string[] = [];
  for (const key of keys) {
    if (compacted.has(key)) {
      if (group.length > 0) out.push(group);
      out.push([key]);
      group = [];
      continue;
    }
    group.push(key);
    if (group.length >= GROUP_OBJECTS) {
      out.push(group);
      group = [];
    }
  }
  if (group.length > 0) out.push(group);
  return out;
}

/** A compacted object's body: its Parquet row's payload, after the row was checked against the sidecar. */
async function compactedBody(
  options: IngestOptions,
  ref: Parameters<CompactedObjects['verified']>[0],
  meta: LandingMetadata,
): Promise<AsyncIterable<Uint8Array>> {
  const path = await options.compacted.verified(ref, meta.sha256);
  const [row] = await options.session.query<{ payload: string }>(
    options.engine.landedJson.compactedPayload(path, ref.key),
  );
  const bytes = Buffer.from(row?.payload ?? '', 'utf8');
  return (async function* () {
    yield bytes;
  })();
}
