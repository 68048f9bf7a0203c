import { join } from 'node:path';
import type { Hono } from 'hono';
import { SelectorError } from '../../project/selection/parse.ts';
import { DiagnosticsError } from '../../shared/errors.ts';
import { DASHBOARDS_DIR, DashboardLoader } from '../dashboards/loader.ts';
import type { UiDeps } from '../deps.ts';
import { withDashboards } from '../graph/dashboard-nodes.ts';
import { graphView } from '../graph/graph-view.ts';
import { nodeDetail } from '../graph/node-detail.ts';
import { projectGraphCache } from '../graph/project-cache.ts';
import { uiJson } from './json.ts';

/**
 * The lineage and node pages' data:
 * - GET /ui/api/graph?select=…&exclude=…&search=…&tests=1&limit=N → {nodes, edges, matched, omitted, warnings}
 * - GET /ui/api/nodes/:id → the node's data dictionary (graph/node-detail.ts)
 * The project graph is loaded once and reloaded when its files change (graph/project-cache.ts).
 * A project with errors answers 409 with the diagnostics, a bad selector 400.
 */
export function registerGraphRoutes(app: Hono, deps: UiDeps): void {
  const cache = projectGraphCache(deps.config);
  const dashboards = new DashboardLoader(join(deps.config.projectDir, DASHBOARDS_DIR));
  const failure = (c: Parameters<typeof uiJson>[0], error: unknown) => {
    if (error instanceof SelectorError) return uiJson(c, { error: error.message }, 400);
    if (error instanceof DiagnosticsError) return uiJson(c, { error: String(error.message) }, 409);
    throw error;
  };

  app.get('/ui/api/graph', async (c) => {
    try {
      const graph = await cache.get();
      const limit = Number(c.req.query('limit'));
      const view = graphView(graph, {
        select: c.req.queries('select') ?? [],
        exclude: c.req.queries('exclude') ?? [],
        search: c.req.query('search') ?? '',
        tests: c.req.query('tests') === '1' || c.req.query('tests') === 'true',
        ...(Number.isInteger(limit) && limit > 0 ? { limit: Math.min(limit, 5000) } : {}),
      });
      return uiJson(c, withDashboards(view, dashboards.list()));
    } catch (error) {
      return failure(c, error);
    }
  });

  app.get('/ui/api/nodes/:id', async (c) => {
    try {
      const graph = await cache.get();
      const id = c.req.param('id');
      const detail = await nodeDetail(deps.config, graph, id, deps.read);
      return detail ? uiJson(c, detail) : uiJson(c, { error: `no node ${id} in the project` }, 404);
    } catch (error) {
      return failure(c, error);
    }
  });
}
