import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sampleFailedRun, sampleRun } from '../../../test/helpers/sample-runs.ts';
import { alertEventFor, previousFinalRun } from './decide-alert.ts';

const at = (day: number) => `2026-03-${String(day).padStart(2, '0')}T06:05:00.000Z`;

describe('alertEventFor', () => {
  it('a failed run alerts failure; an abandoned one too; a cancelled one does not', () => {
    assert.equal(alertEventFor(sampleFailedRun()), 'failure');
    assert.equal(alertEventFor(sampleRun({ status: 'abandoned' })), 'failure');
    assert.equal(alertEventFor(sampleRun({ status: 'cancelled' })), undefined);
  });

  it('a failed attempt with a retry scheduled does not alert; the last attempt does', () => {
    assert.equal(alertEventFor(sampleFailedRun({ nextAttemptAt: '2026-03-01T06:05:30.000Z' })), undefined);
    assert.equal(alertEventFor(sampleFailedRun({ attempt: 3, retryOf: 'r-2' })), 'failure');
  });

  it('a success after an alerted failure is a recovery; after a success or nothing it is silent', () => {
    assert.equal(alertEventFor(sampleRun(), sampleFailedRun()), 'recovery');
    assert.equal(alertEventFor(sampleRun(), sampleRun({ id: 'r-before' })), undefined);
    assert.equal(alertEventFor(sampleRun()), undefined);
    assert.equal(alertEventFor(sampleRun(), sampleRun({ status: 'abandoned' })), 'recovery');
  });

  it('a success after a retried attempt (never alerted) is not a recovery', () => {
    assert.equal(alertEventFor(sampleRun(), sampleFailedRun({ nextAttemptAt: at(1) })), undefined);
  });

  it('queued and running runs never alert', () => {
    assert.equal(alertEventFor(sampleRun({ status: 'running' }), sampleFailedRun()), undefined);
    assert.equal(alertEventFor(sampleRun({ status: 'queued' })), undefined);
  });
});

describe('previousFinalRun', () => {
  const failedFinal = sampleFailedRun({ id: 'r1', endedAt: at(1) });
  const cancelled = sampleRun({ id: 'r2', status: 'cancelled', endedAt: at(2) });
  const retriedAttempt = sampleFailedRun({ id: 'r3', endedAt: at(3), nextAttemptAt: at(3) });
  const otherJob = sampleRun({ id: 'r4', job: 'hourly', endedAt: at(4) });
  const success = sampleRun({ id: 'r5', attempt: 2, retryOf: 'r3', endedAt: at(5) });
  const later = sampleFailedRun({ id: 'r6', endedAt: at(6) });
  const history = [later, success, otherJob, retriedAttempt, cancelled, failedFinal];

  it('skips cancelled runs, retried attempts, other jobs, later runs and the run itself', () => {
    assert.equal(previousFinalRun(history, success)?.id, 'r1');
    // fail → cancel → retry-then-success is still a recovery from the alerted failure
    assert.equal(alertEventFor(success, previousFinalRun(history, success)), 'recovery');
  });

  it('is undefined for the first run of a job', () => {
    assert.equal(previousFinalRun(history, failedFinal), undefined);
  });
});
