import { timingSafeEqual } from 'node:crypto';
import { Hono } from 'hono';
import { stream } from 'hono/streaming';
import { VERSION } from '../../cli/version.ts';
import type { VaultlineConfig } from '../../config/schema.ts';
import { redactor } from '../../shared/redact.ts';
import type { JobRunner } from '../runner.ts';
import { nextTick } from '../schedule/ticks.ts';
import type { RunStore } from '../store/types.ts';
import type { OrchestratorClock, RunEvent, RunStatus } from '../types.ts';
import { SUBMITTABLE_VERBS } from './submittable.ts';

export interface ApiDeps {
  config: VaultlineConfig;
  runner: JobRunner;
  runs: RunStore;
  clock: OrchestratorClock;
  token: string;
  startedAt: string;
  /** Subscribes to run events and command output; returns the unsubscribe. */
  watch(listener: (message: { run: string; event?: RunEvent; stdout?: string }) => void): () => void;
}

function authorized(header: string | undefined, token: string): boolean {
  const given = Buffer.from(header?.replace(/^Bearer /, '') ?? '');
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * The HTTP API of `vaultline serve`, on loopback. Every route but /api/health needs the token from
 * `<state_path>/server.json` (`Authorization: Bearer …`), which only the server's user can read.
 * Answers pass through the redactor like every other output.
 */
export function createApi(deps: ApiDeps): Hono {
  const app = new Hono();
  const json = (value: unknown) => redactor.object(value);

  app.get('/api/health', (c) =>
    c.json({
      ok: true,
      pid: process.pid,
      projectDir: deps.config.projectDir,
      startedAt: deps.startedAt,
      version: VERSION,
    }),
  );
  app.use('/api/*', async (c, next) => {
    if (c.req.path === '/api/health') return next();
    if (!authorized(c.req.header('authorization'), deps.token))
      return c.json(
        { error: 'missing or wrong token: send Authorization: Bearer <token from server.json>' },
        401,
      );
    return next();
  });

  app.get('/api/jobs', (c) => {
    const now = deps.clock.now();
    const jobs = Object.entries(deps.config.jobs).map(([name, job]) => {
      const last = deps.runs.list({ job: name, limit: 1 })[0];
      const next = job.enabled && job.schedule ? nextTick(job.schedule, now) : undefined;
      return { name, ...job, next_tick: next?.toISOString() ?? null, last_run: last ?? null };
    });
    return c.json(json({ jobs }));
  });

  app.get('/api/runs', (c) => {
    const limit = Number(c.req.query('limit') ?? 50);
    const status = c.req.queries('status') as RunStatus[] | undefined;
    const job = c.req.query('job');
    return c.json(
      json({
        runs: deps.runs.list({
          ...(job ? { job } : {}),
          ...(status ? { status } : {}),
          limit: Number.isFinite(limit) ? limit : 50,
        }),
      }),
    );
  });

  app.get('/api/runs/:id', (c) => {
    const run = deps.runs.get(c.req.param('id'));
    if (!run) return c.json({ error: `no run ${c.req.param('id')}` }, 404);
    return c.json(json({ ...run, logs: deps.runs.logs(run.id) }));
  });

  app.post('/api/jobs/:name/run', async (c) => {
    const name = c.req.param('name');
    if (!deps.config.jobs[name])
      return c.json({ error: `no job "${name}" in ${deps.config.configFile}` }, 404);
    const body = (await c.req.json().catch(() => ({}))) as { partition?: unknown };
    const partition = typeof body.partition === 'string' ? body.partition : undefined;
    if (partition !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(partition))
      return c.json({ error: 'partition must be a date YYYY-MM-DD' }, 400);
    if (partition !== undefined && !deps.config.jobs[name]?.partitions)
      return c.json({ error: `job "${name}" is not partitioned` }, 400);
    const { run } = deps.runner.start({
      job: name,
      trigger: { kind: 'manual', by: 'api' },
      ...(partition ? { partition } : {}),
    });
    return c.json({ run }, 202);
  });

  app.post('/api/runs/:id/cancel', (c) => {
    const id = c.req.param('id');
    if (deps.runner.cancel(id)) return c.json({ run: id, cancelling: true }, 202);
    const run = deps.runs.get(id);
    if (!run) return c.json({ error: `no run ${id}` }, 404);
    return c.json({ error: `run ${id} is ${run.status}, not queued or running` }, 409);
  });

  /** A CLI command run here: its log and output streamed back as NDJSON, ending with its exit code. */
  app.post('/api/submit', async (c) => {
    const body = (await c.req.json().catch(() => ({}))) as { argv?: unknown };
    const argv =
      Array.isArray(body.argv) && body.argv.every((a) => typeof a === 'string')
        ? (body.argv as string[])
        : undefined;
    if (!argv || argv.length === 0 || !SUBMITTABLE_VERBS.includes(argv[0] ?? ''))
      return c.json(
        { error: `argv must be a command starting with one of ${SUBMITTABLE_VERBS.join(', ')}` },
        400,
      );
    if (argv.includes('--project') || argv.some((a) => a.startsWith('--project=')))
      return c.json({ error: 'a submitted command runs on the server project; leave out --project' }, 400);
    return stream(c, async (out) => {
      const lines: string[] = [];
      let wake: (() => void) | undefined;
      const push = (value: unknown) => {
        lines.push(`${JSON.stringify(redactor.object(value))}\n`);
        wake?.();
      };
      let runId = '';
      const early: Array<{ run: string; event?: RunEvent; stdout?: string }> = [];
      const unwatch = deps.watch((message) => {
        if (!runId) early.push(message);
        else if (message.run === runId) forward(message);
      });
      const forward = (message: { event?: RunEvent; stdout?: string }) => {
        if (message.stdout !== undefined) push({ type: 'stdout', text: message.stdout });
        else if (message.event?.type === 'log')
          push({ type: 'log', level: message.event.level, text: message.event.text });
      };
      const started = deps.runner.submit(argv);
      runId = started.run;
      for (const message of early) if (message.run === runId) forward(message);
      push({ type: 'run', run: runId });
      out.onAbort(() => {
        deps.runner.cancel(runId);
      });
      let finished = false;
      const done = started.done.then((record) => {
        const step = record.steps[0];
        push({
          type: 'exit',
          run: runId,
          status: record.status,
          code: step?.exitCode ?? (record.status === 'success' ? 0 : 1),
        });
        finished = true;
      });
      while (!finished || lines.length > 0) {
        const next = lines.shift();
        if (next !== undefined) await out.write(next);
        else
          await new Promise<void>((resolve) => {
            wake = resolve;
          });
        wake = undefined;
      }
      await done;
      unwatch();
    });
  });

  return app;
}
