import type { Diagnostic } from '../shared/diagnostics.ts';
import { didYouMean } from '../shared/did-you-mean.ts';
import type { PendingMap } from './load-context.ts';
import { buildIndexes } from './runtime.ts';
import type { GraphNode, UniqueId } from './types.ts';

/**
 * Turns the ref()/source() calls recorded at parse time into dependsOn edges, reporting unknown
 * names with a "did you mean", and finds dependency cycles (each reported once, with its path).
 */
export function resolveDependencies(options: {
  projectName: string;
  nodes: Map<UniqueId, GraphNode>;
  pending: PendingMap;
  disabledModels: ReadonlySet<string>;
  diagnostics: Diagnostic[];
}): void {
  const { nodes, diagnostics } = options;
  const { byName, bySource } = buildIndexes({ nodes });
  for (const [id, calls] of options.pending) {
    const node = nodes.get(id);
    if (!node) continue;
    const add = (target: UniqueId) => {
      if (!node.dependsOn.includes(target)) node.dependsOn.push(target);
    };
    const problem = (line: number | undefined, message: string, hint?: string) =>
      diagnostics.push({ file: calls.file, line, node: node.name, message, hint, severity: 'error' });
    for (const ref of calls.refs) {
      const call = ref.project ? `ref('${ref.project}', '${ref.name}')` : `ref('${ref.name}')`;
      if (ref.project !== undefined && ref.project !== options.projectName) {
        problem(
          ref.line,
          `${call}: no project named "${ref.project}" (this project is ${options.projectName})`,
          `write ref('${ref.name}')`,
        );
        continue;
      }
      const target = byName.get(ref.name);
      if (!target) {
        if (options.disabledModels.has(ref.name)) {
          problem(
            ref.line,
            `${call}: model ${ref.name} is disabled (enabled: false)`,
            `enable ${ref.name} or remove the ref`,
          );
        } else {
          const suggestion = didYouMean(ref.name, byName.keys());
          problem(
            ref.line,
            `${call}: no model or seed named "${ref.name}"`,
            suggestion ? `did you mean ref('${suggestion}')?` : 'check the name, or add the model',
          );
        }
        continue;
      }
      if (target === id) {
        problem(
          ref.line,
          `${call}: a model cannot ref itself`,
          "use {{ this }} for the model's own relation",
        );
        continue;
      }
      add(target);
    }
    for (const source of calls.sources) {
      const key = `${source.source}.${source.table}`;
      const target = bySource.get(key);
      if (!target) {
        const suggestion = didYouMean(key, bySource.keys());
        const [s, t] = suggestion?.split('.') ?? [];
        problem(
          source.line,
          `source('${source.source}', '${source.table}'): no such source table`,
          suggestion
            ? `did you mean source('${s}', '${t}')?`
            : 'declare it under sources: in a models/*.yml file',
        );
        continue;
      }
      add(target);
    }
  }
  for (const cycle of findCycles(nodes)) {
    const first = nodes.get(cycle[0]!)!;
    const path = [...cycle, cycle[0]!].map((c) => nodes.get(c)!.name).join(' → ');
    // cycle is in data-flow order: each member is read by the next one.
    const edges = cycle.map((c, i) => {
      const reader = nodes.get(cycle[(i + 1) % cycle.length]!)!;
      return `${reader.file} reads ${nodes.get(c)!.name}`;
    });
    diagnostics.push({
      file: first.file,
      line: first.line,
      node: first.name,
      message: `dependency cycle: ${path}`,
      hint: `${edges.join('; ')}: remove one of these refs`,
      severity: 'error',
    });
  }
}

/** Downstream edges: for each node, the nodes that depend on it (sorted for stable output). */
export function childrenOf(nodes: Map<UniqueId, GraphNode>): Map<UniqueId, UniqueId[]> {
  const children = new Map<UniqueId, UniqueId[]>();
  for (const id of nodes.keys()) children.set(id, []);
  for (const node of nodes.values()) {
    for (const parent of node.dependsOn) children.get(parent)?.push(node.uniqueId);
  }
  for (const list of children.values()) list.sort();
  return children;
}

/**
 * Every cycle, as the ids along one loop (Tarjan's strongly connected components, then a path
 * through each component from its smallest id back to itself).
 */
export function findCycles(nodes: Map<UniqueId, GraphNode>): UniqueId[][] {
  let index = 0;
  const indexes = new Map<UniqueId, number>();
  const low = new Map<UniqueId, number>();
  const stack: UniqueId[] = [];
  const onStack = new Set<UniqueId>();
  const components: UniqueId[][] = [];
  const connect = (id: UniqueId) => {
    indexes.set(id, index);
    low.set(id, index);
    index++;
    stack.push(id);
    onStack.add(id);
    for (const next of nodes.get(id)?.dependsOn ?? []) {
      if (!nodes.has(next)) continue;
      if (!indexes.has(next)) {
        connect(next);
        low.set(id, Math.min(low.get(id)!, low.get(next)!));
      } else if (onStack.has(next)) low.set(id, Math.min(low.get(id)!, indexes.get(next)!));
    }
    if (low.get(id) === indexes.get(id)) {
      const component: UniqueId[] = [];
      let member: UniqueId;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== id);
      const selfLoop = nodes.get(id)?.dependsOn.includes(id) ?? false;
      if (component.length > 1 || selfLoop) components.push(component);
    }
  };
  for (const id of [...nodes.keys()].sort()) if (!indexes.has(id)) connect(id);
  return components.map((component) => loopThrough(nodes, new Set(component)));
}

function loopThrough(nodes: Map<UniqueId, GraphNode>, members: Set<UniqueId>): UniqueId[] {
  const start = [...members].sort()[0]!;
  // Breadth-first search for the shortest path from start back to start inside the component.
  const previous = new Map<UniqueId, UniqueId>();
  const queue: UniqueId[] = [start];
  while (queue.length > 0) {
    const current = queue.shift()!;
    for (const next of nodes.get(current)?.dependsOn ?? []) {
      if (!members.has(next)) continue;
      if (next === start) {
        const path = [current];
        while (path[0] !== start) path.unshift(previous.get(path[0]!)!);
        // dependsOn points upstream; report in data-flow order (upstream first).
        return path.reverse();
      }
      if (!previous.has(next)) {
        previous.set(next, current);
        queue.push(next);
      }
    }
  }
  return [start];
}

/** Node ids in dependency order (upstream first); nodes in cycles come last, in id order. */
export function topologicalOrder(nodes: Map<UniqueId, GraphNode>, ids?: Iterable<UniqueId>): UniqueId[] {
  const wanted = new Set(ids ?? nodes.keys());
  const done = new Set<UniqueId>();
  const visiting = new Set<UniqueId>();
  const out: UniqueId[] = [];
  const visit = (id: UniqueId) => {
    if (done.has(id) || visiting.has(id)) return;
    visiting.add(id);
    for (const parent of [...(nodes.get(id)?.dependsOn ?? [])].sort()) visit(parent);
    visiting.delete(id);
    done.add(id);
    if (wanted.has(id)) out.push(id);
  };
  for (const id of [...wanted].sort()) visit(id);
  return out;
}
