import type { Session } from '../../engine/dialect.ts';
import type { Engine } from '../../engine/engine.ts';
import type { LandedFile } from '../../engine/landed-json.ts';
import type { LandingStore } from '../../landing/store.ts';
import type { SourceNode } from '../../project/types.ts';
import type { Clock } from '../../shared/clock.ts';
import { type AuditEntry, auditedKeys } from '../meta/load-audit.ts';
import { loadPayloadChecks, type PayloadCheck, payloadCheckStatements } from '../meta/payload-checks.ts';
import { relationOf, SOURCES_SCHEMA } from '../relations.ts';
import { wrappable } from '../sql.ts';
import { CompactedObjects } from './compacted.ts';
import { probeCompactedObjects, probeObject } from './probe.ts';

/** What one model (or test) read from one source: the relation to query and every object behind it. */
export interface SourceRead {
  source: SourceNode;
  /** The relation to put where `{{ source(…) }}` stands. */
  relation: string;
  /** Every object the relation covers or skipped: the load audit rows for the reader. */
  entries: AuditEntry[];
  /** Objects left out because they cannot be parsed, with the reason. */
  skipped: { key: string; reason: string }[];
}

export interface LandedSourcesOptions {
  session: Session;
  engine: Engine;
  store: LandingStore;
  clock: Clock;
  /** Called once per run and object that is skipped (the CLI logs it as a warning). */
  warn: (message: string) => void;
}

/**
 * Sources over the landing store, for one run. Objects are listed once per source and run; each new
 * object is probed once ever (facts kept in vaultline_meta.payload_checks); a source's columns come
 * from the merged shapes of all its readable objects, so a relation over only today's objects has the
 * same columns as one over the whole history.
 */
export class LandedSources {
  private readonly objects = new Map<string, Promise<PayloadCheck[]>>();
  private readonly fullReads = new Map<string, Promise<SourceRead>>();
  private readonly warned = new Set<string>();
  private readonly compacted: CompactedObjects;

  constructor(private readonly options: LandedSourcesOptions) {
    const { session, engine, store } = options;
    this.compacted = new CompactedObjects({ session, engine, store, warn: (m) => this.warnOnce(m, m) });
  }

  private warnOnce(tag: string, message: string): void {
    if (this.warned.has(tag)) return;
    this.warned.add(tag);
    this.options.warn(message);
  }

  /** `source/resource/` — the landing prefix a source reads. */
  static prefixOf(source: SourceNode): string {
    return `${source.landingPrefix.replace(/\/+$/, '')}/`;
  }

  static checkKeyOf(source: SourceNode): string {
    return source.sql !== undefined ? '' : (source.recordsPath ?? '');
  }

  /** Every committed object under the source's prefix, with its (possibly just probed) facts. */
  listObjects(source: SourceNode): Promise<PayloadCheck[]> {
    let pending = this.objects.get(source.uniqueId);
    if (!pending) {
      pending = this.discover(source);
      this.objects.set(source.uniqueId, pending);
    }
    return pending;
  }

  private async discover(source: SourceNode): Promise<PayloadCheck[]> {
    const { session, store, engine, clock } = this.options;
    const prefix = LandedSources.prefixOf(source);
    const recordsPath = LandedSources.checkKeyOf(source);
    const known = await loadPayloadChecks(session, prefix, recordsPath);
    const compacted = (await this.compacted.index(prefix)).byKey;
    const keys: string[] = [];
    const found = new Map<string, PayloadCheck>();
    const fresh: PayloadCheck[] = [];
    const freshCompacted: string[] = [];
    for await (const listed of store.list(prefix)) {
      keys.push(listed.key);
      const cached = known.get(listed.key);
      if (cached) {
        found.set(listed.key, cached);
        continue;
      }
      // Objects of compacted months are probed from their Parquet file, in batches, below.
      if (compacted.has(listed.key)) {
        freshCompacted.push(listed.key);
        continue;
      }
      const check = await probeObject({
        session,
        engine,
        store,
        key: listed.key,
        recordsPath: recordsPath || undefined,
      });
      fresh.push(check);
      found.set(listed.key, check);
    }
    if (freshCompacted.length > 0) {
      const checks = await probeCompactedObjects({
        session,
        engine,
        store,
        keys: freshCompacted,
        recordsPath: recordsPath || undefined,
        rowPath: (key, sha256) => this.compacted.verified(compacted.get(key)!, sha256),
      });
      for (const check of checks) {
        fresh.push(check);
        found.set(check.key, check);
      }
    }
    for (const statement of payloadCheckStatements(session, fresh, clock.now()))
      await session.execute(statement);
    return keys.map((key) => found.get(key)!);
  }

  /** The merged structure of every readable object (null when there is none yet). */
  private structureOf(objects: PayloadCheck[]): string | null {
    let merged: string | null = null;
    for (const o of objects) {
      if (!o.ok || o.structure === undefined) continue;
      merged =
        merged === null ? o.structure : this.options.engine.landedJson.mergeStructures(merged, o.structure);
    }
    return merged;
  }

  private async relationSql(source: SourceNode, all: PayloadCheck[], read: PayloadCheck[]): Promise<string> {
    const { store, engine } = this.options;
    const compacted = (await this.compacted.index(LandedSources.prefixOf(source))).byKey;
    const files: LandedFile[] = [];
    for (const o of read) {
      if (!o.ok) continue;
      const ref = compacted.get(o.key);
      // A compacted object is read from its Parquet row (checked against the sidecar's sha256 first);
      // everything else from its verified gzip body.
      files.push(
        ref
          ? {
              key: o.key,
              path: await this.compacted.verified(ref, o.sha256),
              format: 'parquet',
              loadTs: o.loadTs,
              bytes: o.bytes,
            }
          : { key: o.key, path: await store.localPath(o.key), loadTs: o.loadTs, bytes: o.bytes },
      );
    }
    const recordSource = source.landingPrefix.replace(/\/+$/, '');
    if (source.sql !== undefined) {
      const payloads = engine.landedJson.payloads({ files, recordSource });
      // The contract with src/project (properties.ts): `sql:` selects from the relation `payload`.
      return `WITH payload AS (\n${payloads}\n)\nSELECT * FROM (\n${wrappable(source.sql)}\n) AS __vl_source`;
    }
    return engine.landedJson.records({
      files,
      recordsPath: source.recordsPath,
      recordSource,
      structure: this.structureOf(all),
      fallbackColumns: source.columns.map((c) => ({ name: c.name, dataType: c.dataType })),
    });
  }

  private readOf(source: SourceNode, relation: string, read: PayloadCheck[]): SourceRead {
    const skipped: SourceRead['skipped'] = [];
    for (const o of read) {
      if (o.ok) continue;
      const reason = o.error ?? 'unreadable';
      skipped.push({ key: o.key, reason });
      this.warnOnce(
        `${source.uniqueId}\0${o.key}`,
        `source ${source.sourceName}.${source.tableName}: skipped payload ${o.key}: ${reason}`,
      );
    }
    const entries = read.map<AuditEntry>((o) => ({
      sourceUniqueId: source.uniqueId,
      key: o.key,
      sha256: o.sha256,
      loadTs: o.loadTs,
      rowCount: o.ok ? o.recordCount : 0,
      status: o.ok ? 'loaded' : 'skipped',
      message: o.ok ? undefined : o.error,
    }));
    return { source, relation, entries, skipped };
  }

  /**
   * The persistent view "sources"."<source>__<table>" over every landed object, (re)created once per
   * run: view models, full builds and tests read it.
   */
  fullRead(source: SourceNode): Promise<SourceRead> {
    let pending = this.fullReads.get(source.uniqueId);
    if (!pending) {
      pending = (async () => {
        const { session, engine } = this.options;
        const d = engine.dialect;
        const all = await this.listObjects(source);
        const sql = await this.relationSql(source, all, all);
        const relation = relationOf(d, source);
        await session.transaction(async (tx) => {
          await tx.execute(`CREATE SCHEMA IF NOT EXISTS ${d.quoteIdentifier(SOURCES_SCHEMA)}`);
          await tx.execute(`CREATE OR REPLACE VIEW ${relation} AS\n${sql}`);
        });
        return this.readOf(source, relation, all);
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
   */
  async newObjectsRead(source: SourceNode, modelUniqueId: string, viewName: string): Promise<SourceRead> {
    const { session, engine } = this.options;
    const all = await this.listObjects(source);
    const seen = await auditedKeys(session, modelUniqueId, source.uniqueId);
    const fresh = all.filter((o) => !seen.has(o.key));
    const sql = await this.relationSql(source, all, fresh);
    const relation = engine.dialect.quoteIdentifier(viewName);
    await session.execute(`CREATE OR REPLACE TEMPORARY VIEW ${relation} AS\n${sql}`);
    return this.readOf(source, relation, fresh);
  }
}
