import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { openSensorCursor } from './cursor.ts';
import { pollSensor } from './poll.ts';
import { folderSensor, POLL_TIME, recordedRuns, tempProject, writeFileAt } from './test-project.ts';

const child = fileURLToPath(new URL('./kill-child.ts', import.meta.url));

describe('pollSensor through a real kill -9', () => {
  let project: ReturnType<typeof tempProject>;
  beforeEach(() => {
    project = tempProject();
  });
  afterEach(() => project.remove());

  for (const mode of ['after-trigger', 'mid-trigger'] as const) {
    test(`killed ${mode === 'after-trigger' ? 'after the runs were created' : 'while creating runs'}: every file gets exactly one run`, async () => {
      for (const name of ['a.csv', 'b.csv', 'c.csv']) writeFileAt(join(project.dir, 'inbox', name), name);
      const runsFile = join(project.dir, 'runs.txt');
      const killed = spawnSync(
        process.execPath,
        ['--import', 'tsx', child, project.dir, project.stateDir, runsFile, mode],
        { encoding: 'utf8' },
      );
      assert.equal(killed.signal, 'SIGKILL', killed.stderr);
      assert.equal(recordedRuns(runsFile).length, mode === 'after-trigger' ? 3 : 1);
      assert.equal(openSensorCursor(project.stateDir, 'inbox').state().triggered, 0);

      // The restarted server polls again, with the run history's view.
      const restarted = await pollSensor('inbox', folderSensor('inbox'), {
        projectDir: project.dir,
        stateDir: project.stateDir,
        now: new Date(POLL_TIME.getTime() + 30_000),
        alreadyTriggered: (id) => recordedRuns(runsFile).includes(id),
        trigger: async (items) => {
          for (const item of items) appendFileSync(runsFile, `${item.id}\n`);
        },
      });
      assert.equal(restarted.error, undefined);
      const runs = recordedRuns(runsFile);
      assert.deepEqual(runs.map((id) => id.split('|')[0]).sort(), [
        'inbox/a.csv',
        'inbox/b.csv',
        'inbox/c.csv',
      ]);
      assert.equal(restarted.newItems.length, mode === 'after-trigger' ? 0 : 2);
      assert.equal(openSensorCursor(project.stateDir, 'inbox').state().triggered, 3);
    });
  }
});
