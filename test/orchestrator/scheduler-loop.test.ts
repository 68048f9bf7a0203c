import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { ManualClock } from '../../src/orchestrator/clock.ts';
import type { MissedTicks } from '../../src/orchestrator/scheduler-loop.ts';
import { Scheduler } from '../../src/orchestrator/scheduler-loop.ts';
import { openOrchestratorStores } from '../../src/orchestrator/store/open.ts';
import type { RunSummary } from '../../src/orchestrator/types.ts';
import { configOf, openRunner, TempProjects, until } from './helpers/project.ts';

/**
 * The live Scheduler on a real JobRunner and the file state store, driven by a ManualClock the way
 * the real loop sleeps: wake at clock.nextWake, let the runs it queued finish, repeat. A daily
 * 02:30 in Europe/Berlin across both DST changes, and downtime under each catch-up policy.
 */
const projects = new TempProjects();
after(() => projects.removeAll());

function yml(catchUp = 'latest'): string {
  return `name: p
serve: {heartbeat: 6h}
jobs:
  nightly:
    steps: ["ls"]
    schedule: {cron: "30 2 * * *", timezone: Europe/Berlin}
    catch_up: ${catchUp}
`;
}

/** One serving session: a Scheduler and its runner on the project, until `stop`. */
async function serve(dir: string, clock: ManualClock, onMissed?: (missed: MissedTicks) => void) {
  const config = configOf(dir);
  const h = await openRunner(config, clock);
  const stopping = new AbortController();
  const scheduler = new Scheduler({
    config,
    clock,
    state: h.stores.scheduler,
    runner: h.runner,
    signal: stopping.signal,
    startedAt: clock.now().toISOString(),
    ...(onMissed ? { onMissed: async (missed: MissedTicks) => onMissed(missed) } : {}),
  });
  const loop = scheduler.run();
  /** The scheduler asleep and no run in flight: the moment the real loop would let time pass. */
  const idle = async () => {
    await until(() => clock.waiting === 1 && h.runner.activeRuns.length === 0, 'the scheduler to sleep');
    await h.runner.settled();
  };
  await idle();
  return {
    stores: h.stores,
    idle,
    /** Wakes the scheduler at each of its sleeps up to `end`, letting its runs finish in between. */
    async driveTo(end: Date, onWake?: () => void) {
      for (;;) {
        await idle();
        const wake = clock.nextWake;
        if (!wake || wake.getTime() > end.getTime()) break;
        await clock.advanceTo(wake);
        await idle();
        onWake?.();
      }
      await clock.advanceTo(end);
    },
    async stop() {
      stopping.abort();
      await loop;
      await h.close();
    },
  };
}

/** Oldest tick first. (Runs queued in the same millisecond — catch-up — list in no given order.) */
function nightlyRuns(dir: string): RunSummary[] {
  const tickOf = (run: RunSummary) => ('tick' in run.trigger ? run.trigger.tick : '');
  return openOrchestratorStores(configOf(dir))
    .runs.list({ job: 'nightly', limit: 1000 })
    .sort((a, b) => tickOf(a).localeCompare(tickOf(b)));
}

describe('scheduler loop', () => {
  for (const { name, from, to, ticks } of [
    {
      name: 'spring forward: 02:30 does not exist on 29 March, it runs at 03:00 CEST',
      from: '2026-03-27T00:00:00Z',
      to: '2026-03-31T23:59:00Z',
      ticks: [
        '2026-03-27T01:30:00.000Z',
        '2026-03-28T01:30:00.000Z',
        '2026-03-29T01:00:00.000Z',
        '2026-03-30T00:30:00.000Z',
        '2026-03-31T00:30:00.000Z',
      ],
    },
    {
      name: 'fall back: 02:30 happens twice on 25 October, it runs once, at the first (CEST)',
      from: '2026-10-23T00:00:00Z',
      to: '2026-10-27T23:59:00Z',
      ticks: [
        '2026-10-23T00:30:00.000Z',
        '2026-10-24T00:30:00.000Z',
        '2026-10-25T00:30:00.000Z',
        '2026-10-26T01:30:00.000Z',
        '2026-10-27T01:30:00.000Z',
      ],
    },
  ]) {
    test(`one run per local day at the exact instant — ${name}`, async () => {
      const dir = projects.make('scheduler', yml());
      const clock = new ManualClock(new Date(from));
      const session = await serve(dir, clock);
      const lastTicks: string[] = [];
      try {
        await session.driveTo(new Date(to), () => {
          const state = session.stores.scheduler.read();
          const lastTick = state.jobs.nightly?.lastTick;
          if (lastTick && lastTick !== lastTicks.at(-1)) lastTicks.push(lastTick);
          assert.equal(state.heartbeat?.at, clock.now().toISOString(), 'a heartbeat at every wake');
        });
      } finally {
        await session.stop();
      }
      const runs = nightlyRuns(dir);
      assert.deepEqual(
        runs.map((run) => run.trigger),
        ticks.map((tick) => ({ kind: 'schedule', tick })),
      );
      assert.deepEqual(
        runs.map((run) => run.queuedAt),
        ticks,
        'queued at the tick itself',
      );
      assert.ok(runs.every((run) => run.status === 'success'));
      // First sight remembers the start; then each tick as it fires.
      assert.deepEqual(lastTicks.slice(-ticks.length), ticks, 'lastTick advances tick by tick');
    });
  }

  for (const { policy, runs: expectedRuns, missed } of [
    { policy: 'none', runs: [], missed: ['2026-05-02', '2026-05-03', '2026-05-04'] },
    { policy: 'latest', runs: ['2026-05-04'], missed: ['2026-05-02', '2026-05-03'] },
    { policy: 'all', runs: ['2026-05-02', '2026-05-03', '2026-05-04'], missed: [] },
  ]) {
    test(`3 days down with catch_up: ${policy} → ${expectedRuns.length} catch-up run(s)`, async () => {
      const dir = projects.make(`scheduler-${policy}`, yml(policy));
      const clock = new ManualClock(new Date('2026-05-01T00:00:00Z'));
      const before = await serve(dir, clock);
      try {
        await before.driveTo(new Date('2026-05-01T12:00:00Z'));
      } finally {
        await before.stop();
      }
      const lastHeartbeat = before.stores.scheduler.read().heartbeat?.at;
      assert.ok(lastHeartbeat);
      assert.equal(nightlyRuns(dir).length, 1, 'the 1 May tick ran while it was up');

      // Down for 3 days: nobody sleeps on the clock, time simply passes.
      await clock.advanceTo(new Date('2026-05-04T12:00:00Z'));
      const reported: MissedTicks[] = [];
      const afterRestart = await serve(dir, clock, (m) => reported.push(m));
      await afterRestart.stop();

      const catchUps = nightlyRuns(dir).slice(1);
      assert.deepEqual(
        catchUps.map((run) => run.trigger),
        expectedRuns.map((day) => ({ kind: 'catch_up', tick: `${day}T00:30:00.000Z` })),
      );
      assert.ok(catchUps.every((run) => run.status === 'success'));
      assert.equal(reported.length, 1);
      assert.deepEqual(
        reported[0]?.late,
        expectedRuns.map((day) => `${day}T00:30:00.000Z`),
      );
      assert.equal(reported[0]?.job, 'nightly');
      assert.deepEqual(
        reported[0]?.ticks,
        missed.map((day) => `${day}T00:30:00.000Z`),
      );
      assert.equal(reported[0]?.lastHeartbeat, lastHeartbeat);
      assert.match(
        reported[0]?.detail ?? '',
        new RegExp(`not running \\(last heartbeat ${lastHeartbeat}\\)`),
      );
      assert.equal(
        afterRestart.stores.scheduler.read().jobs.nightly?.lastTick,
        '2026-05-04T00:30:00.000Z',
        'the passed ticks are remembered as dealt with',
      );
    });
  }
});
