import type { DashboardFile } from '../dashboards/loader.ts';
import type { GraphView } from './graph-view.ts';
import type { NodeSummary } from './node-kind.ts';

export const DASHBOARD_PREFIX = 'dashboard.';

/** The relations (schema.table, lower case) a dashboard's charts and drills read. */
export function dashboardReads(file: DashboardFile): Set<string> {
  const reads = new Set<string>();
  for (const chart of file.dashboard?.charts ?? []) {
    const texts = [chart.relation, chart.sql, chart.drill?.sql].filter(
      (t): t is string => typeof t === 'string',
    );
    for (const text of texts)
      for (const match of text.matchAll(/\b([A-Za-z_][A-Za-z0-9_]*)\s*\.\s*([A-Za-z_][A-Za-z0-9_]*)\b/g))
        reads.add(`${match[1]}.${match[2]}`.toLowerCase());
  }
  return reads;
}

/**
 * The lineage ends where people look: each dashboard becomes a node downstream of the relations in the
 * view that its charts read (found by their schema-qualified names in `relation:` and the SQL), so
 * `+earthquakes_daily+` shows the dashboards built on it. Dashboards reading nothing in view are left out.
 */
export function withDashboards(view: GraphView, dashboards: DashboardFile[]): GraphView {
  const byRelation = new Map<string, NodeSummary>();
  for (const node of view.nodes)
    if (node.schema) byRelation.set(`${node.schema}.${node.name}`.toLowerCase(), node);
  const nodes = [...view.nodes];
  const edges = [...view.edges];
  for (const file of dashboards) {
    const parents = [...dashboardReads(file)].flatMap((relation) => {
      const node = byRelation.get(relation);
      return node ? [node.id] : [];
    });
    if (parents.length === 0) continue;
    const id = `${DASHBOARD_PREFIX}${file.name}`;
    nodes.push({
      id,
      name: file.name,
      kind: 'dashboard',
      resource_type: 'dashboard',
      schema: null,
      tags: [],
      path: file.path,
    });
    for (const parent of new Set(parents)) edges.push([parent, id]);
  }
  return { ...view, nodes, edges };
}
