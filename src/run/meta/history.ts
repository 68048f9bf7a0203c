import type { Dialect } from '../../engine/dialect.ts';
import type { NodeResult, RunResult } from '../../project/types.ts';
import { redactor } from '../../shared/redact.ts';
import { insertValues, timestampLiteral } from '../sql.ts';
import { metaTable } from './schema.ts';

/**
 * Run history in vaultline_meta: a run row when it starts, one row per node, the outcome at the end.
 * Text that may quote a secret (arguments, messages, compiled SQL, failing-row samples) is scrubbed by
 * the redactor first: the warehouse file is an artefact like any other.
 */
export function runStartStatements(
  dialect: Dialect,
  run: { runId: string; command: string; args: unknown; startedAt: Date; version: string },
): string[] {
  return insertValues(
    dialect,
    metaTable(dialect, 'runs'),
    ['run_id', 'command', 'args', 'started_at', 'status', 'vaultline_version'],
    [
      [
        run.runId,
        run.command,
        redactor.text(JSON.stringify(run.args ?? {})),
        run.startedAt,
        'running',
        run.version,
      ],
    ],
  );
}

export function runFinishStatement(dialect: Dialect, result: RunResult): string {
  return (
    `UPDATE ${metaTable(dialect, 'runs')} SET finished_at = ${timestampLiteral(dialect, new Date(result.finishedAt))}, ` +
    `status = ${dialect.literal(result.cancelled ? 'cancelled' : result.success ? 'success' : 'failed')}, success = ${result.success ? 'TRUE' : 'FALSE'} ` +
    `WHERE run_id = ${dialect.literal(result.runId)}`
  );
}

export function nodeResultStatements(
  dialect: Dialect,
  runId: string,
  resourceType: string,
  r: NodeResult,
): string[] {
  return insertValues(
    dialect,
    metaTable(dialect, 'node_results'),
    [
      'run_id',
      'unique_id',
      'resource_type',
      'status',
      'message',
      'rows_affected',
      'failures',
      'started_at',
      'duration_ms',
      'compiled_sql',
      'skipped_payloads',
      'sample',
    ],
    [
      [
        runId,
        r.uniqueId,
        resourceType,
        r.status,
        redactor.optional(r.message),
        r.rowsAffected ?? null,
        r.failures ?? null,
        new Date(r.startedAt),
        Math.round(r.durationMs),
        redactor.optional(r.compiledSql),
        r.skippedPayloads ? JSON.stringify(r.skippedPayloads) : null,
        r.sample ? redactor.text(JSON.stringify(r.sample)) : null,
      ],
    ],
  );
}
