import { topologicalOrder } from '../../project/resolve-graph.ts';
import { selectNodes } from '../../project/selection/select.ts';
import type { ProjectGraph, UniqueId } from '../../project/types.ts';
import { type NodeSummary, nodeName, nodeSummary } from './node-kind.ts';

export interface GraphViewOptions {
  /** Selectors as `--select` takes them (each may hold several, space-separated). */
  select?: string[];
  exclude?: string[];
  /** Keep only nodes whose name, id, path or a tag contains this (case-insensitive). */
  search?: string;
  /** Include tests (default false: a project has many, and they hide the flow). */
  tests?: boolean;
  /** At most this many nodes (default 300): a browser lays out and draws them in well under a second. */
  limit?: number;
}

export interface GraphView {
  nodes: NodeSummary[];
  /** [from, to]: `to` reads `from`. Only edges between nodes of the view. */
  edges: [UniqueId, UniqueId][];
  /** Nodes the selection and search matched. */
  matched: number;
  /** Of those, how many were left out by the limit (the page says so, and how to narrow). */
  omitted: number;
  warnings: string[];
}

export const DEFAULT_LIMIT = 300;

const ranks = new WeakMap<ProjectGraph, Map<UniqueId, number>>();

/** Topological position of each node, computed once per loaded graph. */
function rankOf(graph: ProjectGraph): Map<UniqueId, number> {
  let rank = ranks.get(graph);
  if (!rank) {
    rank = new Map(topologicalOrder(graph.nodes).map((id, i) => [id, i]));
    ranks.set(graph, rank);
  }
  return rank;
}

/**
 * The part of the graph a lineage page draws: the selection (selectNodes, the syntax of `--select`),
 * narrowed by a search, without tests unless asked, cut to `limit` nodes. The cut keeps the most
 * upstream nodes first (topological order), so what is drawn is a connected start of the flow, not a
 * scatter, and tests go first.
 */
export function graphView(graph: ProjectGraph, options: GraphViewOptions = {}): GraphView {
  const split = (list: string[] | undefined) =>
    (list ?? []).flatMap((s) => s.split(/\s+/)).filter((s) => s.length > 0);
  const selection = selectNodes(graph, { select: split(options.select), exclude: split(options.exclude) });
  const needle = options.search?.trim().toLowerCase() ?? '';
  const matches: UniqueId[] = [];
  for (const id of selection.selected) {
    const node = graph.nodes.get(id);
    if (!node) continue;
    if (!options.tests && node.resourceType === 'test') continue;
    if (
      needle &&
      ![nodeName(node), node.uniqueId, node.file, ...node.tags].some((text) =>
        text.toLowerCase().includes(needle),
      )
    )
      continue;
    matches.push(id);
  }
  const limit = Math.max(1, options.limit ?? DEFAULT_LIMIT);
  const rank = rankOf(graph);
  const ordered = matches.sort((a, b) => {
    const testA = graph.nodes.get(a)?.resourceType === 'test' ? 1 : 0;
    const testB = graph.nodes.get(b)?.resourceType === 'test' ? 1 : 0;
    return testA - testB || (rank.get(a) ?? 0) - (rank.get(b) ?? 0);
  });
  const kept = ordered.slice(0, limit);
  const inView = new Set(kept);
  const edges: [UniqueId, UniqueId][] = [];
  for (const id of kept)
    for (const parent of graph.nodes.get(id)?.dependsOn ?? [])
      if (inView.has(parent)) edges.push([parent, id]);
  return {
    nodes: kept.map((id) => nodeSummary(graph.nodes.get(id)!)),
    edges,
    matched: matches.length,
    omitted: matches.length - kept.length,
    warnings: selection.warnings,
  };
}
