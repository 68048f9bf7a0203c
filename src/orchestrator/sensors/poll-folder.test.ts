import assert from 'node:assert/strict';
import { rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { openSensorCursor } from './cursor.ts';
import type { SensedItem } from './items.ts';
import { pollSensor } from './poll.ts';
import { FILE_TIME, folderSensor, POLL_TIME, runHistory, tempProject, writeFileAt } from './test-project.ts';

const at = (seconds: number) => new Date(POLL_TIME.getTime() + seconds * 1000);
const paths = (items: SensedItem[]) => items.map((item) => item.path);

describe('pollSensor on a folder', () => {
  let project: ReturnType<typeof tempProject>;
  beforeEach(() => {
    project = tempProject();
  });
  afterEach(() => project.remove());

  const deps = (history: ReturnType<typeof runHistory>, now: Date, withHistory = true) => ({
    projectDir: project.dir,
    stateDir: project.stateDir,
    now,
    trigger: history.trigger,
    ...(withHistory ? { alreadyTriggered: history.alreadyTriggered } : {}),
  });

  test('each new file starts one run; later polls start only what is new or changed', async () => {
    const sensor = folderSensor('inbox');
    const history = runHistory();
    for (const name of ['a.csv', 'b.csv', 'c.csv']) writeFileAt(join(project.dir, 'inbox', name), name);

    const first = await pollSensor('inbox', sensor, deps(history, at(0)));
    assert.deepEqual(paths(first.newItems), ['inbox/a.csv', 'inbox/b.csv', 'inbox/c.csv']);
    assert.equal(history.runs.length, 3);

    writeFileAt(join(project.dir, 'inbox/d.csv'), 'd');
    const second = await pollSensor('inbox', sensor, deps(history, at(30)));
    assert.deepEqual(paths(second.newItems), ['inbox/d.csv']);

    const third = await pollSensor('inbox', sensor, deps(history, at(60)));
    assert.deepEqual(third.newItems, []);

    writeFileAt(join(project.dir, 'inbox/b.csv'), 'b, longer now', new Date(FILE_TIME.getTime() + 5_000));
    const fourth = await pollSensor('inbox', sensor, deps(history, at(90)));
    assert.deepEqual(paths(fourth.newItems), ['inbox/b.csv']);
    assert.equal(history.runs.length, 5);
    assert.equal(new Set(history.runs).size, 5);

    // A restart: every poll above read its cursor from disk; a cursor opened now agrees.
    const restarted = await pollSensor('inbox', sensor, {
      ...deps(history, at(120), false),
      cursor: openSensorCursor(project.stateDir, 'inbox'),
    });
    assert.deepEqual(restarted.newItems, []);
    const state = openSensorCursor(project.stateDir, 'inbox').state();
    assert.equal(state.triggered, 5);
    assert.equal(state.polls, 5);
    assert.equal(state.lastItemAt, at(90).toISOString());
  });

  test('a crash after the runs were created, before the cursor write, starts nothing twice', async () => {
    const sensor = folderSensor('inbox');
    const history = runHistory();
    for (const name of ['a.csv', 'b.csv']) writeFileAt(join(project.dir, 'inbox', name), name);
    // The runs are created, then the process "dies" before the cursor hears of them.
    const crashed = await pollSensor('inbox', sensor, {
      ...deps(history, at(0)),
      trigger: async (items) => {
        await history.trigger(items);
        throw new Error('killed');
      },
    });
    assert.match(crashed.error ?? '', /could not start runs: killed/);
    assert.equal(openSensorCursor(project.stateDir, 'inbox').state().triggered, 0);

    writeFileAt(join(project.dir, 'inbox/c.csv'), 'c');
    const after = await pollSensor('inbox', sensor, deps(history, at(30)));
    assert.deepEqual(paths(after.newItems), ['inbox/c.csv']);
    assert.deepEqual(
      history.runs.map((id) => id.split('|')[0]),
      ['inbox/a.csv', 'inbox/b.csv', 'inbox/c.csv'],
    );
    // The healed items are now in the cursor: the run history is not needed for them any more.
    const withoutHistory = await pollSensor('inbox', sensor, deps(history, at(60), false));
    assert.deepEqual(withoutHistory.newItems, []);
    assert.equal(openSensorCursor(project.stateDir, 'inbox').state().triggered, 3);
  });

  test('a trigger that fails half-way: the next poll starts only the items without a run', async () => {
    const sensor = folderSensor('inbox');
    const history = runHistory();
    for (const name of ['a.csv', 'b.csv', 'c.csv']) writeFileAt(join(project.dir, 'inbox', name), name);
    await pollSensor('inbox', sensor, {
      ...deps(history, at(0)),
      trigger: async (items) => {
        await history.trigger(items.slice(0, 1));
        throw new Error('disk full');
      },
    });
    const retry = await pollSensor('inbox', sensor, deps(history, at(30)));
    assert.deepEqual(paths(retry.newItems), ['inbox/b.csv', 'inbox/c.csv']);
    assert.equal(new Set(history.runs).size, history.runs.length);
    assert.equal(history.runs.length, 3);
  });

  test('a listing error is recorded and returned, never thrown; the next poll retries', async () => {
    const sensor = folderSensor('inbox');
    const history = runHistory();
    const failed = await pollSensor('inbox', sensor, deps(history, at(0)));
    assert.match(failed.error ?? '', /sensor inbox: could not list: sensor folder "inbox" does not exist/);
    assert.match(openSensorCursor(project.stateDir, 'inbox').state().lastError ?? '', /does not exist/);

    writeFileAt(join(project.dir, 'inbox/a.csv'), 'a');
    const ok = await pollSensor('inbox', sensor, deps(history, at(30)));
    assert.equal(ok.error, undefined);
    assert.deepEqual(paths(ok.newItems), ['inbox/a.csv']);
    assert.equal(openSensorCursor(project.stateDir, 'inbox').state().lastError, undefined);
  });

  test('a folder outside the project is refused with a clear error', async () => {
    const result = await pollSensor('out', folderSensor('../elsewhere'), deps(runHistory(), at(0)));
    assert.match(result.error ?? '', /is outside the project; a sensor watches a folder inside the project/);
  });

  test('the pattern filters; a symlink is skipped and warned about once', async () => {
    const sensor = folderSensor('inbox', { pattern: '**/*.csv' });
    const history = runHistory();
    writeFileAt(join(project.dir, 'inbox/a.csv'), 'a');
    writeFileAt(join(project.dir, 'inbox/notes.txt'), 'n');
    writeFileAt(join(project.dir, 'outside/secret.csv'), 's');
    symlinkSync(join(project.dir, 'outside/secret.csv'), join(project.dir, 'inbox/link.csv'));
    const first = await pollSensor('inbox', sensor, deps(history, at(0)));
    assert.deepEqual(paths(first.newItems), ['inbox/a.csv']);
    assert.equal(first.warnings.length, 1);
    assert.match(first.warnings[0] ?? '', /skipped the symlink inbox\/link\.csv/);
    const second = await pollSensor('inbox', sensor, deps(history, at(30)));
    assert.deepEqual(second.warnings, []);
    assert.deepEqual(openSensorCursor(project.stateDir, 'inbox').state().symlinks, ['inbox/link.csv']);
    // Gone and back: warned again, since the user may not have seen the first one.
    rmSync(join(project.dir, 'inbox/link.csv'));
    await pollSensor('inbox', sensor, deps(history, at(60)));
    symlinkSync(join(project.dir, 'outside/secret.csv'), join(project.dir, 'inbox/link.csv'));
    assert.equal((await pollSensor('inbox', sensor, deps(history, at(90)))).warnings.length, 1);
  });
});
