import type { RunRecord, RunSummary, StepRecord } from '../../orchestrator/types.ts';

/** One node of a build step's results, as the run page draws it on the timeline. */
export interface NodeView {
  unique_id: string;
  name: string | null;
  resource_type: string | null;
  status: string;
  started_at: string | null;
  /** Seconds, as in run_results.json. */
  execution_time: number | null;
  rows_affected: number | null;
  message: string | null;
  error: {
    kind: string | null;
    file: string | null;
    line: number | null;
    hint: string | null;
    /** Kept in run history for failed nodes only (store/event-text.ts compactResult). */
    failed_sql: string | null;
  } | null;
}

export interface StepView {
  index: number;
  command: string;
  status: StepRecord['status'];
  started_at: string | null;
  ended_at: string | null;
  duration_ms: number | null;
  exit_code: number | null;
  error: string | null;
  /** A build step's nodes (from its result's `results`); null for other verbs. */
  nodes: NodeView[] | null;
}

export function durationMs(start: string | undefined, end: string | undefined, now: Date): number | null {
  if (!start) return null;
  const from = Date.parse(start);
  const to = end ? Date.parse(end) : now.getTime();
  return Number.isFinite(from) && Number.isFinite(to) ? Math.max(0, to - from) : null;
}

/** A listing row: the summary and its duration so far. */
export function summaryView(run: RunSummary, now: Date) {
  return { ...run, duration_ms: durationMs(run.startedAt, run.endedAt, now) };
}

/** The run page's record: steps with their durations and, for builds, their nodes; no raw results. */
export function runView(run: RunRecord, now: Date) {
  const { steps, ...rest } = run;
  return {
    ...rest,
    duration_ms: durationMs(run.startedAt, run.endedAt, now),
    steps: steps.map((step) => stepView(step, now)),
  };
}

function stepView(step: StepRecord, now: Date): StepView {
  return {
    index: step.index,
    command: step.command,
    status: step.status,
    started_at: step.startedAt ?? null,
    ended_at: step.endedAt ?? null,
    duration_ms: durationMs(step.startedAt, step.endedAt, now),
    exit_code: step.exitCode ?? null,
    error: step.error ?? null,
    nodes: nodesOf(step.result),
  };
}

function nodesOf(result: unknown): NodeView[] | null {
  if (!isObject(result) || !Array.isArray(result.results)) return null;
  return result.results.filter(isObject).map((node) => ({
    unique_id: str(node.unique_id) ?? '?',
    name: str(node.name),
    resource_type: str(node.resource_type),
    status: str(node.status) ?? 'unknown',
    started_at: str(node.started_at),
    execution_time: num(node.execution_time),
    rows_affected: num(node.rows_affected),
    message: str(node.message),
    error: isObject(node.error)
      ? {
          kind: str(node.error.kind),
          file: str(node.error.file),
          line: num(node.error.line),
          hint: str(node.error.hint),
          failed_sql: str(node.error.failed_sql),
        }
      : null,
  }));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
const str = (value: unknown) => (typeof value === 'string' ? value : null);
const num = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? value : null);
