import { didYouMean } from '../../shared/did-you-mean.ts';
import { redactor } from '../../shared/redact.ts';
import type { JobConfig } from '../config.ts';
import { formatDuration } from '../duration.ts';
import type { RunSummary, RunTrigger, SchedulerState } from '../types.ts';
import { latestTickAtOrBefore, nextTick, partitionOfTick } from './ticks.ts';
import { localTime } from './zone.ts';

/**
 * `vaultline schedule why JOB`: did the job's latest tick run, and if not, why not — answered the way
 * an operator would check: is the job known, enabled, scheduled; is there a run for the tick; was the
 * server up at that time (its heartbeat); did the scheduler deal with the tick (lastTick) and what did
 * the catch-up policy do with it. Pure: the CLI gathers the inputs.
 */

export interface WhyInput {
  name: string;
  job: JobConfig | undefined;
  jobNames: string[];
  state: SchedulerState;
  /** This job's runs, newest first. */
  runs: RunSummary[];
  now: Date;
  serverRunning: boolean;
  sensors: Array<{ name: string; job: string; lastPollAt?: string; lastError?: string }>;
  /** Who held the warehouse lock, e.g. "vaultline build (pid 123)", when it was locked. */
  lockHolder?: string;
}

export type WhyVerdict =
  | 'unknown_job'
  | 'not_scheduled'
  | 'disabled'
  | 'ran'
  | 'queued'
  | 'still_running'
  | 'server_down'
  | 'passed_by_catch_up'
  | 'not_reached'
  | 'failed_sensor'
  | 'first_tick_pending';

export interface WhyAnswer {
  verdict: WhyVerdict;
  /** The latest tick at or before now (ISO), for scheduled jobs. */
  expectedTick?: string;
  /** The run that answers for the tick, when there is one. */
  run?: string;
  /** Several lines for people; secrets scrubbed. */
  text: string;
}

const firstLine = (text: string) => text.split('\n')[0]?.trim() ?? '';

function instant(text: string | undefined): Date | undefined {
  if (text === undefined) return undefined;
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function isTickTrigger(trigger: RunTrigger): trigger is Extract<RunTrigger, { tick: string }> {
  return trigger.kind === 'schedule' || trigger.kind === 'catch_up';
}

function triggerText(trigger: RunTrigger): string {
  switch (trigger.kind) {
    case 'schedule':
      return 'scheduled';
    case 'catch_up':
      return 'catch-up';
    case 'manual':
      return `manual (${trigger.by})`;
    case 'sensor':
      return `sensor ${trigger.sensor}`;
    case 'backfill':
      return `backfill ${trigger.backfill}`;
    case 'cli':
      return 'cli';
  }
}

export function explainJob(input: WhyInput): WhyAnswer {
  const { name, job } = input;
  if (!job) return unknownJob(input);
  const zone = job.schedule?.timezone ?? 'UTC';
  const at = (date: Date | string) => localTime(typeof date === 'string' ? new Date(date) : date, zone);

  const finish = (verdict: WhyVerdict, lines: string[], extra: Partial<WhyAnswer> = {}): WhyAnswer => {
    const all = [...lines];
    if (input.lockHolder) all.push(`The warehouse was locked by ${input.lockHolder}.`);
    all.push(scheduleLine(job, input.now));
    return { verdict, ...extra, text: redactor.text(all.join('\n')) };
  };

  if (!job.enabled) {
    return finish('disabled', [
      `${name} is disabled (enabled: false in vaultline.yml): its ticks pass without a run, and enabling it again does not catch up the disabled period.`,
      `Run it once now with \`vaultline run-job ${name}\`.`,
    ]);
  }

  if (!job.schedule) return unscheduled(input, finish);

  const expected = latestTickAtOrBefore(job.schedule, input.now);
  if (!expected) {
    return finish('first_tick_pending', [
      `${name} has had no tick yet: its cron has not matched a time so far.`,
    ]);
  }
  const expectedTick = expected.toISOString();
  const tickText = at(expected);

  const run = input.runs.find(
    (candidate) =>
      isTickTrigger(candidate.trigger) && instant(candidate.trigger.tick)?.getTime() === expected.getTime(),
  );
  if (run) return explainRun(input, run, expected, finish, at);

  const latestRun = input.runs[0];
  const latestRunLine = latestRun
    ? `Its latest run: ${latestRun.id} (${triggerText(latestRun.trigger)}, ${latestRun.status}, queued ${at(latestRun.queuedAt)}).`
    : undefined;
  const withLatestRun = (lines: string[]) => (latestRunLine ? [...lines, latestRunLine] : lines);

  const heartbeat = input.state.heartbeat;
  const heartbeatAt = instant(heartbeat?.at);
  const startedAt = instant(heartbeat?.startedAt);
  const heartbeatText = heartbeatAt ? `last heartbeat ${at(heartbeatAt)}` : 'no heartbeat recorded';
  const downAtTick = !heartbeatAt || heartbeatAt.getTime() < expected.getTime();
  const cameBackAfterTick = !!startedAt && startedAt.getTime() > expected.getTime();
  const lastTick = instant(input.state.jobs[name]?.lastTick);
  const runNow = `run it now with \`vaultline run-job ${name}\``;

  if (lastTick && lastTick.getTime() >= expected.getTime()) {
    const lines = [`${name}'s tick ${tickText} was passed over without a run.`];
    const partition = job.partitions ? partitionOfTick(expected, job.partitions) : undefined;
    if (job.partitions && partition !== undefined && partition < job.partitions.start) {
      lines.push(
        `Its partition ${partition} is before partitions.start ${job.partitions.start}; ticks before the first partition never run.`,
      );
    } else if (cameBackAfterTick) {
      lines.push(`The server was not running at ${tickText}; it started again at ${at(startedAt!)}.`);
      lines.push(
        job.catch_up === 'none'
          ? `catch_up: none runs no missed tick, so it passed over this one; ${runNow}, or set catch_up: latest.`
          : `catch_up: ${job.catch_up} should have run it as a catch-up, but no run of it is recorded (pruned from the run history?); ${runNow}.`,
      );
    } else {
      lines.push(
        `The scheduler passed over it: the job was disabled, or added to vaultline.yml, after ${tickText} ` +
          `(a new or re-enabled job starts with its next tick)${job.catch_up === 'none' ? ', or the scheduler reached it late and catch_up: none passes late ticks' : ''}; ${runNow}.`,
      );
    }
    return finish('passed_by_catch_up', withLatestRun(lines), { expectedTick });
  }

  if (!input.serverRunning) {
    const lines = [
      downAtTick
        ? `The server was not running at ${tickText} (${heartbeatText}); start it with \`vaultline serve\`, or ${runNow}.`
        : `The server stopped (${heartbeatText}) before it dealt with the tick ${tickText}; start it with \`vaultline serve\`, or ${runNow}.`,
    ];
    lines.push(
      lastTick
        ? `When it starts, ${catchUpOutlook(job)}`
        : `It has not seen ${name} yet: when it starts, the job begins with its next tick (earlier ticks are not caught up).`,
    );
    return finish('server_down', withLatestRun(lines), { expectedTick });
  }

  if (!lastTick) {
    return finish(
      'first_tick_pending',
      withLatestRun([
        `The scheduler has not seen ${name} yet (it was added after the server's last check, ${heartbeatText}).`,
        `A new job starts with its first tick after the scheduler sees it; ticks before that, such as ${tickText}, are not caught up. ${capitalise(runNow)}.`,
      ]),
      { expectedTick },
    );
  }

  const lines = [
    `The scheduler has not dealt with the tick ${tickText} yet (the last it dealt with: ${at(lastTick)}).`,
  ];
  if (downAtTick) {
    lines.push(
      `The server is running but its scheduler last checked in before the tick (${heartbeatText}); ` +
        'it takes the tick when it next wakes — if that does not happen soon, the scheduler is stuck: see the server log.',
    );
  } else if (cameBackAfterTick) {
    lines.push(
      `The server was not running at ${tickText}; it started at ${at(startedAt!)} and ${catchUpOutlook(job)}`,
    );
  }
  return finish('not_reached', withLatestRun(lines), { expectedTick });
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function catchUpOutlook(job: JobConfig): string {
  switch (job.catch_up) {
    case 'none':
      return 'catch_up: none will pass over the missed ticks (this one included).';
    case 'latest':
      return 'catch_up: latest will run the most recent missed tick (this one) as a catch-up.';
    case 'all':
      return 'catch_up: all will run each missed tick, oldest first.';
  }
}

function scheduleLine(job: JobConfig, now: Date): string {
  if (!job.schedule) return 'Schedule: none (no schedule: in vaultline.yml).';
  const next = job.enabled ? nextTick(job.schedule, now) : undefined;
  const nextText = !job.enabled
    ? 'no next tick while disabled'
    : next
      ? `next tick ${localTime(next, job.schedule.timezone)} (${next.toISOString()})`
      : 'the cron never matches again';
  return `Schedule: ${job.schedule.cron} (${job.schedule.timezone}), catch_up: ${job.catch_up}; ${nextText}.`;
}

function unknownJob(input: WhyInput): WhyAnswer {
  const suggestion = didYouMean(input.name, input.jobNames);
  const lines = [`No job named "${input.name}" in vaultline.yml.`];
  if (suggestion) lines.push(`Did you mean "${suggestion}"?`);
  else if (input.jobNames.length > 0) lines.push(`Jobs: ${[...input.jobNames].sort().join(', ')}.`);
  else lines.push('No jobs are configured: add one under jobs: in vaultline.yml.');
  return { verdict: 'unknown_job', text: redactor.text(lines.join('\n')) };
}

type Finish = (verdict: WhyVerdict, lines: string[], extra?: Partial<WhyAnswer>) => WhyAnswer;

function unscheduled(input: WhyInput, finish: Finish): WhyAnswer {
  const { name } = input;
  const sensors = input.sensors.filter((sensor) => sensor.job === name);
  const failing = sensors.find((sensor) => sensor.lastError !== undefined);
  const polled = (sensor: (typeof sensors)[number]) =>
    sensor.lastPollAt ? `last poll ${localTime(new Date(sensor.lastPollAt), 'UTC')}` : 'not polled yet';
  if (failing) {
    return finish('failed_sensor', [
      `${name} has no schedule; sensor ${failing.name} starts it, and its last poll failed (${polled(failing)}):`,
      `  ${firstLine(failing.lastError ?? '')}`,
      `Fix the sensor's source (see the server log), or run the job now with \`vaultline run-job ${name}\`.`,
    ]);
  }
  if (sensors.length > 0) {
    return finish('not_scheduled', [
      `${name} has no schedule; it runs when ${sensors.map((s) => `sensor ${s.name} (${polled(s)})`).join(' or ')} finds something new.`,
    ]);
  }
  return finish('not_scheduled', [
    `${name} has no schedule and no sensor starts it: it runs only when started, with \`vaultline run-job ${name}\` (or add schedule: to it in vaultline.yml).`,
  ]);
}

function explainRun(
  input: WhyInput,
  run: RunSummary,
  expected: Date,
  finish: Finish,
  at: (date: Date | string) => string,
): WhyAnswer {
  const extra = { expectedTick: expected.toISOString(), run: run.id };
  const how = run.trigger.kind === 'catch_up' ? ' as a catch-up' : '';
  const attempt = run.attempt > 1 ? `, attempt ${run.attempt}` : '';
  const head = `${input.name}'s tick ${at(expected)} ran${how}: run ${run.id}${attempt}`;
  switch (run.status) {
    case 'queued': {
      const ahead = input.runs.find((other) => other.id !== run.id && other.status === 'running');
      return finish(
        'queued',
        [
          `${input.name}'s tick ${at(expected)} is queued${how}: run ${run.id}, since ${at(run.queuedAt)}.`,
          ahead
            ? `It waits behind run ${ahead.id} (${triggerText(ahead.trigger)}, running since ${at(ahead.startedAt ?? ahead.queuedAt)}).`
            : 'It waits for the runner to take it (one run at a time per job).',
        ],
        extra,
      );
    }
    case 'running': {
      const since = run.startedAt ?? run.queuedAt;
      const current = run.steps.find((step) => step.status === 'running');
      const lines = [
        `${input.name}'s tick ${at(expected)} is still running${how}: run ${run.id}${attempt}, since ${at(since)} (${formatDuration(Math.max(0, input.now.getTime() - new Date(since).getTime()))}).`,
      ];
      // The position in the list, not StepRecord.index, so the text does not depend on its base.
      if (current)
        lines.push(`Step ${run.steps.indexOf(current) + 1} of ${run.steps.length}: ${current.command}.`);
      return finish('still_running', lines, extra);
    }
    case 'success':
      return finish('ran', [`${head}, succeeded${run.endedAt ? ` at ${at(run.endedAt)}` : ''}.`], extra);
    default: {
      const lines = [`${head}, ${run.status}${run.endedAt ? ` at ${at(run.endedAt)}` : ''}.`];
      if (run.error) {
        const where = [
          run.error.command
            ? `step ${run.error.command}`
            : run.error.step !== undefined
              ? `step #${run.error.step}`
              : undefined,
          run.error.node ? `node ${run.error.node}` : undefined,
        ].filter(Boolean);
        lines.push(`  ${where.length > 0 ? `${where.join(', ')}: ` : ''}${firstLine(run.error.message)}`);
      }
      if (run.nextAttemptAt) lines.push(`Next attempt at ${at(run.nextAttemptAt)}.`);
      lines.push(`See \`vaultline runs show ${run.id}\`.`);
      return finish('ran', lines, extra);
    }
  }
}
