import { Cron } from 'croner';
import { z } from 'zod';
import { parseDuration } from './duration.ts';

/**
 * The orchestrator's sections of vaultline.yml: `jobs:`, `sensors:` and `alerts:`. Shapes are checked
 * here (zod, so every problem gets its file:line like the rest of the config); references between
 * them (a job's alert, a sensor's job, a step's verb) are checked by references.ts.
 */

const duration = (what: string) =>
  z.union([z.string(), z.number()]).transform((value, ctx) => {
    const ms = parseDuration(value);
    if (ms === undefined) {
      ctx.addIssue({
        code: 'custom',
        message: `must be a duration such as 30s, 5m, 1h30m or 2d (${what}; got "${value}")`,
      });
      return z.NEVER;
    }
    return ms;
  });

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

export function cronProblem(pattern: string): string | undefined {
  try {
    new Cron(pattern, { paused: true });
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

const cronExpression = z.string().superRefine((pattern, ctx) => {
  const problem = cronProblem(pattern);
  if (problem)
    ctx.addIssue({
      code: 'custom',
      message: `must be a cron expression: minute hour day-of-month month day-of-week, e.g. "0 6 * * *" (${problem})`,
    });
});

const timeZone = z.string().refine(isTimeZone, {
  message: 'must be an IANA time zone such as UTC, Europe/Berlin or Africa/Johannesburg',
});

export const scheduleSchema = z.strictObject({
  cron: cronExpression,
  timezone: timeZone.default('UTC'),
});

export const retriesSchema = z.strictObject({
  /** Attempts after the first; 0 = no retry. */
  max: z.number().int().min(0).max(100).default(0),
  backoff: z.enum(['fixed', 'exponential']).default('exponential'),
  initial: duration('the delay before the first retry').default(30_000),
  /** The longest delay between two attempts, whatever the backoff says. */
  max_delay: duration('the longest delay between attempts').default(3_600_000),
  /** Spread each delay randomly over [delay/2, delay] so that retries of many jobs do not align. */
  jitter: z.boolean().default(true),
});

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD');

export const partitionsSchema = z.strictObject({
  by: z.literal('day'),
  /** The first partition; backfills and catch-up never go before it. */
  start: isoDate,
  /** The calendar that cuts days (a tick at 06:00 local runs the day before, in this zone). */
  timezone: timeZone.default('UTC'),
});

export const jobSchema = z.strictObject({
  description: z.string().optional(),
  /** vaultline commands run in order in the server's process, e.g. `extract --all`, `build --select tag:marts`. */
  steps: z.array(z.string().min(1)).min(1, 'must list at least one step (a vaultline command, e.g. build)'),
  schedule: z
    .union([cronExpression.transform((cron) => ({ cron, timezone: 'UTC' })), scheduleSchema])
    .optional(),
  retries: retriesSchema.default({
    max: 0,
    backoff: 'exponential',
    initial: 30_000,
    max_delay: 3_600_000,
    jitter: true,
  }),
  timeout: duration('how long one attempt may run').optional(),
  /** After downtime: run no missed tick (`none`), only the most recent (`latest`), or each (`all`). */
  catch_up: z.enum(['none', 'latest', 'all']).default('latest'),
  alerts: z.array(z.string().min(1)).default([]),
  partitions: partitionsSchema.optional(),
  enabled: z.boolean().default(true),
});

const s3SensorSchema = z.strictObject({
  bucket: z.string().min(1),
  prefix: z.string().default(''),
  region: z.string().min(1).default('us-east-1'),
  endpoint: z.url().optional(),
  force_path_style: z.boolean().default(false),
});

export const sensorSchema = z.strictObject({
  /** The job each new item starts. */
  job: z.string().min(1),
  /** Poll a folder of the project (relative to it) for new files, recursively. */
  folder: z.string().min(1).optional(),
  /** Poll an S3 prefix for new objects. */
  s3: s3SensorSchema.optional(),
  /** New landed objects of one source (and resource) in the landing store. */
  landed: z.strictObject({ source: z.string().min(1), resource: z.string().min(1).optional() }).optional(),
  /** Only names matching this glob (`*.csv`, `**\/*.json`). */
  pattern: z.string().min(1).optional(),
  interval: duration('how often to look').default(30_000),
  enabled: z.boolean().default(true),
});

const emailSchema = z.strictObject({
  to: z
    .union([z.string().min(1), z.array(z.string().min(1)).min(1)])
    .transform((to) => (Array.isArray(to) ? to : [to])),
  from: z.string().min(1).default('vaultline@localhost'),
  /** smtp://user:password@host:port or smtps://…; the password is a secret wherever it is shown. */
  smtp: z
    .string()
    .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL, e.g. smtp://user:pass@mail.example.org:587'),
});

const snsSchema = z.strictObject({
  topic_arn: z
    .string()
    .regex(/^arn:aws[a-z-]*:sns:/, 'must be an SNS topic ARN (arn:aws:sns:REGION:ACCOUNT:NAME)'),
  region: z.string().min(1).optional(),
  endpoint: z.url().optional(),
});

export const ALERT_EVENTS = ['failure', 'recovery', 'missed'] as const;
export type AlertEvent = (typeof ALERT_EVENTS)[number];

export const alertSchema = z.strictObject({
  /** A URL that receives a JSON POST with a Slack-compatible `text`; the URL is a secret. */
  webhook: z.url().optional(),
  email: emailSchema.optional(),
  sns: snsSchema.optional(),
  on: z.array(z.enum(ALERT_EVENTS)).min(1).default(['failure', 'recovery', 'missed']),
});

export const serveSchema = z.strictObject({
  host: z.string().default('127.0.0.1'),
  /** 0 = any free port (written to .vaultline/server.json for the CLI to find). */
  port: z.number().int().min(0).max(65535).default(8765),
  /** Where run history, logs, partitions and cursors are kept (relative to the project). */
  state_path: z.string().min(1).default('.vaultline/orchestrator'),
  /** How late the scheduler may be before it says it missed ticks (alert `missed`). */
  heartbeat: duration('how often the scheduler checks in').default(60_000),
});

export const jobsSchema = z
  .record(
    z.string().regex(/^[A-Za-z_][A-Za-z0-9_-]*$/, 'job names use letters, digits, "_" and "-"'),
    jobSchema,
  )
  .default({});
export const sensorsSchema = z.record(z.string(), sensorSchema).default({});
export const alertsSchema = z.record(z.string(), alertSchema).default({});

export type JobConfig = z.infer<typeof jobSchema>;
export type SensorConfig = z.infer<typeof sensorSchema>;
export type AlertConfig = z.infer<typeof alertSchema>;
export type RetriesConfig = z.infer<typeof retriesSchema>;
export type PartitionsConfig = z.infer<typeof partitionsSchema>;
export type ServeConfig = z.infer<typeof serveSchema>;
export type ScheduleConfig = z.infer<typeof scheduleSchema>;
