import type { Column } from '../../engine/catalog.ts';
import type { Dialect } from '../../engine/dialect.ts';
import type { IncrementalStrategy } from '../../project/types.ts';
import { type BuildTarget, targetRelation } from './target.ts';

/**
 * `materialized: incremental`. The first build (and `--full-refresh`) is a table build. Later builds:
 * 1. the model's SELECT (reading only new data) lands in a temporary table;
 * 2. its columns are compared with the table's (on_schema_change);
 * 3. the new rows are appended, merged on unique_key, or replace the rows with the same key
 *    (delete+insert) — all in the executor's transaction, with the load audit.
 * Engines without MERGE get delete+insert for `merge` (same result for unique keys).
 */
export function stageStatements(dialect: Dialect, temp: string, sql: string): string[] {
  const t = dialect.quoteIdentifier(temp);
  return [`DROP TABLE IF EXISTS ${t}`, `CREATE TEMPORARY TABLE ${t} AS\n${sql}`];
}

export function dropStageStatement(dialect: Dialect, temp: string): string {
  return `DROP TABLE IF EXISTS ${dialect.quoteIdentifier(temp)}`;
}

export interface SchemaDiff {
  added: Column[];
  removed: Column[];
  changed: { name: string; from: string; to: string }[];
}

/** Differences between the table's columns and the new rows' columns (names compared case-insensitively). */
export function diffColumns(existing: Column[], incoming: Column[]): SchemaDiff {
  const byName = (cols: Column[]) => new Map(cols.map((c) => [c.name.toLowerCase(), c]));
  const old = byName(existing);
  const now = byName(incoming);
  return {
    added: incoming.filter((c) => !old.has(c.name.toLowerCase())),
    removed: existing.filter((c) => !now.has(c.name.toLowerCase())),
    changed: incoming.flatMap((c) => {
      const before = old.get(c.name.toLowerCase());
      return before && before.dataType !== c.dataType
        ? [{ name: c.name, from: before.dataType, to: c.dataType }]
        : [];
    }),
  };
}

export function isSchemaChanged(diff: SchemaDiff): boolean {
  return diff.added.length + diff.removed.length + diff.changed.length > 0;
}

export function describeDiff(diff: SchemaDiff): string {
  const parts: string[] = [];
  if (diff.added.length)
    parts.push(`new columns ${diff.added.map((c) => `${c.name} ${c.dataType}`).join(', ')}`);
  if (diff.removed.length) parts.push(`missing columns ${diff.removed.map((c) => c.name).join(', ')}`);
  if (diff.changed.length)
    parts.push(`changed types ${diff.changed.map((c) => `${c.name} ${c.from} → ${c.to}`).join(', ')}`);
  return parts.join('; ');
}

export function addColumnStatements(dialect: Dialect, target: BuildTarget, columns: Column[]): string[] {
  const relation = targetRelation(dialect, target);
  return columns.map(
    (c) => `ALTER TABLE ${relation} ADD COLUMN ${dialect.quoteIdentifier(c.name)} ${c.dataType}`,
  );
}

/** A query returning up to 3 key values that occur more than once in the new rows. */
export function duplicateKeysQuery(dialect: Dialect, temp: string, uniqueKey: string[]): string {
  const keys = uniqueKey.map((k) => dialect.quoteIdentifier(k)).join(', ');
  return `SELECT ${keys}, count(*) AS occurrences FROM ${dialect.quoteIdentifier(temp)} GROUP BY ${keys} HAVING count(*) > 1 LIMIT 3`;
}

export interface ApplyInput {
  dialect: Dialect;
  target: BuildTarget;
  temp: string;
  /** Columns of the new rows (after schema handling), in their order. */
  columns: string[];
  strategy: IncrementalStrategy;
  uniqueKey: string[];
}

export function applyStatements(input: ApplyInput): string[] {
  const { dialect, strategy } = input;
  if (strategy === 'append') return [insertStatement(input)];
  if (strategy === 'merge' && dialect.capabilities.supportsMerge) return [mergeStatement(input)];
  return [deleteMatchingStatement(input), insertStatement(input)];
}

function insertStatement({ dialect, target, temp, columns }: ApplyInput): string {
  const cols = columns.map((c) => dialect.quoteIdentifier(c)).join(', ');
  return `INSERT INTO ${targetRelation(dialect, target)} (${cols})\nSELECT ${cols} FROM ${dialect.quoteIdentifier(temp)}`;
}

function keyMatch(dialect: Dialect, uniqueKey: string[]): string {
  return uniqueKey
    .map((k) => `__vl_new.${dialect.quoteIdentifier(k)} = __vl_target.${dialect.quoteIdentifier(k)}`)
    .join(' AND ');
}

function deleteMatchingStatement({ dialect, target, temp, uniqueKey }: ApplyInput): string {
  return (
    `DELETE FROM ${targetRelation(dialect, target)} AS __vl_target\n` +
    `WHERE EXISTS (SELECT 1 FROM ${dialect.quoteIdentifier(temp)} AS __vl_new WHERE ${keyMatch(dialect, uniqueKey)})`
  );
}

function mergeStatement({ dialect, target, temp, columns, uniqueKey }: ApplyInput): string {
  const q = (c: string) => dialect.quoteIdentifier(c);
  const keys = new Set(uniqueKey.map((k) => k.toLowerCase()));
  const updates = columns.filter((c) => !keys.has(c.toLowerCase())).map((c) => `${q(c)} = __vl_new.${q(c)}`);
  const matched = updates.length > 0 ? `UPDATE SET ${updates.join(', ')}` : 'DO NOTHING';
  return [
    `MERGE INTO ${targetRelation(dialect, target)} AS __vl_target`,
    `USING ${q(temp)} AS __vl_new`,
    `ON (${keyMatch(dialect, uniqueKey)})`,
    `WHEN MATCHED THEN ${matched}`,
    `WHEN NOT MATCHED THEN INSERT (${columns.map(q).join(', ')}) VALUES (${columns.map((c) => `__vl_new.${q(c)}`).join(', ')})`,
  ].join('\n');
}
