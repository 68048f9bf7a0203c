import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, test } from 'node:test';
import { at, tempStores } from './test-support.ts';

/**
 * A writer killed with SIGKILL (no cleanup code runs) loses nothing it had appended: every append
 * is written before it returns. The store then reads what is there and keeps appending.
 */
const WRITER = new URL('../../../test/fixtures/orchestrator/run-log-writer.ts', import.meta.url).pathname;
const ROOT = new URL('../../..', import.meta.url).pathname;

const made = tempStores();
after(() => made.cleanup());

test('SIGKILL in the middle of appending: everything appended before is read back; the store keeps working', {
  timeout: 60_000,
}, async () => {
  const run = 'rcrash';
  const child = spawn(process.execPath, ['--import', 'tsx', WRITER, made.projectDir, run], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<string | number>((resolve) =>
    child.on('exit', (code, signal) => resolve(signal ?? code ?? -1)),
  );
  let appended = -1;
  for await (const line of createInterface({ input: child.stdout })) {
    appended = Number(line.split(' ')[1]);
    // Kill once it is well into the loop: each of its lines is 20 KB, so a write is likely in flight.
    if (appended >= 300) {
      child.kill('SIGKILL');
      break;
    }
  }
  assert.equal(await exited, 'SIGKILL');

  const { runs, dir } = made;
  const record = runs.get(run);
  assert.equal(record?.status, 'running');
  const logs = runs.logs(run);
  const finishedSteps = readFileSync(join(dir, 'runs', `${run}.ndjson`), 'utf8')
    .split('\n')
    .filter((l) => l.includes('"step_finished"')).length;
  // Each "appended n" was printed after append n returned: all of 1..n are on disk (more may be).
  const onDisk = logs.length + finishedSteps;
  assert.ok(onDisk >= appended, `${onDisk} events read back, ${appended} were appended`);
  // Log lines are the appends whose number is not a multiple of 10: in order, none missing.
  const numbers = logs.map((line) => Number(line.text.split(' ')[1]));
  const expected: number[] = [];
  for (let n = 1; n <= (numbers.at(-1) ?? 0); n++) if (n % 10 !== 0) expected.push(n);
  assert.deepEqual(numbers, expected);

  runs.append({ type: 'log', at: at(1), run, level: 'info', text: 'after the kill' });
  const closed = runs.abandonOrphans(() => false, new Date(at(2)), process.pid);
  assert.deepEqual(
    closed.map((r) => r.id),
    [run],
  );
  assert.equal(runs.logs(run).at(-1)?.text, 'after the kill');
  assert.equal(runs.get(run)?.status, 'abandoned');
  assert.equal(runs.list()[0]?.status, 'abandoned');
});
