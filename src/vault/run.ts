/**
 * `runVaultEntity`: loads one vault entity in one transaction — looks up what the SQL generator needs
 * (staging columns and types, high-water marks, the recorded hashing standard, PIT bounds), generates
 * the statements, runs them and returns audited counts. Independent of the project and run layers:
 * they resolve names to relations (`relationOf`) and call this for each VaultNode.
 */
import type { Catalog } from '../engine/catalog.ts';
import type { Session } from '../engine/dialect.ts';
import { engineFor } from '../engine/engine.ts';
import { withSignal } from '../engine/signalled-session.ts';
import { type Clock, systemClock } from '../shared/clock.ts';
import { VaultlineError } from '../shared/errors.ts';
import { compactTimestampText } from '../shared/timestamp-text.ts';
import { VaultHashingMismatchError, VaultInputMissingError } from './errors.ts';
import { loadFailureHint } from './failure-hints.ts';
import { type HashMacros, hashingFingerprint } from './hashing.ts';
import { loadInputs, newestHighWater } from './load-log.ts';
import { entityKey, META_SCHEMA, STAGING_LANDING_KEY } from './names.ts';
import type { PlanContext, StagingInput, VaultStatement } from './sql/common.ts';
import {
  changeLogHeadsSql,
  loadLogSql,
  metaDdl,
  nextArrivalSql,
  readHashingSql,
  readHighWaterSql,
  recordHashingSql,
} from './sql/meta.ts';
import { PIT_CHANGES_SOURCE, type PitInputs, type PitSatelliteInput, pitSatelliteInput } from './sql/pit.ts';
import { planVaultLoad } from './sql/plan.ts';
import type { PitSpec, Relation, VaultEntityKind, VaultEntitySpec } from './types.ts';
import { asNumber, describeRelation, describeRelations, timestampText } from './warehouse.ts';

export interface RunVaultEntityOptions {
  /** Where the entity's table lives (the VaultNode's schema and alias). */
  target: Relation;
  /** The relation of a staging model or another vault entity, by the name the spec uses. */
  relationOf(name: string): Relation;
  /** Drop and rebuild from every staging row (same tables as loading batch by batch). */
  fullRefresh?: boolean;
  metaSchema?: string;
  /** The project's own hash_key / hash_diff macros, rendered (see CONTEXT.md). */
  macros?: HashMacros;
  clock?: Clock;
  runId?: string;
  /** Where relations' columns are read (default: the catalog of the session's engine). */
  catalog?: Catalog;
  /**
   * Cancels the load: the running statement is interrupted, the load's transaction rolls back and
   * the call rejects (a VaultLoadError caused by StatementCancelledError).
   */
  signal?: AbortSignal;
}

export interface VaultSourceCounts {
  source: string;
  rowsRead: number;
  skippedNullKeys: number;
  /** Newest load_ts read from this source in this batch, `YYYY-MM-DD HH:MM:SS[.f…]` (compactTimestampText: one spelling on every engine). */
  highWater?: string;
}

export interface VaultLoadResult {
  entity: string;
  kind: VaultEntityKind;
  target: Relation;
  fullRefresh: boolean;
  /** Staging rows read (above the high-water marks); PITs: rows computed. */
  rowsRead: number;
  rowsInserted: number;
  /** Rows whose hash key was NULL (business key entirely null or empty). */
  skippedNullKeys: number;
  /** Rows older than the key's current state (out-of-order staging, or a replay). */
  skippedLateRows: number;
  /** Further copies of a record within the batch. */
  duplicates: number;
  /** Rows that matched what the vault already holds. */
  unchanged: number;
  ghostInserted: boolean;
  /** Kind-specific counts (closed, deletion_markers, sets_inserted, as_of_added, …). */
  details: Record<string, number>;
  sources: VaultSourceCounts[];
  /** Something the user should know (e.g. a PIT held back by a satellite not loaded yet). */
  message?: string;
  /** Every statement that ran, in order, with its label as a comment. */
  statements: string[];
}

/**
 * A statement of a vault load failed; carries its label and SQL, every statement of the load that ran
 * (labelled, the failed one last: what run_results.json shows as compiled_sql), a hint when the load
 * can tell how to fix it (failure-hints.ts), and the cause.
 */
export class VaultLoadError extends VaultlineError {
  readonly label: string;
  readonly sql: string;
  readonly statements: readonly string[];
  readonly hint: string | undefined;
  constructor(
    entity: string,
    label: string,
    sql: string,
    cause: unknown,
    more: { statements?: readonly string[]; hint?: string } = {},
  ) {
    const reason = cause instanceof Error ? cause.message.split('\n')[0] : String(cause);
    super(`${entity}: ${label} failed: ${reason}${more.hint ? `\nhint: ${more.hint}` : ''}`, { cause });
    this.label = label;
    this.sql = sql;
    this.statements = more.statements ?? [`-- ${label}\n${sql}`];
    this.hint = more.hint;
  }
}

const STANDARD_FIELDS = [
  'rows_read',
  'rows_inserted',
  'skipped_null_keys',
  'skipped_late_rows',
  'duplicates',
  'unchanged',
];

export async function runVaultEntity(
  given: Session,
  spec: VaultEntitySpec,
  options: RunVaultEntityOptions,
): Promise<VaultLoadResult> {
  const session = withSignal(given, options.signal);
  const metaSchema = options.metaSchema ?? META_SCHEMA;
  const dialect = session.dialect;
  const loadedAt = timestampText((options.clock ?? systemClock).now());
  const fingerprint = hashingFingerprint(spec.hashing, options.macros);
  const target = options.target;
  const catalog = options.catalog ?? engineFor(dialect.name).catalog;

  await ensureMeta(session, metaSchema);
  return session.transaction(async (tx) => {
    const names = stagingNames(spec);
    const described = await describeRelations(tx, catalog, [
      target,
      ...names.map((n) => options.relationOf(n)),
    ]);
    const targetColumns = described[0];
    const recorded = (await tx.query<{ fingerprint: string }>(readHashingSql(dialect, metaSchema, target)))[0]
      ?.fingerprint;
    if (targetColumns && recorded !== undefined && recorded !== fingerprint && !options.fullRefresh) {
      throw new VaultHashingMismatchError(spec.name, recorded, fingerprint);
    }
    // A missing table is rebuilt from scratch, whatever high-water marks survived it.
    const rebuild = options.fullRefresh === true || targetColumns === undefined;
    const highWater = new Map<string, string>();
    const consumed = new Map<string, number>();
    if (!rebuild) {
      for (const row of await tx.query<{
        source: string;
        high_water: string | null;
        high_water_seq: unknown;
      }>(readHighWaterSql(dialect, metaSchema, target))) {
        if (row.high_water !== null) highWater.set(row.source, row.high_water);
        if (row.high_water_seq !== null) consumed.set(row.source, asNumber(row.high_water_seq));
      }
    }

    const staging: StagingInput[] = [];
    for (const [i, name] of names.entries()) {
      const relation = options.relationOf(name);
      const columns = described[i + 1];
      if (!columns) {
        throw new VaultInputMissingError(
          `${spec.name}: staging relation ${name} (${relation.schema}.${relation.name}) does not exist; build it first ` +
            `(vaultline build --select +${spec.name})`,
        );
      }
      const landingKey = [...columns.keys()].find((c) => c.toLowerCase() === STAGING_LANDING_KEY);
      staging.push({
        name,
        relation,
        columns,
        ...(landingKey ? { landingKey } : {}),
        ...(highWater.has(name) ? { highWater: highWater.get(name)! } : {}),
      });
    }
    let pit: PitInputs | undefined;
    let message: string | undefined;
    if (spec.kind === 'pit') {
      const found = await pitInputs(tx, catalog, spec, options, metaSchema, consumed);
      pit = found.inputs;
      message = found.message;
    }

    const arrival = asNumber(
      (await tx.query<{ arrival: unknown }>(nextArrivalSql(dialect, metaSchema, target)))[0]?.arrival ?? 1,
    );
    const ctx: PlanContext = {
      dialect,
      arrival,
      hashing: spec.hashing,
      ...(options.macros ? { macros: options.macros } : {}),
      target,
      metaSchema,
      fullRefresh: rebuild,
      ...(rebuild || !targetColumns ? {} : { targetColumns: [...targetColumns.keys()] }),
    };
    const plan = planVaultLoad(spec, ctx, staging, pit);

    const stats: Record<string, number> = {};
    const sources: VaultSourceCounts[] = [];
    const ran: string[] = [];
    let batchRows: number | undefined;
    let gate: number | undefined;
    const run = async (statement: VaultStatement) => {
      if (statement.onlyIfRows && batchRows === 0) return;
      if (statement.onlyIf === 'gate' && gate === 0) return;
      ran.push(`-- ${statement.label}\n${statement.sql}`);
      try {
        if (!statement.read) return void (await tx.execute(statement.sql));
        const rows = await tx.query(statement.sql);
        if (statement.read === 'gate') {
          gate = asNumber(rows[0]?.n ?? 0);
        } else if (statement.read === 'stats') {
          for (const [key, value] of Object.entries(rows[0] ?? {})) stats[key] = asNumber(value);
        } else {
          batchRows = rows.reduce((n, row) => n + asNumber(row.rows_read), 0);
          const missing = rows.filter((row) => asNumber(row.missing_load_ts) > 0);
          if (missing.length > 0) {
            throw new VaultlineError(
              `${spec.name}: ` +
                missing
                  .map(
                    (row) =>
                      `${asNumber(row.missing_load_ts)} row(s) of ${String(row.source)} have no load_ts`,
                  )
                  .join('; ') +
                '; every staging row needs its load timestamp: fix the staging model (nothing was loaded)',
            );
          }
          for (const row of rows) {
            sources.push({
              source: String(row.source),
              rowsRead: asNumber(row.rows_read),
              skippedNullKeys: asNumber(row.skipped_null_keys),
              ...(row.high_water ? { highWater: compactTimestampText(String(row.high_water)) } : {}),
            });
          }
        }
      } catch (error) {
        if (error instanceof VaultlineError) throw error;
        const hint = loadFailureHint(spec, staging);
        throw new VaultLoadError(spec.name, statement.label, statement.sql, error, {
          statements: [...ran],
          ...(hint ? { hint } : {}),
        });
      }
    };
    for (const statement of plan.statements) await run(statement);

    if (rebuild || recorded !== fingerprint) {
      for (const sql of recordHashingSql(dialect, metaSchema, target, fingerprint, loadedAt, options.runId)) {
        await run({ label: 'record the hashing standard', sql });
      }
    }
    const details = Object.fromEntries(Object.entries(stats).filter(([k]) => !STANDARD_FIELDS.includes(k)));
    const result: VaultLoadResult = {
      entity: spec.name,
      kind: spec.kind,
      target,
      fullRefresh: options.fullRefresh === true,
      rowsRead: stats.rows_read ?? 0,
      rowsInserted: stats.rows_inserted ?? 0,
      skippedNullKeys: stats.skipped_null_keys ?? 0,
      skippedLateRows: stats.skipped_late_rows ?? 0,
      duplicates: stats.duplicates ?? 0,
      unchanged: stats.unchanged ?? 0,
      ghostInserted: rebuild && spec.kind !== 'hub' && spec.kind !== 'link' && spec.kind !== 'pit',
      details,
      sources,
      ...(message ? { message } : {}),
      statements: ran,
    };
    const newest = await newestHighWater(tx, metaSchema, target);
    await run({
      label: 'load log',
      sql: loadLogSql(dialect, metaSchema, target, {
        kind: spec.kind,
        source: loadInputs(spec).join(', '),
        ...(newest ? { highWater: newest } : {}),
        ...(options.runId ? { runId: options.runId } : {}),
        loadedAt,
        fullRefresh: result.fullRefresh,
        rowsRead: result.rowsRead,
        rowsInserted: result.rowsInserted,
        skippedNullKeys: result.skippedNullKeys,
        skippedLateRows: result.skippedLateRows,
        duplicates: result.duplicates,
        unchanged: result.unchanged,
        details: {
          ...details,
          ...Object.fromEntries(sources.map((s) => [`rows_read:${s.source}`, s.rowsRead])),
        },
      }),
    });
    return result;
  });
}

/**
 * The vault's tables in vaultline_meta, created when missing. A run calls it once before it loads
 * entities on several connections at once (two transactions creating one table conflict); a load
 * calls it again (once per session), which then changes nothing.
 */
export async function prepareVaultMeta(session: Session, metaSchema: string = META_SCHEMA): Promise<void> {
  await ensureMeta(session, metaSchema);
}

const ensured = new WeakMap<Session, Set<string>>();
async function ensureMeta(session: Session, metaSchema: string): Promise<void> {
  const done = ensured.get(session) ?? new Set<string>();
  if (done.has(metaSchema)) return;
  for (const sql of metaDdl(session.dialect, metaSchema)) await session.execute(sql);
  done.add(metaSchema);
  ensured.set(session, done);
}

/** Staging models an entity reads rows from. */
export function stagingNames(spec: VaultEntitySpec): string[] {
  switch (spec.kind) {
    case 'hub':
      return [...new Set(spec.sources.map((s) => s.name))];
    case 'link':
      return [...new Set(spec.sources)];
    case 'pit':
      return [];
    default:
      return [spec.source];
  }
}

/**
 * PIT inputs: the parent and satellites, the as-of timestamps up to the build time (daily: every UTC
 * midnight from the day of the parent's first load; a model: its timestamps up to now), and the
 * change-log range of each input not consumed yet (`consumed` is empty when rebuilding).
 */
async function pitInputs(
  session: Session,
  catalog: Catalog,
  spec: PitSpec,
  options: RunVaultEntityOptions,
  metaSchema: string,
  consumed: ReadonlyMap<string, number>,
): Promise<{ inputs: PitInputs; message?: string }> {
  const dialect = session.dialect;
  const needed = async (name: string) => {
    const relation = options.relationOf(name);
    if (!(await describeRelation(session, catalog, relation))) {
      throw new VaultInputMissingError(
        `${spec.name}: ${name} (${relation.schema}.${relation.name}) does not exist yet; load it first ` +
          `(vaultline build --select +${spec.name})`,
      );
    }
    return relation;
  };
  const parent = await needed(spec.parent.entity);
  const satellites: PitSatelliteInput[] = [];
  for (const sat of spec.satellites) {
    satellites.push(pitSatelliteInput(spec, sat, await needed(sat.name)));
  }
  const entities = [parent, ...satellites.map((s) => s.relation)].map(entityKey);
  const heads = new Map<string, number>();
  for (const row of await session.query<{ entity: string; up_to: unknown }>(
    changeLogHeadsSql(dialect, metaSchema, entities),
  )) {
    heads.set(row.entity, asNumber(row.up_to));
  }
  const changes = entities.map((entity) => {
    const after = consumed.get(PIT_CHANGES_SOURCE(entity)) ?? 0;
    return { entity, after, upTo: Math.max(after, heads.get(entity) ?? 0) };
  });
  const inputs: PitInputs = { parent, satellites, changes };
  const now = timestampText((options.clock ?? systemClock).now());

  if (spec.asOf.kind === 'model') {
    const relation = await needed(spec.asOf.model);
    inputs.asOf = { kind: 'model', relation, column: spec.asOf.column, to: now };
    return { inputs };
  }
  const rows = await session.query<{ first: string | null }>(
    `SELECT ${dialect.timestampText("date_trunc('day', min(load_ts))")} AS first FROM ${dialect.relation(parent.schema, parent.name)}`,
  );
  const from = rows[0]?.first ?? undefined;
  if (from === undefined || from === null) {
    return { inputs, message: `no as-of yet: ${spec.parent.entity} has no rows` };
  }
  inputs.asOf = { kind: 'daily', from, to: now.slice(0, 10) };
  return { inputs };
}
