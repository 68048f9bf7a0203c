import type { GraphNode } from '../../project/types.ts';
import type { VaultEntitySpec } from '../../vault/types.ts';

/**
 * What a node is in the lineage, finer than its resource type: the layer a reader looks for
 * (source → staging → vault → marts). Staging and marts are told by folder (models/staging/…,
 * models/marts/…) or by the dbt naming habit (`stg_…`); vault entities by their entity kind (hub,
 * link, satellite, multi_active_satellite, effectivity_satellite, record_tracking_satellite, pit).
 */
export function nodeKind(node: GraphNode): string {
  switch (node.resourceType) {
    case 'source':
    case 'seed':
    case 'test':
      return node.resourceType;
    case 'vault':
      return (node.spec as VaultEntitySpec | undefined)?.kind ?? 'vault';
    case 'model': {
      const folders = node.fqn.slice(0, -1);
      if (folders.includes('staging') || node.name.startsWith('stg_')) return 'staging';
      if (folders.includes('marts') || folders.includes('mart')) return 'mart';
      return 'model';
    }
  }
}

/** The name a person knows a node by: `source.table` for sources, the node name otherwise. */
export function nodeName(node: GraphNode): string {
  return node.resourceType === 'source' ? `${node.sourceName}.${node.tableName}` : node.name;
}

/** The schema of the node's relation (sources: their source name; tests: none). */
export function nodeSchema(node: GraphNode): string | null {
  switch (node.resourceType) {
    case 'model':
    case 'seed':
    case 'vault':
      return node.schema;
    case 'source':
      return node.sourceName;
    case 'test':
      return null;
  }
}

/** One node as the lineage draws it. */
export interface NodeSummary {
  id: string;
  name: string;
  kind: string;
  resource_type: string;
  schema: string | null;
  tags: string[];
  path: string;
}

export function nodeSummary(node: GraphNode): NodeSummary {
  return {
    id: node.uniqueId,
    name: nodeName(node),
    kind: nodeKind(node),
    resource_type: node.resourceType,
    schema: nodeSchema(node),
    tags: node.tags,
    path: node.file,
  };
}
