import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { ManualClock } from '../../src/orchestrator/clock.ts';
import { SensorLoop } from '../../src/orchestrator/sensor-loop.ts';
import { sensorCursorFiles } from '../../src/orchestrator/sensors/cursor.ts';
import { orchestratorStateDir } from '../../src/orchestrator/sensors/poll.ts';
import type { RunSummary } from '../../src/orchestrator/types.ts';
import { configOf, openRunner, TempProjects } from './helpers/project.ts';

/**
 * A folder sensor through its real SensorLoop and JobRunner, restarted the way a server restarts
 * (new loop, new runner, same state folder): one run per file, none again after a restart, and none
 * again after a crash that queued a run but lost the cursor write (the run history heals it).
 */
const projects = new TempProjects();
after(() => projects.removeAll());

const YML = `name: p
jobs:
  ingest:
    steps: ["ls"]
sensors:
  drops:
    job: ingest
    folder: drops
    interval: 30s
`;

// Files are written now (real time); the sensor's clock is an hour ahead so none is "still being
// written" (younger than 2 s), and it moves on by a poll interval before each poll.
const clock = new ManualClock(new Date(Date.now() + 3_600_000));

/** One server lifetime: a SensorLoop on a fresh runner over the project's state. */
async function start(dir: string) {
  const config = configOf(dir);
  const h = await openRunner(config, clock);
  const stopping = new AbortController();
  const loop = new SensorLoop({
    config,
    clock,
    runner: h.runner,
    runs: h.stores.runs,
    signal: stopping.signal,
  });
  return {
    /** A poll, as the loop makes it at its interval, and the runs it started, to their end. */
    async poll() {
      await clock.advance(30_000);
      await loop.pollOnce('drops');
      await h.runner.settled();
    },
    runs: (): RunSummary[] => h.stores.runs.list({ job: 'ingest', limit: 1000 }),
    async stop() {
      stopping.abort();
      await h.close();
    },
  };
}

function itemsOf(runs: RunSummary[]): string[] {
  return runs
    .map((run) => {
      assert.equal(run.trigger.kind, 'sensor');
      assert.ok(run.trigger.kind === 'sensor');
      assert.equal(run.trigger.sensor, 'drops', 'the trigger names the sensor');
      return run.trigger.item;
    })
    .sort();
}

test('a folder sensor starts one run per file, across restarts and a crash before the cursor write', async () => {
  const dir = projects.make('sensor', YML, {
    'drops/a.json': '[1]\n',
    'drops/b.json': '[2]\n',
    'drops/c.json': '[3]\n',
  });
  const seenFile = sensorCursorFiles(orchestratorStateDir(configOf(dir)), 'drops').seen;

  let server = await start(dir);
  try {
    await server.poll();
    const runs = server.runs();
    assert.equal(runs.length, 3);
    assert.ok(runs.every((run) => run.status === 'success'));
    const items = itemsOf(runs);
    assert.deepEqual(
      items.map((item) => item.split('|')[0]),
      ['drops/a.json', 'drops/b.json', 'drops/c.json'],
      'the trigger names the item: path|size|etag',
    );
    await server.poll();
    assert.equal(server.runs().length, 3, 'a second poll starts nothing');
  } finally {
    await server.stop();
  }

  server = await start(dir);
  try {
    await server.poll();
    assert.equal(server.runs().length, 3, 'a restart starts nothing again');
    writeFileSync(join(dir, 'drops', 'd.json'), '[4]\n');
    await server.poll();
    const runs = server.runs();
    assert.equal(runs.length, 4, 'a 4th file: exactly one run');
    assert.match(runs[0]?.trigger.kind === 'sensor' ? runs[0].trigger.item : '', /^drops\/d\.json\|4\|/);
    await server.poll();
    assert.equal(server.runs().length, 4);

    // A 5th file, then a crash between queueing its run and writing the cursor: the run is in the
    // history, the cursor's last line is not.
    writeFileSync(join(dir, 'drops', 'e.json'), '[5]\n');
    await server.poll();
    assert.equal(server.runs().length, 5);
  } finally {
    await server.stop();
  }
  const seenLines = readFileSync(seenFile, 'utf8').split('\n').filter(Boolean);
  assert.equal(seenLines.length, 5);
  assert.match(seenLines.at(-1) ?? '', /drops\/e\.json/);
  writeFileSync(seenFile, `${seenLines.slice(0, -1).join('\n')}\n`);

  server = await start(dir);
  try {
    await server.poll();
    const runs = server.runs();
    assert.equal(runs.length, 5, 'no second run for the item the cursor lost: the run history knew it');
    assert.equal(new Set(itemsOf(runs)).size, 5, 'five items, one run each');
    assert.ok(runs.every((run) => run.status === 'success'));
  } finally {
    await server.stop();
  }
  // Healed: the cursor has the item again, so the next start need not ask the history.
  assert.equal(readFileSync(seenFile, 'utf8').split('\n').filter(Boolean).length, 5);
  assert.match(readFileSync(seenFile, 'utf8'), /drops\/e\.json/);
});
