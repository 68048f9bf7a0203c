import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { JinjaEngine } from './jinja/engine.ts';
import type { ProjectGraph, UniqueId } from './types.ts';

/**
 * What renderNode needs beyond the (serialisable) graph: the Jinja engine with the project's macros
 * loaded, and name indexes. loadProject registers it; a graph built elsewhere (deserialised, copied)
 * gets one rebuilt from its macro files on first use.
 */
export interface ProjectRuntime {
  engine: JinjaEngine;
  /** Model and seed names to unique ids (what ref() resolves). */
  byName: Map<string, UniqueId>;
  /** `source.table` to unique id. */
  bySource: Map<string, UniqueId>;
}

const runtimes = new WeakMap<object, ProjectRuntime>();

export function buildIndexes(
  graph: Pick<ProjectGraph, 'nodes'>,
): Pick<ProjectRuntime, 'byName' | 'bySource'> {
  const byName = new Map<string, UniqueId>();
  const bySource = new Map<string, UniqueId>();
  for (const node of graph.nodes.values()) {
    if (node.resourceType === 'model' || node.resourceType === 'seed' || node.resourceType === 'vault') {
      if (!byName.has(node.name)) byName.set(node.name, node.uniqueId);
    } else if (node.resourceType === 'source')
      bySource.set(`${node.sourceName}.${node.tableName}`, node.uniqueId);
  }
  return { byName, bySource };
}

export function registerRuntime(graph: ProjectGraph, engine: JinjaEngine): void {
  const runtime: ProjectRuntime = { engine, ...buildIndexes(graph) };
  // Keyed by the graph and by its node map, so a shallow copy ({...graph}) still finds it.
  runtimes.set(graph, runtime);
  runtimes.set(graph.nodes, runtime);
}

export function runtimeFor(graph: ProjectGraph): ProjectRuntime {
  const found = runtimes.get(graph) ?? runtimes.get(graph.nodes);
  if (found) return found;
  const engine = new JinjaEngine();
  const files = [...new Set(graph.macros.filter((m) => !m.builtin).map((m) => m.file))];
  for (const file of files) engine.loadMacroFile(file, readFileSync(join(graph.projectDir, file), 'utf8'));
  registerRuntime(graph, engine);
  return runtimes.get(graph)!;
}
