import { join } from 'node:path';
import type { Hono } from 'hono';
import { engineFor } from '../../engine/engine.ts';
import { formatDiagnostic } from '../../shared/diagnostics.ts';
import { answerDashboard, answerDrill, type DashboardAnswer } from '../dashboards/answer.ts';
import { AnswerCache } from '../dashboards/cache.ts';
import { DASHBOARDS_DIR, DashboardLoader } from '../dashboards/loader.ts';
import { DashboardFilterError, filterValues } from '../dashboards/query.ts';
import type { UiDeps } from '../deps.ts';
import { uiJson } from './json.ts';

/**
 * Dashboards as code (`dashboards/*.yml` of the project):
 * - GET /ui/api/dashboards → {dashboards: [{name, title, description, charts, filters, diagnostics}]}
 * - GET /ui/api/dashboards/:name?<filter>=… → the whole dashboard in one answer,
 *   {name, title, description, filters, charts: [{name, type, columns, rows, capped, error?…}], cache},
 *   cached by (file mtime, filter values, warehouse generation): a finished run invalidates it.
 * - GET /ui/api/dashboards/:name/drill?chart=&point=<json> → {hub, keys, capped}
 */
export function registerDashboardRoutes(app: Hono, deps: UiDeps): void {
  const loader = new DashboardLoader(join(deps.config.projectDir, DASHBOARDS_DIR));
  const catalog = engineFor(deps.config.warehouse.type).catalog;
  const cache = new AnswerCache<DashboardAnswer>();
  const read: UiDeps['read'] = (work) => deps.read(work);

  app.get('/ui/api/dashboards', (c) =>
    uiJson(c, {
      dashboards: loader.list().map((file) => ({
        name: file.name,
        title: file.dashboard?.title ?? file.name,
        description: file.dashboard?.description ?? null,
        charts: file.dashboard?.charts.length ?? 0,
        filters: file.dashboard?.filters.length ?? 0,
        diagnostics: file.diagnostics.map((d) => ({ ...d, text: formatDiagnostic(d) })),
      })),
    }),
  );

  app.get('/ui/api/dashboards/:name', async (c) => {
    const file = loader.get(c.req.param('name'));
    if (!file) return uiJson(c, { error: `no dashboard ${c.req.param('name')} in ${DASHBOARDS_DIR}/` }, 404);
    if (!file.dashboard)
      return uiJson(
        c,
        {
          error: `${file.name} has ${file.diagnostics.length} problem(s)`,
          diagnostics: file.diagnostics.map(formatDiagnostic),
        },
        400,
      );
    let values: Record<string, string>;
    try {
      values = filterValues(file.dashboard, c.req.query());
    } catch (error) {
      if (error instanceof DashboardFilterError) return uiJson(c, { error: error.message }, 400);
      throw error;
    }
    const generation = deps.warehouseGeneration();
    // Answers of earlier generations can never be asked for again.
    cache.prune((key) => key.startsWith(`${generation}\u0000`));
    const key = [generation, file.name, file.mtimeMs, JSON.stringify(values)].join('\u0000');
    const dashboard = file.dashboard;
    const { value, hit } = await cache.get(key, () =>
      answerDashboard(read, catalog, file.name, dashboard, values),
    );
    return uiJson(c, { ...value, cache: hit ? 'hit' : 'miss', generation });
  });

  app.get('/ui/api/dashboards/:name/drill', async (c) => {
    const file = loader.get(c.req.param('name'));
    if (!file?.dashboard) return uiJson(c, { error: `no dashboard ${c.req.param('name')} to drill in` }, 404);
    const chart = file.dashboard.charts.find((ch) => ch.name === c.req.query('chart'));
    if (!chart?.drill)
      return uiJson(
        c,
        { error: `${file.name} has no chart ${c.req.query('chart') ?? '(none given)'} with a drill` },
        404,
      );
    let point: unknown;
    try {
      point = JSON.parse(c.req.query('point') ?? '');
    } catch {
      return uiJson(c, { error: 'point must be a JSON object of column values' }, 400);
    }
    if (point === null || typeof point !== 'object' || Array.isArray(point))
      return uiJson(c, { error: 'point must be a JSON object of column values' }, 400);
    try {
      return uiJson(
        c,
        await answerDrill(read, { ...chart, drill: chart.drill }, point as Record<string, unknown>),
      );
    } catch (error) {
      if (error instanceof DashboardFilterError) return uiJson(c, { error: error.message }, 400);
      return uiJson(c, { error: error instanceof Error ? error.message : String(error) }, 400);
    }
  });
}
