import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { compileContext, compileVaultNode } from '../../cli/compile.ts';
import type { VaultlineConfig } from '../../config/schema.ts';
import { engineFor } from '../../engine/engine.ts';
import { renderWithEphemerals } from '../../project/ephemeral.ts';
import { compiledPath } from '../../project/relations.ts';
import type { GraphNode, ProjectGraph } from '../../project/types.ts';
import { redactor } from '../../shared/redact.ts';

/**
 * A relation's SQL: what `vaultline compile` wrote (target/compiled/…), else what the last run
 * recorded (target/run_results.json), else rendered now the way compile renders it.
 */
export function compiledSql(
  config: VaultlineConfig,
  graph: ProjectGraph,
  node: GraphNode,
): { sql: string | null; from: string } {
  const target = resolve(config.projectDir, config.target_path);
  const file = join(target, 'compiled', compiledPath(node));
  if (existsSync(file))
    return { sql: readFileSync(file, 'utf8'), from: `target/compiled/${compiledPath(node)}` };
  const results = join(target, 'run_results.json');
  if (existsSync(results)) {
    try {
      const parsed = JSON.parse(readFileSync(results, 'utf8')) as {
        results?: { unique_id?: string; compiled_sql?: string | null }[];
      };
      const sql = parsed.results?.find((r) => r.unique_id === node.uniqueId)?.compiled_sql;
      if (sql) return { sql, from: 'target/run_results.json (the last run)' };
    } catch {
      // an unreadable results file: render instead
    }
  }
  if (node.resourceType !== 'model' && node.resourceType !== 'vault') return { sql: null, from: 'none' };
  try {
    const sql =
      node.resourceType === 'vault'
        ? compileVaultNode(graph, node, engineFor(config.warehouse.type).dialect, config.vars ?? {})
        : renderWithEphemerals(
            graph,
            node,
            compileContext(graph, node, config.warehouse.type, config.vars ?? {}, config.profile),
          );
    return { sql: redactor.text(sql), from: 'rendered now' };
  } catch (error) {
    return { sql: null, from: `could not render: ${error instanceof Error ? error.message : error}` };
  }
}
