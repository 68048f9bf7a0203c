import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { StateFileCorruptError } from './errors.ts';
import { tempStores } from './test-support.ts';

const made = tempStores();
after(() => made.cleanup());

test('scheduler state: fresh when absent, replaced whole on write, no temp file left behind', () => {
  const { scheduler, dir } = made;
  assert.deepEqual(scheduler.read(), { jobs: {} });
  const state = {
    jobs: { daily: { lastTick: '2026-12-01T06:00:00.000Z' }, hourly: {} },
    heartbeat: { pid: 42, startedAt: '2026-12-01T05:00:00.000Z', at: '2026-12-01T06:00:30.000Z' },
  };
  scheduler.write(state);
  assert.deepEqual(scheduler.read(), state);
  scheduler.write({ jobs: { daily: { lastTick: '2026-12-02T06:00:00.000Z' } } });
  assert.deepEqual(scheduler.read(), { jobs: { daily: { lastTick: '2026-12-02T06:00:00.000Z' } } });
  assert.deepEqual(readdirSync(dir), ['scheduler.json']);
  assert.equal(statSync(dir).mode & 0o777, 0o700);
  assert.equal(statSync(join(dir, 'scheduler.json')).mode & 0o777, 0o600);
});

test('scheduler state: a corrupt file is a clear error naming the file and the fix', () => {
  const { scheduler, dir } = made;
  const path = join(dir, 'scheduler.json');
  for (const [text, problem] of [
    ['{"jobs": {"daily": {"lastTick": "2026-', /not JSON/],
    ['[]', /not a JSON object/],
    ['{"jobs": {"daily": {"lastTick": 5}}}', /jobs\.daily\.lastTick is not a time/],
  ] as const) {
    writeFileSync(path, text);
    assert.throws(
      () => scheduler.read(),
      (error: Error) => {
        assert.ok(error instanceof StateFileCorruptError);
        assert.match(error.message, problem);
        assert.ok(error.message.startsWith(`${path} cannot be read`));
        assert.match(
          error.message,
          /move it aside \(mv .*scheduler\.json .*scheduler\.json\.broken\): the scheduler then starts fresh/,
        );
        return true;
      },
    );
  }
  // Writing replaces the broken file whole (the scheduler's own write is never half done).
  scheduler.write({ jobs: {} });
  assert.equal(readFileSync(path, 'utf8'), '{\n  "jobs": {}\n}\n');
});

test('scheduler state: a symlinked state file is refused, and nothing is written through it', () => {
  const { scheduler, dir, projectDir } = made;
  const target = join(projectDir, 'target.json');
  writeFileSync(target, '{"jobs":{}}');
  const path = join(dir, 'scheduler.json');
  unlinkSync(path);
  symlinkSync(target, path);
  assert.throws(() => scheduler.read(), /scheduler\.json is a symlink/);
  assert.throws(() => scheduler.write({ jobs: {} }), /scheduler\.json is a symlink/);
  assert.equal(readFileSync(target, 'utf8'), '{"jobs":{}}');
});
