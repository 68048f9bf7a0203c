import type { Dialect } from '../../engine/dialect.ts';
import { redactor } from '../../shared/redact.ts';
import { insertValues } from '../sql.ts';
import { metaTable } from './schema.ts';

/**
 * The load audit: which landed objects each model has read. A model built in full replaces its rows;
 * an incremental model appends the objects it read in this run. The statements run inside the model's
 * own transaction, so the audit and the data can never disagree.
 */
export interface AuditEntry {
  sourceUniqueId: string;
  key: string;
  sha256: string;
  loadTs: Date;
  /** Records the source relation yielded from this object (0 when skipped). */
  rowCount: number;
  status: 'loaded' | 'skipped';
  message?: string;
}

const COLUMNS = [
  'model_unique_id',
  'source_unique_id',
  'landing_key',
  'sha256',
  'load_ts',
  'loaded_at',
  'run_id',
  'row_count',
  'status',
  'message',
];

export function auditStatements(
  dialect: Dialect,
  input: { modelUniqueId: string; runId: string; loadedAt: Date; entries: AuditEntry[]; replace: boolean },
): string[] {
  const table = metaTable(dialect, 'load_audit');
  const out: string[] = [];
  if (input.replace)
    out.push(`DELETE FROM ${table} WHERE model_unique_id = ${dialect.literal(input.modelUniqueId)}`);
  const rows = input.entries.map((e) => [
    input.modelUniqueId,
    e.sourceUniqueId,
    e.key,
    e.sha256,
    e.loadTs,
    input.loadedAt,
    input.runId,
    e.rowCount,
    e.status,
    redactor.optional(e.message),
  ]);
  out.push(...insertValues(dialect, table, COLUMNS, rows));
  return out;
}
