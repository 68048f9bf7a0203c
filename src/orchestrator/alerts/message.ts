import { redactor } from '../../shared/redact.ts';
import type { RunError, RunSummary } from '../types.ts';

/**
 * What an alert says, built once and sent to every destination: a one-line subject (email, SNS), a
 * plain text that reads well in Slack (mrkdwn: *bold*, `code`, ``` blocks) and in a mail client, and
 * the same facts as structured fields for machines. Everything is redacted here, before any destination
 * sees it. `run` takes a RunRecord or a RunSummary (steps' results are never shown).
 */
export type AlertInput =
  | {
      event: 'failure' | 'recovery';
      run: RunSummary;
      /** The failed run a recovery follows. */
      previous?: RunSummary;
      /** How to see the rest: `vaultline runs show <id>` and/or the server's URL of the run. */
      seeMore: string;
      project?: string;
    }
  | {
      event: 'missed';
      job?: string;
      /** The ticks (ISO 8601) that should have fired and did not. */
      ticks: string[];
      /** Ticks that run late, as catch-up, because the scheduler was not running at their time. */
      late?: string[];
      lastHeartbeat?: string;
      /** Why, in a sentence: "the server was down from … to …". */
      detail: string;
      seeMore: string;
      project?: string;
    };

export interface AlertMessage {
  subject: string;
  text: string;
  json: Record<string, unknown>;
}

/** An alert shows the error's first lines only: the rest is one command away (`seeMore`). */
export const ERROR_LINES = 5;
/** One very long line (a JSON blob in an error) must not make the alert unreadable. */
export const ERROR_LINE_CHARS = 300;
/** Missed ticks listed by name; more are counted. */
export const MISSED_TICKS_LISTED = 10;
/** Subjects are one line; mail clients and SNS cut long ones anyway. */
const SUBJECT_CHARS = 160;

export function alertMessage(input: AlertInput): AlertMessage {
  const message =
    input.event === 'missed'
      ? missedMessage(input)
      : input.event === 'recovery'
        ? recoveryMessage(input.run, input.previous, input.seeMore, input.project)
        : failureMessage(input.run, input.seeMore, input.project);
  return {
    subject: redactor.text(oneLine(message.subject, SUBJECT_CHARS)),
    text: redactor.text(message.text),
    json: redactor.object(definedOnly(message.json)),
  };
}

/** The error's first `ERROR_LINES` lines (each cut to `ERROR_LINE_CHARS`) and how many were left out. */
export function firstErrorLines(message: string): { lines: string[]; omitted: number } {
  const all = message.replace(/\r\n?/g, '\n').replace(/\s+$/, '').split('\n');
  const lines = all
    .slice(0, ERROR_LINES)
    .map((line) => (line.length > ERROR_LINE_CHARS ? `${line.slice(0, ERROR_LINE_CHARS)}…` : line));
  return { lines, omitted: Math.max(0, all.length - ERROR_LINES) };
}

/** What failed: the run's error, or else its failed step's error, so an alert never says nothing. */
export function failureOf(run: RunSummary): RunError {
  const failedStep = run.steps.find((step) => step.status === 'failed');
  const error = run.error ?? {
    step: failedStep?.index,
    command: failedStep?.command,
    message: failedStep?.error ?? '',
  };
  const step = error.step ?? failedStep?.index;
  const command = error.command ?? run.steps.find((s) => s.index === step)?.command;
  const message =
    error.message.trim() ||
    (run.status === 'abandoned'
      ? 'the process that ran it is gone (the server stopped or was killed during the run)'
      : 'no error message was recorded');
  return { ...error, step, command, message };
}

function failureMessage(run: RunSummary, seeMore: string, project?: string) {
  const error = failureOf(run);
  const { lines, omitted } = firstErrorLines(error.message);
  const verb = run.status === 'abandoned' ? 'was abandoned' : 'failed';
  const where =
    error.step === undefined ? '' : ` at step ${error.step + 1}${error.command ? `: ${error.command}` : ''}`;
  const text = [
    `*${run.job} ${verb}*${project ? ` (project ${project})` : ''}`,
    runLine(run),
    error.step === undefined
      ? undefined
      : `Step ${error.step + 1} of ${run.steps.length}${error.command ? `: ${code(error.command)}` : ''}`,
    error.node ? `Node: ${code(error.node)}` : undefined,
    'Error:',
    '```',
    ...lines.map((line) => line.replaceAll('```', "'''")),
    '```',
    omitted > 0 ? `… and ${omitted} more line${omitted === 1 ? '' : 's'}` : undefined,
    timesLine(run),
    `See more: ${seeMore}`,
  ];
  return {
    subject: `${prefix(project)} ${run.job} ${verb}${where}`,
    text: join(text),
    json: {
      event: 'failure',
      project,
      job: run.job,
      run: run.id,
      status: run.status,
      attempt: run.attempt,
      // Steps are stored from 0; people count them from 1.
      step: error.step === undefined ? undefined : error.step + 1,
      command: error.command,
      node: error.node,
      error: lines.join('\n'),
      error_lines_omitted: omitted,
      partition: run.partition,
      started: run.startedAt,
      ended: run.endedAt,
      see_more: seeMore,
    },
  };
}

function recoveryMessage(
  run: RunSummary,
  previous: RunSummary | undefined,
  seeMore: string,
  project?: string,
) {
  const before = previous ? failureOf(previous) : undefined;
  const text = [
    `*${run.job} recovered*${project ? ` (project ${project})` : ''}`,
    runLine(run),
    previous
      ? `After run ${code(previous.id)} ${previous.status}${before?.step === undefined ? '' : ` at step ${before.step + 1}`}` +
        `${previous.endedAt ? ` (${previous.endedAt})` : ''}`
      : undefined,
    timesLine(run),
    `See more: ${seeMore}`,
  ];
  return {
    subject: `${prefix(project)} ${run.job} recovered`,
    text: join(text),
    json: {
      event: 'recovery',
      project,
      job: run.job,
      run: run.id,
      status: run.status,
      attempt: run.attempt,
      partition: run.partition,
      started: run.startedAt,
      ended: run.endedAt,
      previous_run: previous?.id,
      previous_status: previous?.status,
      previous_step: before?.step === undefined ? undefined : before.step + 1,
      see_more: seeMore,
    },
  };
}

function missedMessage(input: Extract<AlertInput, { event: 'missed' }>) {
  const { job, ticks, project } = input;
  const late = input.late ?? [];
  const plural = (n: number) => `${n} tick${n === 1 ? '' : 's'}`;
  const count =
    ticks.length === 0 && late.length > 0
      ? `no tick, ${plural(late.length)} late`
      : `${plural(ticks.length)}${late.length > 0 ? `, ${late.length} late` : ''}`;
  const listed = ticks.slice(0, MISSED_TICKS_LISTED).join(', ');
  const more = ticks.length > MISSED_TICKS_LISTED ? ` and ${ticks.length - MISSED_TICKS_LISTED} more` : '';
  const text = [
    `*Missed schedule${job ? ` of ${job}` : ''}*: ${plural(ticks.length)} did not run${late.length > 0 ? `, ${plural(late.length)} run late` : ''}${project ? ` (project ${project})` : ''}`,
    ticks.length > 0 ? `Ticks: ${listed}${more}` : undefined,
    late.length > 0
      ? `Late: ${late.slice(0, MISSED_TICKS_LISTED).join(', ')}${late.length > MISSED_TICKS_LISTED ? ` and ${late.length - MISSED_TICKS_LISTED} more` : ''}`
      : undefined,
    input.lastHeartbeat ? `Last heartbeat: ${input.lastHeartbeat}` : undefined,
    input.detail,
    `See more: ${input.seeMore}`,
  ];
  return {
    subject: `${prefix(project)} missed ${count}${job ? ` of ${job}` : ''}`,
    text: join(text),
    json: {
      event: 'missed',
      project,
      job,
      ticks,
      late,
      last_heartbeat: input.lastHeartbeat,
      detail: input.detail,
      see_more: input.seeMore,
    },
  };
}

function runLine(run: RunSummary): string {
  return [
    `Run ${code(run.id)}`,
    `attempt ${run.attempt}`,
    run.partition ? `partition ${run.partition}` : undefined,
  ]
    .filter(Boolean)
    .join(' · ');
}

function timesLine(run: RunSummary): string | undefined {
  if (!run.startedAt && !run.endedAt) return undefined;
  return [run.startedAt && `Started ${run.startedAt}`, run.endedAt && `ended ${run.endedAt}`]
    .filter(Boolean)
    .join(' · ');
}

function prefix(project?: string): string {
  return `[${project ?? 'vaultline'}]`;
}

/** Inline code for Slack: a backtick inside would end it early. */
function code(text: string): string {
  return `\`${oneLine(text, 500).replaceAll('`', "'")}\``;
}

function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** Fields that do not apply (no node, no partition) are left out rather than sent as null. */
function definedOnly(json: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(json).filter(([, value]) => value !== undefined));
}

function join(lines: Array<string | undefined>): string {
  return lines.filter((line): line is string => line !== undefined).join('\n');
}
