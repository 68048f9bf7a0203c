import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkRunId, newRunId } from './run-ids.ts';

test('run ids are the compact UTC time and 6 base36 characters, and sort by time', () => {
  const sequence = [0, 0.5, 0.999, 0.1, 0.2, 0.3];
  let i = 0;
  const id = newRunId(new Date('2026-12-01T10:15:00.123Z'), () => sequence[i++ % sequence.length] ?? 0);
  assert.match(id, /^r20261201T101500123Z-[0-9a-z]{6}$/);
  assert.equal(id, 'r20261201T101500123Z-0iz37a');
  const later = newRunId(new Date('2026-12-01T10:15:00.124Z'), () => 0);
  const muchLater = newRunId(new Date('2027-01-01T00:00:00.000Z'), () => 0.99);
  assert.deepEqual([muchLater, id, later].sort(), [id, later, muchLater]);
  assert.equal(checkRunId(id), id);
});

test('a run id that is not a safe file name is refused', () => {
  for (const bad of ['../etc/passwd', 'a/b', '', '.hidden', 'x'.repeat(200)])
    assert.throws(() => checkRunId(bad), /run id .* is not valid/);
});
