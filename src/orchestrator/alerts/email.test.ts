import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sampleFailedRun } from '../../../test/helpers/sample-runs.ts';
import { type SmtpReceiver, startSmtpReceiver } from '../../../test/helpers/smtp-receiver.ts';
import { sendEmail } from './email.ts';
import { AlertDeliveryError } from './errors.ts';
import { alertMessage } from './message.ts';

const message = alertMessage({
  event: 'failure',
  run: sampleFailedRun(),
  seeMore: 'vaultline runs show r20260301T060000-fail',
  project: 'shop',
});

describe('sendEmail (nodemailer → a local smtp-server with AUTH)', () => {
  let smtp: SmtpReceiver;
  before(async () => {
    smtp = await startSmtpReceiver();
  });
  after(() => smtp?.close());

  it('delivers subject and text to every recipient, authenticated', async () => {
    await sendEmail(
      'ops',
      { to: ['oncall@example.org', 'data@example.org'], from: 'vaultline@example.org', smtp: smtp.url },
      message,
    );
    const [mail] = await smtp.waitFor(1);
    assert.equal(mail?.user, smtp.user);
    assert.equal(mail?.from, 'vaultline@example.org');
    assert.deepEqual(mail?.to, ['oncall@example.org', 'data@example.org']);
    assert.equal(mail?.subject, message.subject);
    assert.equal(mail?.text, message.text);
    assert.ok(mail?.text.includes('Node: `model.shop.fct_orders`'));
  });

  it('a wrong password fails naming the alert and server, and no password appears', async () => {
    const wrong = `smtp://${smtp.user}:${encodeURIComponent('Wrong-Pa55word!')}@127.0.0.1:${smtp.port}`;
    const error = await sendEmail(
      'ops',
      { to: ['oncall@example.org'], from: 'v@example.org', smtp: wrong },
      message,
    ).catch((e: unknown) => e);
    assert.ok(error instanceof AlertDeliveryError);
    assert.match(error.message, /^the email of alert ops could not be sent via smtp:\/\/127\.0\.0\.1:\d+: /);
    assert.match(error.message, /check the user and password/);
    for (const secret of ['Wrong-Pa55word!', encodeURIComponent('Wrong-Pa55word!'), smtp.password])
      assert.ok(!error.message.includes(secret), error.message);
    assert.equal(error.cause, undefined);
  });

  it('an unreachable server fails without the password', async () => {
    const closed = await startSmtpReceiver();
    const url = closed.url;
    await closed.close();
    const error = await sendEmail(
      'ops',
      { to: ['oncall@example.org'], from: 'v@example.org', smtp: url },
      message,
    ).catch((e: Error) => e);
    assert.ok(error instanceof AlertDeliveryError);
    assert.match(error.message, /could not be sent via smtp:\/\/127\.0\.0\.1:\d+: .*check the host and port/);
    assert.ok(
      !error.message.includes(closed.password) &&
        !error.message.includes(encodeURIComponent(closed.password)),
    );
  });
});
