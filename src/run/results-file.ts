import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { failuresRelationName } from '../project/test-failures.ts';
import type { ProjectGraph, RunResult } from '../project/types.ts';
import { redactor } from '../shared/redact.ts';
import { plainValue } from './data-tests.ts';

/**
 * `<target_path>/run_results.json`: the last run's results for tools and CI (dbt users look for it
 * there), in dbt's snake_case spelling. Written whole to a temp file, then renamed, so a reader never sees half a file.
 * Messages and compiled SQL may hold a secret (`env_var('GITHUB_TOKEN')`, an engine error quoting it):
 * the whole document passes through the redactor, as a log line would.
 */
export function runResultsDocument(
  result: RunResult,
  graph: ProjectGraph,
  meta: { version: string; args: unknown },
) {
  const elapsed = (Date.parse(result.finishedAt) - Date.parse(result.startedAt)) / 1000;
  return {
    metadata: {
      vaultline_version: meta.version,
      generated_at: result.finishedAt,
      run_id: result.runId,
      command: result.command,
      args: meta.args,
    },
    success: result.success,
    started_at: result.startedAt,
    elapsed_time: elapsed,
    results: result.results.map((r) => {
      const node = graph.nodes.get(r.uniqueId);
      return plainValue({
        unique_id: r.uniqueId,
        name: node?.name,
        resource_type: node?.resourceType,
        status: r.status,
        message: r.message ?? null,
        rows_affected: r.rowsAffected ?? null,
        failures: r.failures ?? null,
        sample: r.sample ?? null,
        // dbt's relation_name; here only for tests that store their failures (store_failures).
        relation_name:
          node?.resourceType === 'test' && node.storeFailures
            ? failuresRelationName(node.storeFailures)
            : null,
        skipped_payloads: r.skippedPayloads ?? [],
        started_at: r.startedAt,
        execution_time: r.durationMs / 1000,
        compiled_sql: r.compiledSql ?? null,
        error: r.error
          ? {
              kind: r.error.kind,
              file: r.error.file,
              line: r.error.line ?? null,
              compiled_line: r.error.compiledLine ?? null,
              compiled_path: r.error.compiledPath ?? null,
              hint: r.error.hint ?? null,
              failed_sql: r.error.failedSql,
            }
          : null,
      });
    }),
  };
}

export function writeRunResults(dir: string, document: unknown): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'run_results.json');
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, `${redactor.text(JSON.stringify(document, null, 2))}\n`);
  renameSync(temp, path);
  return path;
}
