import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { openSensorCursor, sensorCursorFiles, sensorStates } from './cursor.ts';
import { SensorCursorError } from './errors.ts';
import { POLL_TIME, tempProject } from './test-project.ts';

describe('sensor cursor', () => {
  let project: ReturnType<typeof tempProject>;
  beforeEach(() => {
    project = tempProject();
  });
  afterEach(() => project.remove());

  test('remembers ids and polls across reopenings', () => {
    const cursor = openSensorCursor(project.stateDir, 'inbox');
    assert.equal(cursor.seen('a|1|x'), false);
    cursor.add(['a|1|x', 'b|2|y', 'a|1|x'], POLL_TIME);
    cursor.recordPoll(POLL_TIME);
    const again = openSensorCursor(project.stateDir, 'inbox');
    assert.equal(again.seen('a|1|x'), true);
    assert.equal(again.seen('b|2|y'), true);
    assert.deepEqual(again.state(), {
      sensor: 'inbox',
      lastPollAt: POLL_TIME.toISOString(),
      lastItemAt: POLL_TIME.toISOString(),
      polls: 1,
      errors: 0,
      triggered: 2,
      symlinks: [],
    });
    // Adding what is known writes nothing.
    again.add(['a|1|x'], POLL_TIME);
    const lines = readFileSync(sensorCursorFiles(project.stateDir, 'inbox').seen, 'utf8').trim().split('\n');
    assert.equal(lines.length, 2);
  });

  test('an error is kept until a poll succeeds', () => {
    const cursor = openSensorCursor(project.stateDir, 's');
    cursor.recordPoll(POLL_TIME, 'bucket not found');
    assert.equal(openSensorCursor(project.stateDir, 's').state().lastError, 'bucket not found');
    assert.deepEqual(sensorStates(project.stateDir, ['s', 'never-polled']), [
      { name: 's', lastPollAt: POLL_TIME.toISOString(), lastError: 'bucket not found', triggered: 0 },
      { name: 'never-polled', triggered: 0 },
    ]);
    cursor.recordPoll(new Date(POLL_TIME.getTime() + 1000));
    const state = openSensorCursor(project.stateDir, 's').state();
    assert.equal(state.lastError, undefined);
    assert.equal(state.errors, 1);
    assert.equal(state.polls, 2);
  });

  test('a torn last line (kill -9 mid-append) is dropped and the next append starts a new line', () => {
    const cursor = openSensorCursor(project.stateDir, 's');
    cursor.add(['one'], POLL_TIME);
    const { seen } = sensorCursorFiles(project.stateDir, 's');
    appendFileSync(seen, '"tw');
    const reopened = openSensorCursor(project.stateDir, 's');
    assert.equal(reopened.seen('one'), true);
    assert.equal(reopened.state().triggered, 1);
    reopened.add(['two'], POLL_TIME);
    const third = openSensorCursor(project.stateDir, 's');
    assert.equal(third.seen('two'), true);
    assert.equal(third.state().triggered, 2);
    assert.equal(readFileSync(seen, 'utf8'), '"one"\n"two"\n');
  });

  test('a last line that lost only its newline still counts', () => {
    const cursor = openSensorCursor(project.stateDir, 's');
    cursor.add(['one'], POLL_TIME);
    const { seen } = sensorCursorFiles(project.stateDir, 's');
    appendFileSync(seen, '"two"');
    const reopened = openSensorCursor(project.stateDir, 's');
    assert.equal(reopened.seen('two'), true);
    reopened.add(['three'], POLL_TIME);
    assert.equal(readFileSync(seen, 'utf8'), '"one"\n"two"\n"three"\n');
  });

  test('names become safe, distinct file names', () => {
    for (const name of ['a/b', 'a%2Fb', '../up', 'ünï'])
      openSensorCursor(project.stateDir, name).add([name], POLL_TIME);
    const files = readdirSync(join(project.stateDir, 'sensors')).sort();
    assert.equal(files.length, 8);
    for (const file of files) assert.match(file, /^[A-Za-z0-9_%-]+\.(json|seen\.jsonl)$/);
    assert.equal(openSensorCursor(project.stateDir, 'a/b').seen('a%2Fb'), false);
  });

  test('symlinks in the state folder are refused, not followed', () => {
    const { status } = sensorCursorFiles(project.stateDir, 's');
    mkdirSync(join(project.stateDir, 'sensors'), { recursive: true });
    writeFileSync(join(project.dir, 'elsewhere.json'), '{}');
    symlinkSync(join(project.dir, 'elsewhere.json'), status);
    assert.throws(() => openSensorCursor(project.stateDir, 's'), SensorCursorError);
    const other = tempProject();
    try {
      mkdirSync(other.stateDir, { recursive: true });
      symlinkSync(project.dir, join(other.stateDir, 'sensors'));
      assert.throws(() => openSensorCursor(other.stateDir, 's'), /is a symlink/);
    } finally {
      other.remove();
    }
  });

  test('a damaged status file is a clear error that says what to do', () => {
    openSensorCursor(project.stateDir, 's').recordPoll(POLL_TIME);
    writeFileSync(sensorCursorFiles(project.stateDir, 's').status, '{not json');
    assert.throws(() => openSensorCursor(project.stateDir, 's'), /is not valid JSON; remove it/);
    assert.match(sensorStates(project.stateDir, ['s'])[0]?.lastError ?? '', /not valid JSON/);
  });
});
