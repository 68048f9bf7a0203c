import type { Hono } from 'hono';
import type { UiDeps } from '../deps.ts';
import { registerDashboardRoutes } from './dashboards.ts';
import { registerGraphRoutes } from './graph.ts';
import { registerJobRoutes } from './jobs.ts';
import { registerLandingRoutes } from './landing.ts';
import { registerProjectRoutes } from './project.ts';
import { registerProvenanceRoutes } from './provenance.ts';
import { registerRunRoutes } from './runs.ts';

/**
 * The UI's data routes, all under /ui/api/, one module per page (shared file: one line per module).
 * Every answer passes through the redactor (routes answer with `uiJson`).
 */
export function registerUiRoutes(app: Hono, deps: UiDeps): void {
  registerProjectRoutes(app, deps);
  registerJobRoutes(app, deps);
  registerProvenanceRoutes(app, deps);
  registerGraphRoutes(app, deps);
  registerRunRoutes(app, deps);
  registerDashboardRoutes(app, deps);
  registerLandingRoutes(app, deps);
}
