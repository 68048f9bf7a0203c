import type { Session } from '../../engine/dialect.ts';
import type { Engine } from '../../engine/engine.ts';
import type { LandingStore } from '../../landing/store.ts';
import { relationIdentity } from '../../project/relations.ts';
import type { SourceNode, SourceReport } from '../../project/types.ts';
import { RAW_META_COLUMNS } from '../../records/record-rows.ts';
import type { Clock } from '../../shared/clock.ts';
import { viewStatements } from '../materializations/view.ts';
import { viewTarget } from '../materializations/view-target.ts';
import type { AuditEntry } from '../meta/load-audit.ts';
import { refuseSecretInPersistedSql } from '../persisted-sql.ts';
import { relationOf } from '../relations.ts';
import { checkedQuery, originOf } from '../single-query.ts';
import { CompactedObjects } from './compacted.ts';
import { ingestSource, type SourceIngest } from './ingest.ts';
import { type RawObject, staleGenerationStatements } from './raw-tables.ts';

/** What one model (or test) read from one source: the relation to query and every object behind it. */
export interface SourceRead {
  source: SourceNode;
  /** The relation to put where `{{ source(…) }}` stands. */
  relation: string;
  /** Every object the relation covers: the load audit rows for the reader. */
  entries: AuditEntry[];
  /** Objects of the source in quarantine (never read until released), with the reason. */
  skipped: { key: string; reason: string }[];
}

export interface LandedSourcesOptions {
  session: Session;
  engine: Engine;
  store: LandingStore;
  clock: Clock;
  runId: string;
  /** Re-read every landed payload into a new generation of the raw tables (--full-refresh). */
  rebuild?: boolean;
  /** Called for what a person should see while the run goes (quarantines, rejects, empty sources). */
  warn: (message: string) => void;
}

/** The metadata columns every source relation has, before its own columns (`_record` comes last). */
const VIEW_META_COLUMNS = RAW_META_COLUMNS.filter((c) => c !== '_ingest_seq');

/**
 * Sources over the landing store, for one run. Each source is brought up to date once per run (its new
 * landed objects read into its raw records table, src/run/sources/ingest.ts); the relation a model
 * reads is a view over that table — the whole history, or (an incremental model's incremental run)
 * only the objects that model has not read yet. The SQL never lists landed files, so its size does not
 * grow with the history.
 */
export class LandedSources {
  private readonly ingests = new Map<string, Promise<SourceIngest>>();
  private readonly fullReads = new Map<string, Promise<SourceRead>>();
  private readonly compacted: CompactedObjects;
  private readonly warned = new Set<string>();

  constructor(private readonly options: LandedSourcesOptions) {
    const { session, engine, store } = options;
    this.compacted = new CompactedObjects({ session, engine, store, warn: (m) => this.warnOnce(m) });
  }

  private warnOnce(message: string): void {
    if (this.warned.has(message)) return;
    this.warned.add(message);
    this.options.warn(message);
  }

  /** `source/resource/` — the landing prefix a source reads. */
  static prefixOf(source: SourceNode): string {
    return `${source.landingPrefix.replace(/\/+$/, '')}/`;
  }

  /** The source's raw records table, brought up to date with the landing store (once per run). */
  ingest(source: SourceNode): Promise<SourceIngest> {
    let pending = this.ingests.get(source.uniqueId);
    if (!pending) {
      const { session, engine, store, clock, runId } = this.options;
      pending = ingestSource(
        {
          session,
          engine,
          store,
          clock,
          runId,
          compacted: this.compacted,
          warn: (m) => this.warnOnce(m),
          progress: (s, done, total) =>
            this.options.warn(
              `source ${s.sourceName}.${s.tableName}: read ${done} of ${total} new payload(s)`,
            ),
        },
        source,
        this.options.rebuild === true,
      ).then((ingest) => {
        this.reportQuarantine(ingest);
        if (ingest.objectCount === 0) {
          const [src] = source.landingPrefix.split('/');
          this.warnOnce(
            `source ${source.sourceName}.${source.tableName}: no payload landed under ${LandedSources.prefixOf(source)} yet` +
              ` (its models are built empty): run \`vaultline extract ${src}\``,
          );
        }
        return ingest;
      });
      this.ingests.set(source.uniqueId, pending);
      pending.catch(() => this.ingests.delete(source.uniqueId));
    }
    return pending;
  }

  private reportQuarantine(ingest: SourceIngest): void {
    const fresh = new Set(ingest.newlyQuarantined.map((q) => q.key));
    const older = ingest.quarantined.filter((q) => !fresh.has(q.key));
    if (older.length > 0) {
      const s = ingest.source;
      this.warnOnce(
        `source ${s.sourceName}.${s.tableName}: ${older.length} payload(s) still in quarantine (not read): ` +
          `${older
            .slice(0, 3)
            .map((q) => q.key)
            .join(', ')}${older.length > 3 ? ', …' : ''}` +
          ' — `vaultline landing quarantine` lists them with the reason; release one to read it again',
      );
    }
  }

  /** Per source read in this run: what was read, rejected and quarantined, and whether it is tolerated. */
  async reports(): Promise<SourceReport[]> {
    const out: SourceReport[] = [];
    for (const pending of this.ingests.values()) {
      let ingest: SourceIngest;
      try {
        ingest = await pending;
      } catch {
        continue;
      }
      const s = ingest.source;
      const problems: string[] = [];
      if (ingest.read.rejects > s.tolerance.maxRejects)
        problems.push(`${ingest.read.rejects} rejected value(s) (max_rejects: ${s.tolerance.maxRejects})`);
      if (ingest.newlyQuarantined.length > s.tolerance.maxQuarantined) {
        problems.push(
          `${ingest.newlyQuarantined.length} payload(s) quarantined (max_quarantined: ${s.tolerance.maxQuarantined})`,
        );
      }
      out.push({
        uniqueId: s.uniqueId,
        source: `${s.sourceName}.${s.tableName}`,
        objectsRead: ingest.read.objects,
        records: ingest.read.records,
        rejects: ingest.read.rejects,
        rejectSamples: ingest.read.rejectSamples.map((r) => ({
          key: r.key,
          recordIndex: r.recordIndex,
          column: r.column,
          path: r.path,
          value: r.rawValue,
          reason: r.reason,
        })),
        quarantined: ingest.newlyQuarantined.map((q) => ({ key: q.key, reason: q.reason })),
        stillQuarantined: ingest.quarantined
          .filter((q) => !ingest.newlyQuarantined.includes(q))
          .map((q) => ({ key: q.key, reason: q.reason })),
        ...(problems.length > 0 ? { failure: problems.join('; ') } : {}),
      });
    }
    return out.sort((a, b) => a.source.localeCompare(b.source));
  }

  /** The select list of a source relation over its raw table: metadata, its columns, `_record`. */
  private async selectSql(ingest: SourceIngest, where: string | undefined): Promise<string> {
    const { engine } = this.options;
    const d = engine.dialect;
    const source = ingest.source;
    const meta = VIEW_META_COLUMNS.map((c) => d.quoteIdentifier(c));
    const tail = [d.quoteIdentifier('_record')];
    if (source.sql !== undefined) {
      // The contract with src/project (properties.ts): `sql:` selects from the relation `payload`,
      // one row per landed document.
      const payload = `SELECT _record AS json, _landing_key, _load_ts, _record_source, _request_url, _request_params FROM ${ingest.table}${where ? ` WHERE ${where}` : ''}`;
      const own = await checkedQuery(this.options.session, source.sql, originOf(source));
      return `WITH payload AS (\n${payload}\n)\nSELECT * FROM (\n${own}\n) AS __vl_source`;
    }
    if (source.contract) {
      const own = source.contract.columns.map((c) => d.quoteIdentifier(c.name));
      return `SELECT ${[...meta, ...own, ...tail].join(', ')}\nFROM ${ingest.table}${where ? `\nWHERE ${where}` : ''}`;
    }
    const inferred = engine.landedJson.inferredColumns(
      // Sources without a contract type their columns from every object's structure.
      mergedStructure(engine, await ingest.allObjects()),
      source.columns.map((c) => ({ name: c.name })),
    );
    const inner = `SELECT *${inferred.record ? `, ${inferred.record} AS __vl_record` : ''} FROM ${ingest.table}${where ? ` WHERE ${where}` : ''}`;
    return `SELECT ${[...meta, ...inferred.columns, ...tail].join(', ')}\nFROM (${inner}) AS __vl_source`;
  }

  private readOf(ingest: SourceIngest, relation: string, objects: RawObject[]): SourceRead {
    const source = ingest.source;
    return {
      source,
      relation,
      entries: objects.map((o) => ({
        sourceUniqueId: source.uniqueId,
        key: o.key,
        sha256: o.sha256,
        loadTs: o.loadTs,
        rowCount: o.recordCount,
        status: 'loaded',
        ...(o.note !== undefined ? { message: o.note } : {}),
      })),
      skipped: ingest.quarantined.map((q) => ({ key: q.key, reason: q.reason })),
    };
  }

  /**
   * The persistent view "sources"."<source>__<table>" over every record read so far, (re)created once
   * per run: view models, full builds, tests and `show` read it.
   */
  fullRead(source: SourceNode): Promise<SourceRead> {
    let pending = this.fullReads.get(source.uniqueId);
    if (!pending) {
      pending = (async () => {
        const { session, engine } = this.options;
        const d = engine.dialect;
        const ingest = await this.ingest(source);
        const relation = relationOf(d, source);
        const sql = await this.selectSql(ingest, undefined);
        refuseSecretInPersistedSql(
          {
            what: `source ${source.sourceName}.${source.tableName}`,
            file: source.file,
            fix: 'Keep the value out of its sql: (it is stored with the view).',
          },
          sql,
        );
        // Replaced as a view model is: on an engine whose views bind early, in place while its
        // columns stay (the staging views over it are kept), else swapped.
        const { schema, name } = relationIdentity(source);
        const existing = await engine.catalog.relationKind(session, schema, name);
        const target = await viewTarget(session, engine, { schema, name, existing }, sql);
        await session.transaction(async (tx) => {
          for (const statement of viewStatements(d, target, sql)) await tx.execute(statement);
          // The view now reads the current generation: a previous one kept for it can go.
          for (const statement of await staleGenerationStatements(tx, source)) await tx.execute(statement);
        });
        return this.readOf(ingest, relation, await ingest.allObjects());
      })();
      this.fullReads.set(source.uniqueId, pending);
      // A failed refresh is retried by the next reader rather than cached as a failure.
      pending.catch(() => this.fullReads.delete(source.uniqueId));
    }
    return pending;
  }

  /**
   * A temporary view over the objects `modelUniqueId` has not read yet (per the load audit), for an
   * incremental model's incremental run. With nothing new it is empty but has the source's columns.
   * Created on `session`, the model's own: a temporary view is seen by its connection only.
   */
  async newObjectsRead(
    source: SourceNode,
    modelUniqueId: string,
    viewName: string,
    session: Session,
  ): Promise<SourceRead> {
    const { engine } = this.options;
    const ingest = await this.ingest(source);
    const fresh = await ingest.unreadBy(modelUniqueId);
    // The object's ingest sequence number: appended in that order, so the engine skips the rest of the
    // history by its zone maps; an IN list of numbers, never of file paths.
    const where =
      fresh.length === 0 ? '1 = 0' : `_ingest_seq IN (${fresh.map((o) => o.ingestSeq).join(', ')})`;
    const relation = engine.dialect.quoteIdentifier(viewName);
    const select = await this.selectSql(ingest, where);
    await session.execute(`DROP VIEW IF EXISTS ${relation}`);
    await session.execute(`CREATE TEMPORARY VIEW ${relation} AS\n${select}`);
    return this.readOf(ingest, relation, fresh);
  }
}

/** The merged structure of every object read (null when none has records yet). */
function mergedStructure(engine: Engine, objects: RawObject[]): string | null {
  let merged: string | null = null;
  for (const o of objects) {
    if (o.structure === undefined) continue;
    merged = merged === null ? o.structure : engine.landedJson.mergeStructures(merged, o.structure);
  }
  return merged;
}
