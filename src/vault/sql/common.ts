/**
 * What every entity's SQL generator shares: its input (PlanContext, staging relations with their
 * column types and high-water marks), its output (a list of labelled statements), and helpers for
 * staging batches, the target table and the load state. Generators are pure: same input, same SQL.
 *
 * The SQL is kept to what DuckDB and Postgres both run (window functions, CTAS temporary tables,
 * NOT EXISTS, `||`, concat_ws); engine-specific pieces come from the Dialect.
 */
import type { Dialect } from '../../engine/dialect.ts';
import { didYouMean } from '../../shared/did-you-mean.ts';
import { VaultlineError } from '../../shared/errors.ts';
import { type HashColumn, type HashingStandard, type HashMacros, hashKeySql } from '../hashing.ts';
import { CHANGES_TABLE, COL, entityKey, GHOST_LOAD_TS, LOAD_STATE_TABLE, READ_KEYS_TABLE } from '../names.ts';
import type { ParentKey, Relation } from '../types.ts';

/** One staging relation as found in the warehouse. */
export interface StagingInput {
  /** Staging model name, as the spec names it. */
  name: string;
  relation: Relation;
  /** Column name → type as the engine reports it, in relation order. */
  columns: ReadonlyMap<string, string>;
  /**
   * Columns not known (compiling without a warehouse): the spec's names are trusted, hashing
   * dispatches on the runtime type, and `load_ts` / `record_source` are assumed.
   */
  untyped?: boolean;
  /**
   * The staging column naming each row's landed object (`_landing_key`). When present, the batch is
   * the rows of objects this entity has not read yet (vaultline_meta.vault_read_keys), so a payload
   * committed late is read however old its load_ts; rows without a key fall back to `highWater`.
   */
  landingKey?: string;
  /** Rows with a load_ts above this have not been loaded yet; undefined: read every row. */
  highWater?: string;
}

export interface PlanContext {
  dialect: Dialect;
  hashing: HashingStandard;
  macros?: HashMacros;
  target: Relation;
  metaSchema: string;
  /** Drop and rebuild the entity (and its current state and load state) from all staging rows. */
  fullRefresh: boolean;
  /** Columns the target table has, or undefined when it does not exist yet. */
  targetColumns?: readonly string[];
  /**
   * This load's number for the entity (1, 2, …): the arrival of the objects it reads for the first
   * time. Satellites and hubs order versions by arrival where load_ts alone would depend on when
   * builds ran, so loading batch by batch and --full-refresh give the same tables.
   */
  arrival: number;
}

export interface VaultStatement {
  /** What the statement does, shown in compiled SQL and errors. */
  label: string;
  sql: string;
  /**
   * `stats`: the executor reads the first row and merges its numbers into the load result;
   * `sources`: rows `{source, rows_read, skipped_null_keys, high_water}` for the load log.
   */
  read?: 'stats' | 'sources' | 'gate';
  /** Skipped when the batch read no staging rows (nothing to compare, insert or move). */
  onlyIfRows?: boolean;
  /**
   * Skipped unless the last `read: 'gate'` query (one row, column n) returned n > 0: work that only
   * a rare case needs (a late key's history) costs nothing otherwise.
   */
  onlyIf?: 'gate';
}

export interface VaultPlan {
  statements: VaultStatement[];
}

/** A problem found while generating SQL (missing column, unusable type): says how to fix it. */
export class VaultPlanError extends VaultlineError {
  constructor(entity: string, message: string) {
    super(`${entity}: ${message}`, { exitCode: 1 });
  }
}

export const TMP = {
  rows: 'vl_rows',
  next: 'vl_next',
  events: 'vl_events',
} as const;

export function q(ctx: PlanContext, name: string): string {
  return ctx.dialect.quoteIdentifier(name);
}

export function rel(ctx: PlanContext, relation: Relation): string {
  return ctx.dialect.relation(relation.schema, relation.name);
}

export function lit(ctx: PlanContext, value: string | number | boolean | null): string {
  return ctx.dialect.literal(value);
}

/** A TIMESTAMP literal of `YYYY-MM-DD HH:MM:SS[.ffffff]` text, as the dialect spells it. */
export function tsLiteral(ctx: PlanContext, value: string): string {
  return ctx.dialect.timestampLiteral(value);
}

/** The ghost record's load_ts (0001-01-01). */
export function ghostTs(ctx: PlanContext): string {
  return tsLiteral(ctx, GHOST_LOAD_TS);
}

/** The dialect's spelling of a column type vaultline creates (`text`, `timestamp` …). */
export function sqlType(ctx: PlanContext, type: keyof Dialect['types']): string {
  return ctx.dialect.types[type];
}

/** `<type> NOT NULL` for the column lists of CREATE TABLE. */
export function notNull(ctx: PlanContext, type: keyof Dialect['types']): string {
  return `${sqlType(ctx, type)} NOT NULL`;
}

/** A staging column's name, type and expression (`s."col"`); a missing column fails with a did-you-mean. */
export function stagingColumn(
  entity: string,
  staging: StagingInput,
  name: string,
  ctx: PlanContext,
): StagingColumn {
  if (staging.untyped)
    return { name, expression: `s.${q(ctx, name)}`, ddlType: `${sqlType(ctx, 'text')} ${UNTYPED}` };
  const exact = staging.columns.get(name);
  const actual =
    exact !== undefined
      ? name
      : [...staging.columns.keys()].find((c) => c.toLowerCase() === name.toLowerCase());
  if (actual === undefined) {
    const suggestion = didYouMean(name, staging.columns.keys());
    throw new VaultPlanError(
      entity,
      `staging relation ${staging.name} has no column ${name}` +
        (suggestion
          ? ` (did you mean "${suggestion}"?)`
          : ` (it has: ${[...staging.columns.keys()].join(', ')})`),
    );
  }
  const type = staging.columns.get(actual)!;
  const expression = `s.${q(ctx, actual)}`;
  try {
    ctx.dialect.canonicalText(expression, type); // refuses types without a canonical text
  } catch (error) {
    throw new VaultPlanError(
      entity,
      `${staging.name}.${actual}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  return { name, expression, type, ddlType: type };
}

export interface StagingColumn extends HashColumn {
  /** The column's type for CREATE TABLE. */
  ddlType: string;
}

const UNTYPED = '/* the staging column type, at run time */';

/** The first of `candidates` the staging relation has. */
function pick(entity: string, staging: StagingInput, candidates: readonly string[], what: string): string {
  if (staging.untyped) return candidates[0]!;
  for (const c of candidates) {
    for (const actual of staging.columns.keys()) if (actual.toLowerCase() === c) return actual;
  }
  throw new VaultPlanError(
    entity,
    `staging relation ${staging.name} has no ${what} column (${candidates.join(' or ')}); ` +
      `add it in the staging model (see src/vault/CONTEXT.md, "Staging contract")`,
  );
}

/**
 * The staging contract: every staging relation carries its rows' load timestamp (`load_ts`, else
 * `_load_ts`; TIMESTAMP, TIMESTAMPTZ or DATE, stored as UTC TIMESTAMP) and record source
 * (`record_source`, else `_record_source`). Returns SQL for both and the incremental filter.
 */
export function stagingMeta(entity: string, staging: StagingInput, ctx: PlanContext) {
  const loadCol = pick(entity, staging, ['load_ts', '_load_ts'], 'load timestamp');
  const sourceCol = pick(entity, staging, ['record_source', '_record_source'], 'record source');
  const type = staging.untyped ? sqlType(ctx, 'timestamp') : (staging.columns.get(loadCol) ?? '');
  const col = `s.${q(ctx, loadCol)}`;
  const loadTs = utcTimestamp(ctx, col, type);
  if (loadTs === undefined) {
    throw new VaultPlanError(
      entity,
      `${staging.name}.${loadCol} is ${type || 'of unknown type'}; it must be a TIMESTAMP, TIMESTAMPTZ or DATE ` +
        '(convert it to a timestamp in the staging model)',
    );
  }
  // Compared as the converted value: a TIMESTAMPTZ or DATE column cannot use row-group skipping
  // here, which only the fallback (rows without a landing key) relies on.
  const above =
    staging.highWater !== undefined ? `${loadTs} > ${tsLiteral(ctx, staging.highWater)}` : undefined;
  const rebuild = creating(ctx);
  const base = rel(ctx, staging.relation);
  let source = `${base} AS s`;
  let unread = rebuild ? undefined : above;
  let arrival = String(ctx.arrival);
  // A first load ever (rebuilding, nothing recorded: arrival 1) has no read keys to join.
  if (staging.landingKey && !(rebuild && ctx.arrival === 1)) {
    const key = `s.${q(ctx, staging.landingKey)}`;
    source +=
      ` LEFT JOIN ${rel(ctx, { schema: ctx.metaSchema, name: READ_KEYS_TABLE })} AS vl_k` +
      ` ON vl_k.entity = ${lit(ctx, entityKey(ctx.target))} AND vl_k.source = ${lit(ctx, staging.name)} AND vl_k.landing_key = ${key}`;
    // An object read before keeps the arrival it had, also when the table is rebuilt.
    arrival = `coalesce(vl_k.arrival, ${ctx.arrival})`;
    // Rows without a landing key cannot be remembered by key: they fall back to the high-water mark.
    if (!rebuild) unread = `vl_k.arrival IS NULL AND (${key} IS NOT NULL${above ? ` OR ${above}` : ''})`;
  }
  return {
    loadTs,
    recordSource: `CAST(s.${q(ctx, sourceCol)} AS ${sqlType(ctx, 'text')})`,
    /** Every staging row, with the read-keys join `arrival` and `unread` refer to. */
    source,
    /** True for a row this entity has not loaded yet (always true when rebuilding). */
    unread: unread ?? 'TRUE',
    /** The load number at which the row's object first arrived. */
    arrival,
    /** The batch: `source` restricted to unread rows. */
    from: `${source}${unread ? ` WHERE ${unread}` : ''}`,
  };
}

/**
 * A column of a date/time type as a UTC TIMESTAMP; undefined for other types. The dialect's own
 * timestamp type is used as it is; another precision (DuckDB TIMESTAMP_NS …) and DATE are cast.
 */
function utcTimestamp(ctx: PlanContext, expression: string, type: string): string | undefined {
  const timestamp = sqlType(ctx, 'timestamp');
  switch (ctx.dialect.typeFamily(type)) {
    case 'timestamp':
      return type.toLowerCase() === timestamp.toLowerCase()
        ? expression
        : `CAST(${expression} AS ${timestamp})`;
    case 'timestamptz':
      return `(${expression} AT TIME ZONE 'UTC')`;
    case 'date':
      return `CAST(${expression} AS ${timestamp})`;
    default:
      return undefined;
  }
}

/** A staging column as TIMESTAMP (UTC): date/time types converted, text cast (a bad value fails the load). */
export function timestampSql(ctx: PlanContext, column: StagingColumn): string {
  const timestamp = sqlType(ctx, 'timestamp');
  return (
    utcTimestamp(ctx, column.expression, column.type ?? timestamp) ??
    `CAST(${column.expression} AS ${timestamp})`
  );
}

/** SQL of the parent hash key computed from staging columns (NULL when a hub part is missing). */
export function parentKeySql(
  entity: string,
  parent: ParentKey,
  staging: StagingInput,
  ctx: PlanContext,
): string {
  const groups = parent.groups.map((g) => g.map((c) => stagingColumn(entity, staging, c, ctx)));
  return hashKeySql(groups, ctx.hashing, ctx.dialect, ctx.macros);
}

/**
 * Statements that start every load: the schema and, when the table is (re)built — --full-refresh or
 * no table yet — the drop of the old table, its current state and its high-water marks, so that
 * nothing left over from an earlier build is trusted.
 */
export function prologue(ctx: PlanContext, extraTables: Relation[] = []): VaultStatement[] {
  const out: VaultStatement[] = [
    { label: 'create target schema', sql: `CREATE SCHEMA IF NOT EXISTS ${q(ctx, ctx.target.schema)}` },
  ];
  if (creating(ctx)) {
    for (const t of [ctx.target, ...extraTables]) {
      out.push({ label: `rebuild: drop ${t.name}`, sql: `DROP TABLE IF EXISTS ${rel(ctx, t)}` });
    }
    out.push({
      label: 'rebuild: forget the high-water marks',
      sql: `DELETE FROM ${rel(ctx, { schema: ctx.metaSchema, name: LOAD_STATE_TABLE })} WHERE entity = ${lit(ctx, entityKey(ctx.target))}`,
    });
  }
  return out;
}

/** True when the target table must be created (first load or full refresh). */
export function creating(ctx: PlanContext): boolean {
  return ctx.fullRefresh || ctx.targetColumns === undefined;
}

/** CREATE TABLE for the target when it is new; ADD COLUMN for columns the spec gained since (drift). */
export function targetDdl(ctx: PlanContext, columns: [string, string][]): VaultStatement[] {
  if (creating(ctx)) {
    const body = columns.map(([n, t]) => `  ${q(ctx, n)} ${t}`).join(',\n');
    return [{ label: 'create target table', sql: `CREATE TABLE ${rel(ctx, ctx.target)} (\n${body}\n)` }];
  }
  const have = new Set((ctx.targetColumns ?? []).map((c) => c.toLowerCase()));
  return columns
    .filter(([n]) => !have.has(n.toLowerCase()))
    .map(([n, t]) => ({
      label: `schema drift: add column ${n}`,
      // Existing rows get NULL in the new column, so it cannot be NOT NULL.
      sql: `ALTER TABLE ${rel(ctx, ctx.target)} ADD COLUMN ${q(ctx, n)} ${t.replace(/ NOT NULL$/, '')}`,
    }));
}

/**
 * Moves each source's high-water mark to the newest load_ts it had in this batch (kept when the
 * batch was empty). `rowsTable` holds the batch with `load_ts` and, for several sources, `vl_source`.
 */
export function highWaterStatements(
  ctx: PlanContext,
  sources: StagingInput[],
  rowsTable: string,
  bySource: boolean,
): VaultStatement[] {
  const state = rel(ctx, { schema: ctx.metaSchema, name: LOAD_STATE_TABLE });
  const entity = lit(ctx, entityKey(ctx.target));
  const readKeys = rel(ctx, { schema: ctx.metaSchema, name: READ_KEYS_TABLE });
  return sources.flatMap((s) => {
    const where = bySource ? ` WHERE vl_source = ${lit(ctx, s.name)}` : '';
    const previous = s.highWater !== undefined && !ctx.fullRefresh ? tsLiteral(ctx, s.highWater) : 'NULL';
    const key = s.landingKey ? `s.${q(ctx, s.landingKey)}` : undefined;
    const remember: VaultStatement[] = key
      ? [
          {
            label: `objects of ${s.name} read: remember them with this load's arrival`,
            // An empty batch read no object: no scan of staging then.
            onlyIfRows: true,
            sql:
              `INSERT INTO ${readKeys} (entity, source, landing_key, arrival)\n` +
              `SELECT DISTINCT ${entity}, ${lit(ctx, s.name)}, ${key}, ${ctx.arrival} FROM ${rel(ctx, s.relation)} AS s\n` +
              `WHERE ${key} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ${readKeys} AS k ` +
              `WHERE k.entity = ${entity} AND k.source = ${lit(ctx, s.name)} AND k.landing_key = ${key})`,
          },
        ]
      : [];
    return [
      ...remember,
      {
        label: `high-water mark of ${s.name}: forget the old one`,
        sql: `DELETE FROM ${state} WHERE entity = ${entity} AND source = ${lit(ctx, s.name)}`,
      },
      {
        label: `high-water mark of ${s.name}: newest load_ts read`,
        sql:
          `INSERT INTO ${state} (entity, source, high_water_load_ts)\n` +
          `SELECT ${entity}, ${lit(ctx, s.name)}, coalesce(max(${COL.loadTs}), ${previous}) FROM ${rowsTable}${where}`,
      },
    ];
  });
}

/**
 * Records which hash keys this load inserted rows for (and their oldest load_ts) under the entity's
 * next load number, for the PITs that read the entity. `rowsTable` has vl_hk and load_ts.
 */
export function changeLogStatement(ctx: PlanContext, rowsTable: string, where: string): VaultStatement {
  const changes = rel(ctx, { schema: ctx.metaSchema, name: CHANGES_TABLE });
  const entity = lit(ctx, entityKey(ctx.target));
  return {
    label: 'change log: the keys this load inserted rows for',
    sql:
      `INSERT INTO ${changes} (entity, load_id, hk, first_load_ts)\n` +
      `SELECT ${entity}, (SELECT coalesce(max(load_id), 0) + 1 FROM ${changes} WHERE entity = ${entity}), vl_hk, min(${COL.loadTs})\n` +
      `FROM ${rowsTable} WHERE ${where} GROUP BY vl_hk`,
  };
}

/**
 * How a current-state table stores a hash key: as integers where the dialect offers it (an integer
 * join probes a table of millions of keys several times faster than 64-character strings), else as
 * text. `matches(alias, hex)` is the join condition with a hex key expression.
 */
export function stateKey(ctx: PlanContext, column: string) {
  const compact = ctx.dialect.digestToIntegers?.bind(ctx.dialect);
  if (!compact) {
    return {
      ddl: `${column} ${notNull(ctx, 'text')}`,
      columns: [column],
      values: (hex: string) => [hex],
      matches: (alias: string, hex: string) => `${alias}.${column} = ${hex}`,
    };
  }
  const { expressions, type } = compact('x');
  const parts = expressions.map((_, i) => `${column}_${i}`);
  return {
    ddl: parts.map((p) => `${p} ${type} NOT NULL`).join(', '),
    columns: parts,
    values: (hex: string) => compact(hex).expressions,
    matches: (alias: string, hex: string) =>
      compact(hex)
        .expressions.map((e, i) => `${alias}.${parts[i]} = ${e}`)
        .join(' AND '),
  };
}

/**
 * The index a per-key lookup table needs on engines whose key joins otherwise read the whole table
 * (Dialect.lookupIndex; none on DuckDB). Placed after the statement that fills the table, so the load
 * creating the table builds it once over its rows (faster than maintaining it row by row); on later
 * loads it exists and the statement changes nothing.
 */
export function lookupIndexStatements(
  ctx: PlanContext,
  relation: Relation,
  columns: readonly string[],
): VaultStatement[] {
  const index = ctx.dialect.lookupIndex?.(relation, columns);
  return index ? [{ label: `lookup index on ${relation.name} (${columns.join(', ')})`, sql: index }] : [];
}

/** Per-source counts of the batch in TMP.rows (which has vl_source, vl_hk and load_ts). */
export function sourceStatsStatement(ctx: PlanContext): VaultStatement {
  return {
    label: 'counts per source',
    read: 'sources',
    sql:
      `SELECT vl_source AS source, count(*) AS rows_read, count(*) - count(vl_hk) AS skipped_null_keys, ` +
      `count(*) - count(${COL.loadTs}) AS missing_load_ts, ${ctx.dialect.timestampText(`max(${COL.loadTs})`)} AS high_water\n` +
      `FROM ${q(ctx, TMP.rows)} GROUP BY vl_source ORDER BY vl_source`,
  };
}

export function dropTemp(ctx: PlanContext, ...names: string[]): VaultStatement[] {
  return names.map((n) => ({ label: `drop ${n}`, sql: `DROP TABLE IF EXISTS ${q(ctx, n)}` }));
}

/**
 * An ordering key of a text expression (record_source, a hash key or hashdiff, an order text) that
 * sorts by code point on every engine (`Dialect.byteOrder`): the rows a load keeps never depend on
 * the warehouse's collation.
 */
export function textOrder(ctx: PlanContext, expression: string): string {
  return ctx.dialect.byteOrder(expression);
}

/**
 * An ordering key of a staging column's value: by code point when the column is text; JSON by its
 * text (PostgreSQL's json has no ordering at all; DuckDB's JSON sorts as its text already); as it is
 * otherwise. `type` undefined (compiled without a warehouse): left as it is.
 */
export function columnOrder(ctx: PlanContext, expression: string, type: string | undefined): string {
  const family = type === undefined ? undefined : ctx.dialect.typeFamily(type);
  if (family === 'text') return ctx.dialect.byteOrder(expression);
  if (family === 'json') return ctx.dialect.byteOrder(`CAST(${expression} AS ${sqlType(ctx, 'text')})`);
  return expression;
}

/** `a, b, c` of quoted identifiers, optionally prefixed with a table alias. */
export function list(ctx: PlanContext, names: readonly string[], alias?: string): string {
  return names.map((n) => (alias ? `${alias}.${q(ctx, n)}` : q(ctx, n))).join(', ');
}
