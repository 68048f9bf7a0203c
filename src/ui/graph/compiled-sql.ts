import { readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { compileContext, compileVaultNode } from '../../cli/compile.ts';
import type { VaultlineConfig } from '../../config/schema.ts';
import { engineFor } from '../../engine/engine.ts';
import { renderWithEphemerals } from '../../project/ephemeral.ts';
import { compiledPath } from '../../project/relations.ts';
import type { GraphNode, ProjectGraph } from '../../project/types.ts';
import { mergeVars } from '../../project/vars.ts';
import { redactor } from '../../shared/redact.ts';

export interface CompiledSql {
  sql: string | null;
  /** `target/compiled/…` when read from there, `rendered` when rendered now, null when none. */
  from: string | null;
  error?: string;
}

/**
 * A node's compiled SQL: `vaultline compile`'s file when it is at least as new as the node's own file,
 * else rendered now exactly as compile would (so it never shows SQL of an older version of the model).
 * Sources and seeds have none.
 */
export async function compiledSql(
  config: VaultlineConfig,
  graph: ProjectGraph,
  node: GraphNode,
): Promise<CompiledSql> {
  if (node.resourceType !== 'model' && node.resourceType !== 'test' && node.resourceType !== 'vault')
    return { sql: null, from: null };
  const relativePath = join(config.target_path, 'compiled', compiledPath(node));
  const path = resolve(config.projectDir, relativePath);
  try {
    const [compiled, own] = await Promise.all([stat(path), stat(resolve(config.projectDir, node.file))]);
    if (compiled.mtimeMs >= own.mtimeMs)
      return { sql: (await readFile(path, 'utf8')).trimEnd(), from: relativePath.split('\\').join('/') };
  } catch {
    // not compiled (or the node's file is generated): render it below
  }
  const vars = mergeVars(config.vars, {});
  try {
    const sql =
      node.resourceType === 'vault'
        ? compileVaultNode(graph, node, engineFor(config.warehouse.type).dialect, vars)
        : renderWithEphemerals(
            graph,
            node,
            compileContext(graph, node, config.warehouse.type, vars, config.profile),
          );
    return { sql: redactor.text(sql), from: 'rendered' };
  } catch (error) {
    return { sql: null, from: null, error: (error as Error).message };
  }
}
