import type { Context, Hono } from 'hono';
import { CLI_JOB } from '../../orchestrator/runner.ts';
import {
  FINISHED_RUN_STATUSES,
  type RunRecord,
  type RunStatus,
  type RunSummary,
} from '../../orchestrator/types.ts';
import { UsageError } from '../../shared/errors.ts';
import type { UiDeps } from '../deps.ts';
import { uiJson } from './json.ts';
import { DEFAULT_LOG_PAGE, RunCache } from './run-cache.ts';
import { runEvents } from './run-events.ts';
import { runView, summaryView } from './run-view.ts';

const DEFAULT_RUNS_PAGE = 50;
const MAX_RUNS_PAGE = 500;
const RUN_STATUSES: readonly RunStatus[] = ['queued', 'running', ...FINISHED_RUN_STATUSES];
/** Run ids as the store makes them (store/run-ids.ts): anything else is no run. */
const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;

/**
 * The Runs pages' routes:
 *   GET  /ui/api/runs?job=&status=&limit=&before=   {runs, next_before}   newest first
 *   GET  /ui/api/runs/:id                            {run, log_lines}
 *   GET  /ui/api/runs/:id/log?offset=&limit=&tail=1  {total, offset, lines}
 *   GET  /ui/api/runs/:id/events                     server-sent events (run-events.ts)
 *   POST /ui/api/jobs/:name/run  {partition?}        {run} 202
 *   POST /ui/api/runs/:id/retry                      {run} 202 (a new manual run of the same job and partition)
 *   POST /ui/api/runs/:id/cancel                     {run, cancelling} 202
 * All read the run store (files), never the warehouse: they answer while a build runs.
 */
export function registerRunRoutes(app: Hono, deps: UiDeps): void {
  const cache = new RunCache(deps.runs, deps.config);
  const idOf = (c: Context): string | undefined => {
    const id = c.req.param('id') ?? '';
    return RUN_ID.test(id) ? id : undefined;
  };
  const find = (c: Context): RunRecord | undefined => {
    const id = idOf(c);
    return id ? cache.record(id) : undefined;
  };
  const noRun = (c: Context) => uiJson(c, { error: `no run ${c.req.param('id')}` }, 404);

  app.get('/ui/api/runs', (c) => {
    const limit = clamp(intQuery(c, 'limit') ?? DEFAULT_RUNS_PAGE, 1, MAX_RUNS_PAGE);
    const statuses = (c.req.queries('status') ?? []).flatMap((s) => s.split(',')).filter(Boolean);
    const unknown = statuses.find((s) => !RUN_STATUSES.includes(s as RunStatus));
    if (unknown) return uiJson(c, { error: `status must be one of ${RUN_STATUSES.join(', ')}` }, 400);
    const job = c.req.query('job') || undefined;
    const before = c.req.query('before') || undefined;
    const runs = pageOfRuns(deps, {
      ...(job ? { job } : {}),
      ...(statuses.length > 0 ? { status: statuses as RunStatus[] } : {}),
      limit,
      ...(before ? { before } : {}),
    });
    const now = deps.clock.now();
    const page = runs.slice(0, limit);
    return uiJson(c, {
      runs: page.map((run) => summaryView(run, now)),
      next_before: runs.length > limit ? (page.at(-1)?.id ?? null) : null,
    });
  });

  app.get('/ui/api/runs/:id', (c) => {
    const id = idOf(c);
    const entry = id ? cache.entry(id) : undefined;
    if (!entry) return noRun(c);
    return uiJson(c, { run: runView(entry.record, deps.clock.now()), log_lines: entry.lines.length });
  });

  app.get('/ui/api/runs/:id/log', (c) => {
    const id = idOf(c);
    const tail = c.req.query('tail') === '1' || c.req.query('tail') === 'true';
    const offset = intQuery(c, 'offset');
    const page = id
      ? cache.page(id, {
          tail,
          limit: intQuery(c, 'limit') ?? DEFAULT_LOG_PAGE,
          ...(offset !== undefined ? { offset } : {}),
        })
      : undefined;
    return page ? uiJson(c, page) : noRun(c);
  });

  app.get('/ui/api/runs/:id/events', (c) => {
    const id = idOf(c);
    const run = id ? deps.runs.get(id) : undefined;
    return run ? runEvents(c, deps, run) : noRun(c);
  });

  app.post('/ui/api/jobs/:name/run', async (c) => {
    const name = c.req.param('name');
    if (!deps.config.jobs[name]) return uiJson(c, { error: `no job "${name}" in vaultline.yml` }, 404);
    const body = (await c.req.json().catch(() => ({}))) as { partition?: unknown };
    const partition =
      typeof body.partition === 'string' && body.partition !== '' ? body.partition : undefined;
    if (partition !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(partition))
      return uiJson(c, { error: 'partition must be a date YYYY-MM-DD' }, 400);
    if (partition !== undefined && !deps.config.jobs[name]?.partitions)
      return uiJson(c, { error: `job "${name}" is not partitioned` }, 400);
    return startRun(c, deps, name, partition);
  });

  app.post('/ui/api/runs/:id/retry', (c) => {
    const run = find(c);
    if (!run) return noRun(c);
    if (!FINISHED_RUN_STATUSES.includes(run.status))
      return uiJson(c, { error: `run ${run.id} is ${run.status}: retry it once it has finished` }, 409);
    if (run.job === CLI_JOB || !deps.config.jobs[run.job])
      return uiJson(
        c,
        { error: `run ${run.id} is not a run of a job in vaultline.yml: nothing to retry` },
        409,
      );
    return startRun(c, deps, run.job, run.partition);
  });

  app.post('/ui/api/runs/:id/cancel', (c) => {
    const id = c.req.param('id');
    if (RUN_ID.test(id) && deps.runner.cancel(id)) return uiJson(c, { run: id, cancelling: true }, 202);
    const run = find(c);
    if (!run) return noRun(c);
    return uiJson(c, { error: `run ${id} is ${run.status}, not queued or running` }, 409);
  });
}

/** A manual run of a job; a step the partition cannot fill in (a usage error) answers 400. */
function startRun(c: Context, deps: UiDeps, job: string, partition: string | undefined): Response {
  try {
    const { run } = deps.runner.start({
      job,
      trigger: { kind: 'manual', by: 'api' },
      ...(partition ? { partition } : {}),
    });
    return uiJson(c, { run }, 202);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    return uiJson(c, { error: error.message }, 400);
  }
}

/**
 * Runs older than `before` (a run id: ids sort in the order runs were made), newest first, one more
 * than `limit` when there are more. The store lists from the newest, so the listing grows until it
 * reaches past `before` far enough.
 */
function pageOfRuns(
  deps: UiDeps,
  filter: { job?: string; status?: RunStatus[]; limit: number; before?: string },
): RunSummary[] {
  // One more than the page: whether there is a next page.
  return deps.runs.list({ ...filter, limit: filter.limit + 1 });
}

function intQuery(c: Context, name: string): number | undefined {
  const text = c.req.query(name);
  if (text === undefined || text === '') return undefined;
  const value = Number(text);
  return Number.isInteger(value) ? value : undefined;
}

const clamp = (value: number, min: number, max: number) => Math.min(Math.max(value, min), max);
