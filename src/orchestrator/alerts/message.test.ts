import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sampleFailedRun, sampleRun } from '../../../test/helpers/sample-runs.ts';
import { redactor } from '../../shared/redact.ts';
import { alertMessage, ERROR_LINES, firstErrorLines } from './message.ts';

const seeMore =
  'vaultline runs show r20260301T060000-fail  or  http://127.0.0.1:8765/api/runs/r20260301T060000-fail';

describe('alertMessage: failure', () => {
  const message = alertMessage({ event: 'failure', run: sampleFailedRun(), seeMore, project: 'shop' });

  it('names the job, run, failed step (number and command), node, partition, attempt and how to see more', () => {
    for (const expected of [
      'nightly failed',
      'r20260301T060000-fail',
      'Step 2 of 2: `build --select tag:marts`',
      'Node: `model.shop.fct_orders`',
      'partition 2026-02-28',
      'attempt 1',
      `See more: ${seeMore}`,
    ]) {
      assert.ok(message.text.includes(expected), `text should include ${expected}:\n${message.text}`);
    }
    assert.equal(message.subject, '[shop] nightly failed at step 2: build --select tag:marts');
  });

  it('shows the error’s first 5 lines only, and says how many more there are', () => {
    assert.ok(message.text.includes('error line 5'));
    assert.ok(!message.text.includes('error line 6'));
    assert.ok(message.text.includes('… and 7 more lines'));
    assert.equal(message.json.error, 'error line 1\nerror line 2\nerror line 3\nerror line 4\nerror line 5');
    assert.equal(message.json.error_lines_omitted, 7);
  });

  it('carries the structured fields', () => {
    assert.deepEqual(
      { ...message.json, error: undefined },
      {
        event: 'failure',
        project: 'shop',
        job: 'nightly',
        run: 'r20260301T060000-fail',
        status: 'failed',
        attempt: 1,
        step: 2,
        command: 'build --select tag:marts',
        node: 'model.shop.fct_orders',
        error: undefined,
        error_lines_omitted: 7,
        partition: '2026-02-28',
        started: '2026-03-01T06:00:01.000Z',
        ended: '2026-03-01T06:04:10.000Z',
        see_more: seeMore,
      },
    );
  });

  it('falls back to the failed step when the run has no error record', () => {
    const run = sampleFailedRun({ error: undefined });
    const fallback = alertMessage({ event: 'failure', run, seeMore });
    assert.equal(fallback.json.step, 2);
    assert.equal(fallback.json.command, 'build --select tag:marts');
    assert.ok(fallback.text.includes('error line 1'));
    assert.ok(fallback.subject.startsWith('[vaultline] nightly failed'));
  });

  it('says an abandoned run was abandoned, with a reason even without an error', () => {
    const run = sampleRun({ status: 'abandoned', error: undefined, endedAt: undefined });
    const abandoned = alertMessage({ event: 'failure', run, seeMore });
    assert.ok(abandoned.subject.includes('nightly was abandoned'));
    assert.ok(abandoned.text.includes('the process that ran it is gone'));
  });

  it('redacts secrets from the subject, text and fields', () => {
    const secret = 'sk_live_message_test_4242';
    redactor.addSecret(secret, 'environment variable STRIPE_KEY');
    const run = sampleFailedRun({
      error: {
        step: 1,
        command: `extract --all`,
        message: `401 for https://api.example.org/x?api_key=${secret}`,
      },
    });
    const leaked = alertMessage({ event: 'failure', run, seeMore: `see ${secret}` });
    const all = JSON.stringify(leaked);
    assert.ok(!all.includes(secret), all);
    assert.ok(leaked.text.includes('***'));
  });

  it('keeps a code block intact when the error contains backticks, and cuts very long lines', () => {
    const run = sampleFailedRun({ error: { message: `bad \`\`\`sql\`\`\` here\n${'x'.repeat(1000)}` } });
    const text = alertMessage({ event: 'failure', run, seeMore }).text;
    assert.equal(text.split('```').length - 1, 2, text);
    assert.ok(text.includes(`${'x'.repeat(300)}…`));
    assert.ok(!text.includes('x'.repeat(301)));
  });
});

describe('alertMessage: recovery and missed', () => {
  it('a recovery names the run that succeeded and the failure it follows', () => {
    const message = alertMessage({
      event: 'recovery',
      run: sampleRun({ id: 'r-ok' }),
      previous: sampleFailedRun(),
      seeMore: 'vaultline runs show r-ok',
    });
    assert.equal(message.subject, '[vaultline] nightly recovered');
    assert.ok(message.text.includes('*nightly recovered*'));
    assert.ok(message.text.includes('After run `r20260301T060000-fail` failed at step 2'));
    assert.equal(message.json.previous_run, 'r20260301T060000-fail');
    assert.equal(message.json.event, 'recovery');
  });

  it('a missed alert lists the ticks (at most 10), the last heartbeat and the detail', () => {
    const ticks = Array.from(
      { length: 12 },
      (_, i) => `2026-03-${String(i + 1).padStart(2, '0')}T06:00:00.000Z`,
    );
    const message = alertMessage({
      event: 'missed',
      job: 'nightly',
      ticks,
      lastHeartbeat: '2026-02-28T23:59:00.000Z',
      detail: 'The server was down from 2026-02-28T23:59Z to 2026-03-13T08:00Z.',
      seeMore: 'vaultline schedule why nightly',
    });
    assert.equal(message.subject, '[vaultline] missed 12 ticks of nightly');
    assert.ok(message.text.includes('2026-03-10T06:00:00.000Z and 2 more'));
    assert.ok(!message.text.includes('2026-03-11T06:00:00.000Z'));
    assert.ok(message.text.includes('Last heartbeat: 2026-02-28T23:59:00.000Z'));
    assert.ok(message.text.includes('The server was down'));
    assert.deepEqual(message.json.ticks, ticks);
    assert.equal(message.json.event, 'missed');
  });
});

describe('firstErrorLines', () => {
  it(`keeps ${ERROR_LINES} lines, ignores trailing blank lines and CRLF`, () => {
    assert.deepEqual(firstErrorLines('a\r\nb\n\n\n'), { lines: ['a', 'b'], omitted: 0 });
    assert.deepEqual(firstErrorLines('1\n2\n3\n4\n5\n6'), { lines: ['1', '2', '3', '4', '5'], omitted: 1 });
  });
});
