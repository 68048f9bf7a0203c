import type { Command } from 'commander';
import { loadCheckedProject } from '../project/load-project.ts';
import { renderNode } from '../project/render.ts';
import { selectNodes } from '../project/selection/select.ts';
import type { GraphNode } from '../project/types.ts';
import { parseVarsOption } from '../project/vars.ts';
import { previewQuery } from '../run/preview.ts';
import { nodeLabel } from '../run/report.ts';
import { UsageError } from '../shared/errors.ts';
import { log } from '../shared/logger.ts';
import { renderTable } from './table.ts';
import type { ContextProvider } from './verbs.ts';

/**
 * `vaultline show --select X --limit 10` (a model's compiled query, a seed, a source, a test's failing
 * rows) or `vaultline show --inline "select …"` (ref(), source() and macros allowed).
 */
export function registerShow(program: Command, context: ContextProvider): void {
  program
    .command('show')
    .description("preview the first rows of a node's query (or of --inline SQL) without building anything")
    .option('-s, --select <selector...>', 'the one node to preview')
    .option('--inline <sql>', 'a query to preview instead; may use ref(), source() and macros')
    .option('--limit <n>', 'rows to show', '10')
    .option('--vars <yaml>', "variables for var(), as YAML or JSON: '{key: value}'")
    .action(async (options: { select?: string[]; inline?: string; limit: string; vars?: string }) => {
      const ctx = context();
      if ((options.select === undefined) === (options.inline === undefined)) {
        throw new UsageError('give either --select <node> or --inline "<query>"');
      }
      const limit = Number(options.limit);
      if (!Number.isInteger(limit) || limit < 0)
        throw new UsageError(`--limit must be a whole number ≥ 0 (got "${options.limit}")`);
      const cliVars = parseVarsOption(options.vars);
      const config = ctx.loadConfig();
      const graph = await loadCheckedProject(config, { vars: cliVars });
      let node: GraphNode | undefined;
      if (options.select) {
        const selection = selectNodes(graph, { select: options.select });
        for (const warning of selection.warnings) log().warn(warning);
        node = pickOne(
          [...selection.selected].map((id) => graph.nodes.get(id)!),
          options.select.join(' '),
        );
        log().info(`previewing ${node.resourceType} ${nodeLabel(node, node.uniqueId)} (up to ${limit} rows)`);
      }
      const preview = await previewQuery({
        config,
        graph,
        render: renderNode,
        limit,
        node,
        inline: options.inline,
        vars: cliVars,
        warn: (m) => log().warn(m),
      });
      ctx.result(
        () =>
          preview.rows.length === 0
            ? '(no rows)'
            : renderTable(
                preview.columns,
                preview.rows.map((row) => preview.columns.map((c) => cell(row[c]))),
              ),
        { node: node?.uniqueId ?? null, sql: preview.sql, columns: preview.columns, rows: preview.rows },
      );
    });
}

/** show previews one node; tests come along with a selected model (dbt's indirect selection), so
 * they only count when nothing else is selected. */
function pickOne(nodes: GraphNode[], selector: string): GraphNode {
  const primary = nodes.filter((n) => n.resourceType !== 'test');
  const candidates = primary.length > 0 ? primary : nodes;
  if (candidates.length === 1) return candidates[0]!;
  if (candidates.length === 0) throw new UsageError(`--select ${selector} matches no node`);
  const names = candidates.slice(0, 10).map((n) => `${n.resourceType} ${n.name}`);
  throw new UsageError(
    `--select ${selector} matches ${candidates.length} nodes (${names.join(', ')}${candidates.length > 10 ? ', …' : ''}); show previews one`,
  );
}

function cell(value: unknown): string | number {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'number') return value;
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
