import type { Hono } from 'hono';
import { VERSION } from '../../cli/version.ts';
import { warehouseLocation } from '../../run/warehouse.ts';
import type { UiDeps } from '../deps.ts';
import { uiJson } from './json.ts';

/** GET /ui/api/project: what the page header shows. */
export function registerProjectRoutes(app: Hono, deps: UiDeps): void {
  app.get('/ui/api/project', (c) =>
    uiJson(c, {
      name: deps.config.name,
      warehouse: `${deps.config.warehouse.type} ${warehouseLocation(deps.config)}`,
      version: VERSION,
      jobs: Object.keys(deps.config.jobs),
    }),
  );
}
