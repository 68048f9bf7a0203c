import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { renderNodeSql } from '../cli/compile.ts';
import type { VaultlineConfig } from '../config/schema.ts';
import { compiledPath } from '../project/relations.ts';
import type { GraphNode, ProjectGraph } from '../project/types.ts';
import { mergeVars } from '../project/vars.ts';
import { redactor } from '../shared/redact.ts';

export interface CompiledSql {
  sql: string | null;
  /** `target/compiled/…`, `target/run_results.json (the last run)`, `rendered`, or null when there is none. */
  from: string | null;
  error?: string;
}

/**
 * A node's compiled SQL for the node page and the provenance view: `vaultline compile`'s file when it is
 * at least as new as the node's own file, else what the last run recorded, else rendered now exactly as
 * compile renders it (so it never shows SQL of an older version of the model). Sources and seeds have none.
 */
export function compiledSql(config: VaultlineConfig, graph: ProjectGraph, node: GraphNode): CompiledSql {
  if (node.resourceType !== 'model' && node.resourceType !== 'test' && node.resourceType !== 'vault')
    return { sql: null, from: null };
  const relativePath = join(config.target_path, 'compiled', compiledPath(node));
  const path = resolve(config.projectDir, relativePath);
  const ownFile = resolve(config.projectDir, node.file);
  const fresh = (file: string) =>
    existsSync(file) && (!existsSync(ownFile) || statSync(file).mtimeMs >= statSync(ownFile).mtimeMs);
  if (fresh(path))
    return { sql: readFileSync(path, 'utf8').trimEnd(), from: relativePath.split('\\').join('/') };
  const results = resolve(config.projectDir, config.target_path, 'run_results.json');
  if (fresh(results)) {
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
  try {
    return {
      sql: redactor.text(renderNodeSql(config, graph, node, mergeVars(config.vars, {}))),
      from: 'rendered',
    };
  } catch (error) {
    return { sql: null, from: null, error: error instanceof Error ? error.message : String(error) };
  }
}
