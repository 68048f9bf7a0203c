import type { VaultlineConfig } from '../../config/schema.ts';
import { loadProject } from '../../project/load-project.ts';
import type { GraphNode, ModelNode, ProjectGraph, SourceNode, VaultNode } from '../../project/types.ts';
import type { VaultEntitySpec } from '../../vault/types.ts';

/** A vault entity with the relation it is built into (from the project's specs, never from a request). */
export interface VaultEntity {
  node: VaultNode;
  spec: VaultEntitySpec;
  schema: string;
  table: string;
}

/** What provenance needs from the project: its graph, its vault entities by name, its sources. */
export interface ProvenanceProject {
  graph: ProjectGraph;
  entities: Map<string, VaultEntity>;
  sources: SourceNode[];
  /** Models by name (staging models are what hubs and satellites read). */
  models: Map<string, ModelNode>;
  /** Every node with a relation, by `schema.table` (what the relation route may read). */
  relations: Map<string, GraphNode & { schema: string; alias: string }>;
}

export function indexProject(graph: ProjectGraph): ProvenanceProject {
  const entities = new Map<string, VaultEntity>();
  const sources: SourceNode[] = [];
  const models = new Map<string, ModelNode>();
  const relations: ProvenanceProject['relations'] = new Map();
  for (const node of graph.nodes.values()) {
    if (node.resourceType === 'vault') {
      entities.set(node.name, {
        node,
        spec: node.spec as VaultEntitySpec,
        schema: node.schema,
        table: node.alias,
      });
    }
    if (node.resourceType === 'source') sources.push(node);
    if (node.resourceType === 'model') models.set(node.name, node);
    if (node.resourceType === 'model' || node.resourceType === 'seed' || node.resourceType === 'vault')
      relations.set(`${node.schema}.${node.alias}`, node);
  }
  return { graph, entities, sources, models, relations };
}

/**
 * The project as provenance reads it, loaded once per warehouse generation: a run that ends may come
 * after the project files changed, and loading costs a fraction of a second, not one per request.
 */
export function projectLoader(config: VaultlineConfig, generation: () => number) {
  let cached: { generation: number; project: Promise<ProvenanceProject> } | undefined;
  return (): Promise<ProvenanceProject> => {
    const now = generation();
    if (!cached || cached.generation !== now) {
      const project = loadProject(config).then(indexProject);
      project.catch(() => {
        if (cached?.project === project) cached = undefined;
      });
      cached = { generation: now, project };
    }
    return cached.project;
  };
}
