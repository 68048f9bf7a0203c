import type { Hono } from 'hono';
import type { UiDeps } from '../deps.ts';
import { registerDashboardRoutes } from './dashboards.ts';
import { registerJobRoutes } from './jobs.ts';
import { registerProjectRoutes } from './project.ts';

/**
 * The UI's data routes, all under /ui/api/, one module per page (shared file: one line per module).
 * Every answer passes through the redactor (routes answer with `uiJson`).
 */
export function registerUiRoutes(app: Hono, deps: UiDeps): void {
  registerProjectRoutes(app, deps);
  registerJobRoutes(app, deps);
  registerDashboardRoutes(app, deps);
}
