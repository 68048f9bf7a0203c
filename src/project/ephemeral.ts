import { isEphemeral } from './relations.ts';
import { renderNode } from './render.ts';
import type { GraphNode, ProjectGraph, RenderContext } from './types.ts';

/**
 * Ephemeral models are never built: their SQL is inlined as CTEs into every model or test that uses
 * them (directly or through other ephemerals), as dbt does. The CTE for an ephemeral is named by
 * ctx.relationFor(its id) — the same name its ref() rendered to — so callers choose the naming.
 */
export function renderWithEphemerals(graph: ProjectGraph, node: GraphNode, ctx: RenderContext): string {
  const main = renderNode(graph, node, ctx);
  const chain = ephemeralUpstream(graph, node);
  if (chain.length === 0) return main;
  const ctes = chain.map((ephemeral) => {
    const name = ctx.relationFor(ephemeral.uniqueId);
    const sql = renderNode(graph, ephemeral, { ...ctx, isIncremental: false, thisRelation: name });
    return `${name} as (\n${indent(sql)}\n)`;
  });
  return prependCtes(main, ctes);
}

/** Ephemeral models `node` reads, directly or through other ephemerals, dependencies first. */
export function ephemeralUpstream(graph: ProjectGraph, node: GraphNode): GraphNode[] {
  const out: GraphNode[] = [];
  const seen = new Set<string>();
  const visit = (current: GraphNode) => {
    for (const id of current.dependsOn) {
      const upstream = graph.nodes.get(id);
      if (!upstream || !isEphemeral(upstream) || seen.has(id)) continue;
      seen.add(id);
      visit(upstream);
      out.push(upstream);
    }
  };
  visit(node);
  return out;
}

/**
 * Adds CTEs in front of a query. A query that already starts with WITH gets them spliced into its
 * WITH list (nested WITH is not valid everywhere); leading comments stay on top.
 */
export function prependCtes(sql: string, ctes: readonly string[]): string {
  if (ctes.length === 0) return sql;
  const leading = /^(\s*(?:--[^\n]*\n|\/\*[\s\S]*?\*\/))*\s*/.exec(sql)?.[0] ?? '';
  const body = sql.slice(leading.length);
  const withClause = /^with(\s+recursive)?\s+/i.exec(body);
  if (withClause) {
    const keyword = withClause[1] ? 'with recursive' : 'with';
    return `${leading}${keyword} ${ctes.join(',\n')},\n${body.slice(withClause[0].length)}`;
  }
  return `${leading}with ${ctes.join(',\n')}\n${body}`;
}

function indent(sql: string): string {
  return sql
    .split('\n')
    .map((line) => (line ? `  ${line}` : line))
    .join('\n');
}
