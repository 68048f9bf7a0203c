import type { Hono } from 'hono';
import { nextTick } from '../../orchestrator/schedule/ticks.ts';
import type { UiDeps } from '../deps.ts';
import { uiJson } from './json.ts';

/** GET /ui/api/jobs: the jobs with their next tick and last run. */
export function registerJobRoutes(app: Hono, deps: UiDeps): void {
  app.get('/ui/api/jobs', (c) => {
    const now = deps.clock.now();
    const jobs = Object.entries(deps.config.jobs).map(([name, job]) => ({
      name,
      description: job.description ?? null,
      steps: job.steps,
      schedule: job.schedule ?? null,
      enabled: job.enabled,
      partitioned: job.partitions !== undefined,
      next_tick: job.enabled && job.schedule ? (nextTick(job.schedule, now)?.toISOString() ?? null) : null,
      last_run: deps.runs.list({ job: name, limit: 1 })[0] ?? null,
    }));
    return uiJson(c, { jobs });
  });
}
