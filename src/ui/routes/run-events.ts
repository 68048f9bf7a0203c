import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import { eventForDisk } from '../../orchestrator/store/event-text.ts';
import { FINISHED_RUN_STATUSES, type RunEvent, type RunRecord } from '../../orchestrator/types.ts';
import { redactor } from '../../shared/redact.ts';
import type { UiDeps } from '../deps.ts';

/** A comment line now and then keeps proxies from closing a quiet stream, and notices a run ended elsewhere. */
const KEEP_ALIVE_MS = 15_000;

type Message = { event: 'log' | 'step' | 'status' | 'end'; data: unknown };

/**
 * GET /ui/api/runs/:id/events?after=N — the run's new log lines and its step and run status changes,
 * as server-sent events, ending with `end` when the run finishes.
 *
 * No line is lost or sent twice between the page's last log page and this stream: the listener is
 * added and the log counted in one synchronous stretch (the runner stores an event and tells its
 * watchers without yielding in between), so every later line is numbered from that count. `after` is
 * how many lines the page has; the ones it lacks up to the count are sent first. Each `log` event
 * carries its line's `index` in the whole log.
 *
 * Events: `status` {status, at?}, `step` {index, status, command?, at},
 * `log` {index, at, step?, level, text}, `end` {status}.
 */
export function runEvents(c: Context, deps: UiDeps, record: RunRecord): Response {
  const queue: Message[] = [];
  let wake: (() => void) | undefined;
  let next = 0;
  const push = (message: Message) => {
    queue.push(message);
    wake?.();
  };
  const unwatch = deps.watch((event) => {
    if (event.run !== record.id) return;
    const message = messageOf(eventForDisk(event), () => next++);
    if (message) push(message);
  });
  // Same synchronous stretch as the subscription (and the caller's read of `record`): the state the
  // live events continue from.
  const current = record;
  const lines = deps.runs.logs(record.id);
  next = lines.length;
  const after = Number(c.req.query('after') ?? lines.length);
  const from = Number.isInteger(after) ? Math.min(Math.max(0, after), lines.length) : lines.length;

  return streamSSE(c, async (stream) => {
    let closed = false;
    const close = () => {
      closed = true;
      wake?.();
    };
    stream.onAbort(close);
    c.req.raw.signal.addEventListener('abort', close, { once: true });
    const timer = setInterval(
      () => push({ event: 'status', data: { status: deps.runs.get(record.id)?.status } }),
      KEEP_ALIVE_MS,
    );
    timer.unref();
    try {
      await stream.writeSSE({ event: 'status', data: JSON.stringify({ status: current.status }) });
      for (let index = from; index < lines.length; index++)
        await stream.writeSSE({ event: 'log', data: JSON.stringify({ index, ...lines[index] }) });
      if (FINISHED_RUN_STATUSES.includes(current.status)) {
        await stream.writeSSE({ event: 'end', data: JSON.stringify({ status: current.status }) });
        return;
      }
      while (!closed) {
        const message = queue.shift();
        if (!message) {
          await new Promise<void>((resolve) => {
            wake = resolve;
          });
          wake = undefined;
          continue;
        }
        const status = (message.data as { status?: string }).status;
        const ended =
          message.event === 'end' ||
          (message.event === 'status' && FINISHED_RUN_STATUSES.includes(status as RunRecord['status']));
        await stream.writeSSE({
          event: ended ? 'end' : message.event,
          data: JSON.stringify(redactor.object(message.data)),
        });
        if (ended) return;
      }
    } finally {
      clearInterval(timer);
      unwatch();
    }
  });
}

function messageOf(event: RunEvent, nextIndex: () => number): Message | undefined {
  switch (event.type) {
    case 'log':
      return {
        event: 'log',
        data: {
          index: nextIndex(),
          at: event.at,
          ...(event.step !== undefined && { step: event.step }),
          level: event.level,
          text: event.text,
        },
      };
    case 'step_started':
      return {
        event: 'step',
        data: { index: event.step, status: 'running', command: event.command, at: event.at },
      };
    case 'step_finished':
      return {
        event: 'step',
        data: { index: event.step, status: event.status, exit_code: event.exit_code, at: event.at },
      };
    case 'run_started':
      return { event: 'status', data: { status: 'running', at: event.at } };
    case 'run_finished':
      return { event: 'end', data: { status: event.status, at: event.at } };
    default:
      return undefined;
  }
}
