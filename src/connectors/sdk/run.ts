import type { LandingStore } from '../../landing/store.ts';
import { type Clock, systemClock } from '../../shared/clock.ts';
import { ExtractSession } from './context.ts';
import { RequestFailedError } from './errors.ts';
import { HttpClient } from './http-client.ts';
import type { PreparedJob } from './prepare.ts';
import { recordingTransport } from './record.ts';
import { replayTransport } from './replay.ts';
import type { SourceReport } from './report.ts';
import { DEFAULT_RETRY, type RetryPolicy, realSleep, type Sleep } from './retry.ts';
import { liveTransport, type Transport } from './transport.ts';
import type { LandedObject } from './types.ts';

/** Injected so retries, pacing and load timestamps are testable without waiting or wall-clock luck. */
export interface RunDeps {
  store: LandingStore;
  /** One id per `vaultline extract` invocation, shared by every object it lands. */
  runId: string;
  clock?: Clock;
  sleep?: Sleep;
  random?: () => number;
  /** Replaces the network (tests); record and replay wrap or replace it as the job says. */
  fetchImpl?: typeof fetch;
  /** Overrides of the retry policy (tests use tiny delays). */
  retry?: Partial<RetryPolicy>;
  events?: RunEvents;
}

export interface RunEvents {
  landed?(source: string, object: LandedObject): void;
  warning?(message: string): void;
  note?(message: string): void;
  failure?(message: string): void;
  retry?(message: string): void;
}

export function transportFor(job: PreparedJob, deps: Pick<RunDeps, 'fetchImpl' | 'clock'>): Transport {
  const live = liveTransport(deps.fetchImpl);
  if (job.mode.kind === 'replay') return replayTransport(job.mode.dir);
  if (job.mode.kind === 'record') return recordingTransport(live, job.mode.dir, deps.clock);
  return live;
}

function sessionFor(job: PreparedJob, deps: RunDeps, report: SourceReport): ExtractSession {
  const clock = deps.clock ?? systemClock;
  const client = new HttpClient({
    source: job.connector.name,
    transport: transportFor(job, deps),
    userAgent: job.userAgent,
    timeoutMs: job.timeoutMs,
    retry: { ...DEFAULT_RETRY, maxAttempts: job.maxAttempts, ...deps.retry },
    requestsPerSecond: job.requestsPerSecond,
    clock,
    sleep: deps.sleep ?? realSleep,
    random: deps.random ?? Math.random,
    onRetry: (message) => deps.events?.retry?.(`${job.connector.name}: ${message}`),
    rateLimitHint: job.connector.rateLimitHint,
  });
  return new ExtractSession({
    connector: job.connector,
    client,
    store: deps.store,
    baseUrl: job.baseUrl,
    runId: deps.runId,
    clock,
    headers: job.headers,
    report,
    onLanded: (object) => deps.events?.landed?.(job.connector.name, object),
    onWarning: (message) => deps.events?.warning?.(message),
    onNote: (message) => deps.events?.note?.(message),
    onFailure: (message) => deps.events?.failure?.(message),
  });
}

function emptyReport(job: PreparedJob, runId: string): SourceReport {
  return {
    source: job.connector.name,
    run_id: runId,
    mode: job.mode.kind,
    base_url: job.baseUrl,
    max_invalid_bodies: job.maxInvalidBodies,
    objects: [],
    failures: [],
    warnings: [],
    notes: [],
  };
}

/** Runs one source's extraction; everything landed stays landed whatever fails later. */
export async function runJob(job: PreparedJob, deps: RunDeps): Promise<SourceReport> {
  const report = emptyReport(job, deps.runId);
  const session = sessionFor(job, deps, report);
  await job.connector.extract(session, job.options);
  return report;
}

/** The connection test: one request, nothing landed. */
export async function checkJob(job: PreparedJob, deps: RunDeps): Promise<{ ok: boolean; message: string }> {
  const report = emptyReport(job, deps.runId);
  const session = sessionFor(job, deps, report);
  try {
    return { ok: true, message: await job.connector.check(session, job.options) };
  } catch (error) {
    if (error instanceof RequestFailedError) return { ok: false, message: error.message };
    throw error;
  }
}
