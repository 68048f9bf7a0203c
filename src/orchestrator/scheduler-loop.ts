import type { VaultlineConfig } from '../config/schema.ts';
import { log } from '../shared/logger.ts';
import type { JobRunner } from './runner.ts';
import { decide, type PassedTick } from './schedule/decide.ts';
import type { SchedulerStateStore } from './store/types.ts';
import type { OrchestratorClock, SchedulerState } from './types.ts';

export interface MissedTicks {
  job: string;
  /** Ticks that will not run (the catch-up policy passed them over). */
  ticks: string[];
  /** Ticks that run now, late, as catch-up runs after the scheduler was down. */
  late: string[];
  /** Why they did not run: the server was down (with the last heartbeat), or the catch-up policy. */
  detail: string;
  lastHeartbeat?: string;
}

/**
 * The live scheduler: the pure `decide` (schedule/decide.ts) called with the real clock at every
 * tick and at every heartbeat, its state written before the runs it decided on are queued (a crash
 * in between loses a tick rather than running it twice), the heartbeat written each time.
 */
export class Scheduler {
  constructor(
    private readonly deps: {
      config: VaultlineConfig;
      clock: OrchestratorClock;
      state: SchedulerStateStore;
      runner: JobRunner;
      signal: AbortSignal;
      startedAt: string;
      onMissed?: (missed: MissedTicks) => Promise<void>;
    },
  ) {}

  async run(): Promise<void> {
    const { clock, signal } = this.deps;
    let state = this.deps.state.read();
    const previousHeartbeat = state.heartbeat?.at;
    let first = true;
    while (!signal.aborted) {
      state = this.tick(state, first ? previousHeartbeat : undefined);
      first = false;
      const now = clock.now();
      const next = decide({ jobs: this.deps.config.jobs, state, now }).nextWakeAt;
      const heartbeatAt = now.getTime() + this.deps.config.serve.heartbeat;
      const wake = Math.min(next?.getTime() ?? heartbeatAt, heartbeatAt);
      try {
        await clock.sleep(Math.max(0, wake - now.getTime()), signal);
      } catch {
        break;
      }
    }
  }

  /** One decision: queue what is due, say what was missed, remember it all. */
  tick(state: SchedulerState, heartbeatBeforeStart?: string): SchedulerState {
    const now = this.deps.clock.now();
    const decision = decide({ jobs: this.deps.config.jobs, state, now });
    const next: SchedulerState = {
      ...decision.state,
      heartbeat: { pid: process.pid, startedAt: this.deps.startedAt, at: now.toISOString() },
    };
    this.deps.state.write(next);
    for (const due of decision.due) {
      log().info(
        `scheduler: ${due.job} due at ${due.tick}${due.partition ? ` (partition ${due.partition})` : ''} — ${due.trigger}`,
      );
      this.deps.runner.start({
        job: due.job,
        trigger: { kind: due.trigger, tick: due.tick },
        ...(due.partition ? { partition: due.partition } : {}),
      });
    }
    const late = decision.due.filter((due) => due.trigger === 'catch_up');
    this.reportMissed(decision.passed, late, heartbeatBeforeStart ?? state.heartbeat?.at);
    return next;
  }

  /**
   * The heartbeat alert: ticks passed over, and ticks that run late because the scheduler was not
   * running at their time (a late tick after a mere hiccup, within the catch-up policy, says nothing).
   */
  private reportMissed(
    passed: PassedTick[],
    lateRuns: Array<{ job: string; tick: string }>,
    lastHeartbeat: string | undefined,
  ): void {
    const wasDown = (tick: string) =>
      lastHeartbeat !== undefined && Date.parse(lastHeartbeat) < Date.parse(tick);
    const jobs = new Set([
      ...passed.map((p) => p.job),
      ...lateRuns.filter((r) => wasDown(r.tick)).map((r) => r.job),
    ]);
    for (const job of jobs) {
      const ticks = passed.filter((p) => p.job === job);
      const late = lateRuns.filter((r) => r.job === job && wasDown(r.tick)).map((r) => r.tick);
      const first = ticks[0]?.tick ?? late[0] ?? '';
      const policy = `catch_up: ${this.deps.config.jobs[job]?.catch_up}`;
      const what = [
        ticks.length > 0 ? `${policy} passed over ${ticks.length} tick(s)` : undefined,
        late.length > 0 ? `${late.length} tick(s) run late now as catch-up` : undefined,
      ]
        .filter(Boolean)
        .join('; ');
      const detail = wasDown(first)
        ? `the scheduler was not running (last heartbeat ${lastHeartbeat}); ${what}`
        : `${what} (${ticks[0]?.reason})`;
      log().warn(`scheduler: ${job}: ${detail}`);
      void this.deps
        .onMissed?.({
          job,
          ticks: ticks.map((t) => t.tick),
          late,
          detail,
          ...(lastHeartbeat ? { lastHeartbeat } : {}),
        })
        .catch(() => undefined);
    }
  }
}
