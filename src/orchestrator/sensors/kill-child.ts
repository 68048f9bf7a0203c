import { appendFileSync, closeSync, fsyncSync, openSync } from 'node:fs';
import { pollSensor } from './poll.ts';
import { folderSensor, POLL_TIME, recordedRuns } from './test-project.ts';

/**
 * Test fixture for poll-kill.test.ts, run as its own process: one poll of the folder `inbox` whose
 * trigger writes each run (an id a line, fsynced, as the run store would) and then kills its own
 * process with SIGKILL — after every run (`after-trigger`) or after the first (`mid-trigger`) — so
 * the cursor write never happens.
 * Usage: node --import tsx kill-child.ts <projectDir> <stateDir> <runsFile> <mode>
 */
const [projectDir, stateDir, runsFile, mode] = process.argv.slice(2) as [string, string, string, string];

function recordRun(id: string): void {
  appendFileSync(runsFile, `${id}\n`);
  const fd = openSync(runsFile, 'r');
  fsyncSync(fd);
  closeSync(fd);
}

await pollSensor('inbox', folderSensor('inbox'), {
  projectDir,
  stateDir,
  now: POLL_TIME,
  alreadyTriggered: (id) => recordedRuns(runsFile).includes(id),
  trigger: async (items) => {
    for (const [index, item] of items.entries()) {
      recordRun(item.id);
      if (mode === 'mid-trigger' && index === 0) process.kill(process.pid, 'SIGKILL');
    }
    if (mode === 'after-trigger') process.kill(process.pid, 'SIGKILL');
  },
});
// Reaching this line means the kill did not happen: the test sees exit code 0 and fails.
