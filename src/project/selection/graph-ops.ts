import type { ProjectGraph, UniqueId } from '../types.ts';

/** Nodes reachable upstream (depth steps; Infinity for all), not including the start nodes. */
export function ancestors(graph: ProjectGraph, start: Iterable<UniqueId>, depth = Infinity): Set<UniqueId> {
  return walk(start, depth, (id) => graph.nodes.get(id)?.dependsOn ?? []);
}

/** Nodes reachable downstream (depth steps; Infinity for all), not including the start nodes. */
export function descendants(graph: ProjectGraph, start: Iterable<UniqueId>, depth = Infinity): Set<UniqueId> {
  return walk(start, depth, (id) => graph.children.get(id) ?? []);
}

function walk(
  start: Iterable<UniqueId>,
  depth: number,
  next: (id: UniqueId) => readonly UniqueId[],
): Set<UniqueId> {
  const out = new Set<UniqueId>();
  let frontier = [...start];
  const seen = new Set(frontier);
  for (let step = 0; step < depth && frontier.length > 0; step++) {
    const following: UniqueId[] = [];
    for (const id of frontier) {
      for (const neighbour of next(id)) {
        if (seen.has(neighbour)) continue;
        seen.add(neighbour);
        out.add(neighbour);
        following.push(neighbour);
      }
    }
    frontier = following;
  }
  return out;
}

/**
 * dbt's eager indirect selection: a test is selected when any node it tests or reads is selected,
 * so `--select stg_items` also runs the tests on stg_items (and `--exclude stg_items` drops them).
 */
export function withAttachedTests(graph: ProjectGraph, ids: Set<UniqueId>): Set<UniqueId> {
  const out = new Set(ids);
  for (const node of graph.nodes.values()) {
    if (node.resourceType === 'test' && node.dependsOn.some((parent) => ids.has(parent)))
      out.add(node.uniqueId);
  }
  return out;
}
