import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { sampleFailedRun, sampleRun } from '../../../test/helpers/sample-runs.ts';
import { type SmtpReceiver, startSmtpReceiver } from '../../../test/helpers/smtp-receiver.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../../../test/helpers/webhook-receiver.ts';
import { redactor } from '../../shared/redact.ts';
import { type AlertConfig, alertSchema } from '../config.ts';
import { sendAlert } from './dispatch.ts';
import { alertMessage } from './message.ts';

const failure = alertMessage({ event: 'failure', run: sampleFailedRun(), seeMore: 'vaultline runs show r1' });
const recovery = alertMessage({
  event: 'recovery',
  run: sampleRun(),
  previous: sampleFailedRun(),
  seeMore: 'vaultline runs show r2',
});
const noWait = { sleep: async () => {} };
const alert = (config: Record<string, unknown>): AlertConfig => alertSchema.parse(config);

function captureLog() {
  const lines: Array<{ level: string; text: string }> = [];
  return { lines, log: (level: string, text: string) => lines.push({ level, text }) };
}

describe('sendAlert', () => {
  let webhookA: WebhookReceiver;
  let webhookB: WebhookReceiver;
  let smtp: SmtpReceiver;
  before(async () => {
    [webhookA, webhookB, smtp] = await Promise.all([
      startWebhookReceiver(),
      startWebhookReceiver(),
      startSmtpReceiver(),
    ]);
  });
  after(() => Promise.all([webhookA?.close(), webhookB?.close(), smtp?.close()]));

  it('sends to every destination of each named alert whose on: includes the event', async () => {
    const alerts = {
      ops: alert({
        webhook: webhookA.url,
        email: { to: 'oncall@example.org', smtp: smtp.url },
        on: ['failure'],
      }),
      chat: alert({ webhook: webhookB.url }), // on: defaults to every event
    };
    const { lines, log } = captureLog();
    const deliveries = await sendAlert(['ops', 'chat'], alerts, failure, 'failure', { log, webhook: noWait });
    assert.deepEqual(deliveries.map((d) => `${d.alert}/${d.destination}/${d.ok}`).sort(), [
      'chat/webhook/true',
      'ops/email/true',
      'ops/webhook/true',
    ]);
    await Promise.all([webhookA.waitFor(1), webhookB.waitFor(1), smtp.waitFor(1)]);
    assert.equal(smtp.messages[0]?.subject, failure.subject);
    assert.equal(lines.filter((l) => l.level === 'info').length, 3);

    // A recovery goes only to the alert that listens for it.
    const again = await sendAlert(['ops', 'chat'], alerts, recovery, 'recovery', { log, webhook: noWait });
    assert.deepEqual(
      again.map((d) => `${d.alert}/${d.destination}`),
      ['chat/webhook'],
    );
    await webhookB.waitFor(2);
    assert.equal(webhookA.requests.length, 1);
    assert.equal(smtp.messages.length, 1);
    assert.equal((webhookB.requests[1]?.body as { event?: string } | undefined)?.event, 'recovery');
  });

  it('an alert named twice is sent once; an unknown one is logged, not thrown', async () => {
    const before = webhookA.requests.length;
    const { lines, log } = captureLog();
    const deliveries = await sendAlert(
      ['ops', 'ops', 'ghost'],
      { ops: alert({ webhook: webhookA.url }) },
      failure,
      'failure',
      {
        log,
      },
    );
    assert.equal(deliveries.length, 1);
    await webhookA.waitFor(before + 1);
    assert.equal(webhookA.requests.length, before + 1);
    assert.ok(lines.some((l) => l.level === 'warn' && l.text.includes('alert ghost is not defined')));
  });

  it('an unreachable webhook is ok:false with an error naming the alert, never the secret URL (errors and logs)', async () => {
    const port = await freePort();
    const secretUrl = `http://127.0.0.1:${port}/services/T9/B9/dispatch-secret-hook-value`;
    const { lines, log } = captureLog();
    // Unregistered first (defensive path), then registered as config loading does.
    for (const registered of [false, true]) {
      if (registered) redactor.addSecret(secretUrl, 'alerts.ops.webhook in vaultline.yml');
      const [delivery, ...rest] = await sendAlert(
        ['ops'],
        { ops: alert({ webhook: secretUrl }) },
        failure,
        'failure',
        {
          log,
          webhook: noWait,
        },
      );
      assert.equal(rest.length, 0);
      assert.equal(delivery?.ok, false);
      assert.match(String(delivery?.error), /^the webhook of alert ops could not be reached/);
      const everything = JSON.stringify({ delivery, lines });
      assert.ok(!everything.includes('dispatch-secret-hook-value'), everything);
      assert.ok(!everything.includes(`:${port}`), everything);
    }
    assert.equal(lines.filter((l) => l.level === 'warn').length, 2);
  });

  it('a wrong SMTP password is ok:false and the password is in no error or log', async () => {
    const password = 'Dispatch-Wrong-Secret-77';
    const url = `smtp://${smtp.user}:${password}@127.0.0.1:${smtp.port}`;
    const { lines, log } = captureLog();
    const [delivery] = await sendAlert(
      ['mail'],
      { mail: alert({ email: { to: 'a@example.org', smtp: url } }) },
      failure,
      'failure',
      {
        log,
      },
    );
    assert.equal(delivery?.ok, false);
    assert.match(String(delivery?.error), /^the email of alert mail could not be sent/);
    assert.ok(!JSON.stringify({ delivery, lines }).includes(password));
  });

  it('does nothing for an event no alert listens to', async () => {
    const deliveries = await sendAlert(
      ['ops'],
      { ops: alert({ webhook: webhookA.url, on: ['failure'] }) },
      failure,
      'missed',
    );
    assert.deepEqual(deliveries, []);
  });
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return typeof address === 'object' && address ? address.port : 0;
}
