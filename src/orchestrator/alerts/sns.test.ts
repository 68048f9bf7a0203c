import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { sampleFailedRun } from '../../../test/helpers/sample-runs.ts';
import { AlertDeliveryError } from './errors.ts';
import { alertMessage } from './message.ts';
import { publishSns, regionOfArn, snsSubject } from './sns.ts';

/**
 * A local HTTP server on 127.0.0.1 standing in for the SNS endpoint: it records the SDK's
 * form-encoded Query requests and answers as SNS does (PublishResponse, or an ErrorResponse for an
 * unknown topic).
 */
const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:vaultline-alerts';
const requests: Array<{ headers: IncomingHttpHeaders; form: URLSearchParams }> = [];
let server: Server;
let endpoint = '';
const savedEnv = { ...process.env };

before(async () => {
  Object.assign(process.env, {
    AWS_ACCESS_KEY_ID: 'AKIDVAULTLINETEST',
    AWS_SECRET_ACCESS_KEY: 'vaultline-test-secret-access-key',
  });
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      requests.push({ headers: req.headers, form });
      const xml = { 'content-type': 'text/xml' };
      if (form.get('TopicArn') !== TOPIC) {
        res
          .writeHead(404, xml)
          .end(
            '<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><Error><Type>Sender</Type>' +
              '<Code>NotFound</Code><Message>Topic does not exist</Message></Error><RequestId>req-404</RequestId></ErrorResponse>',
          );
        return;
      }
      res
        .writeHead(200, xml)
        .end(
          '<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult>' +
            '<MessageId>94f20ce6-13c5-43a0-9a9e-ca52d816e90b</MessageId></PublishResult>' +
            '<ResponseMetadata><RequestId>f187a3c1-376f-11df-8963-01868b7c937a</RequestId></ResponseMetadata></PublishResponse>',
        );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(async () => {
  process.env = savedEnv;
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const message = alertMessage({ event: 'failure', run: sampleFailedRun(), seeMore: 'vaultline runs show r1' });

describe('publishSns (the SDK against a local SNS endpoint)', () => {
  it('sends a signed Query Publish with TopicArn, Subject, Message and the event/job attributes', async () => {
    requests.length = 0;
    await publishSns('ops', { topic_arn: TOPIC, endpoint }, message);
    assert.equal(requests.length, 1);
    const { headers, form } = requests[0]!;
    assert.match(String(headers['content-type']), /^application\/x-www-form-urlencoded/);
    // Signed for the ARN's region with the key from the environment (the default credential chain).
    assert.match(
      String(headers.authorization),
      /Credential=AKIDVAULTLINETEST\/\d{8}\/eu-west-1\/sns\/aws4_request/,
    );
    assert.equal(form.get('Action'), 'Publish');
    assert.equal(form.get('Version'), '2010-03-31');
    assert.equal(form.get('TopicArn'), TOPIC);
    assert.equal(form.get('Message'), message.text);
    assert.equal(form.get('Subject'), snsSubject(message.subject));
    const attributes = new Map<string, string>();
    for (let i = 1; form.has(`MessageAttributes.entry.${i}.Name`); i++)
      attributes.set(
        form.get(`MessageAttributes.entry.${i}.Name`)!,
        form.get(`MessageAttributes.entry.${i}.Value.StringValue`)!,
      );
    assert.deepEqual(Object.fromEntries(attributes), { event: 'failure', job: 'nightly' });
  });

  it('uses sns.region over the ARN’s', async () => {
    requests.length = 0;
    await publishSns('ops', { topic_arn: TOPIC, endpoint, region: 'us-west-2' }, message);
    assert.match(String(requests[0]?.headers.authorization), /\/us-west-2\/sns\//);
  });

  it('an error answer becomes an AlertDeliveryError naming the alert, the topic and SNS’s reason', async () => {
    const missing = 'arn:aws:sns:eu-west-1:123456789012:no-such-topic';
    const error = await publishSns('ops', { topic_arn: missing, endpoint }, message).catch((e: unknown) => e);
    assert.ok(error instanceof AlertDeliveryError);
    assert.equal(
      error.message,
      `the SNS topic of alert ops (${missing}) did not take the message: NotFoundException: Topic does not exist`,
    );
    assert.ok(!error.message.includes('vaultline-test-secret-access-key'));
  });
});

describe('snsSubject and regionOfArn', () => {
  it('keeps subjects within SNS’s rules: printable ASCII, one line, at most 100 characters', () => {
    const subject = snsSubject(`[shop] nightly failed at step 2: build — ${'x'.repeat(200)}…`);
    assert.equal(subject.length, 100);
    assert.match(subject, /^\[shop\] nightly failed at step 2: build \? x+\.\.\.$/);
    assert.equal(snsSubject('short'), 'short');
  });

  it('reads the region from the ARN', () => {
    assert.equal(regionOfArn(TOPIC), 'eu-west-1');
    assert.equal(regionOfArn('arn:aws-cn:sns:cn-north-1:1:t'), 'cn-north-1');
  });
});
