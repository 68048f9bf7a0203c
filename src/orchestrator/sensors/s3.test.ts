import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { type S3rverHandle, startS3rver } from '../../../test/helpers/s3rver.ts';
import type { SensorConfig } from '../config.ts';
import { openSensorCursor } from './cursor.ts';
import { pollSensor } from './poll.ts';
import { listS3 } from './s3.ts';
import { POLL_TIME, runHistory, tempProject } from './test-project.ts';

// s3rver's continuation tokens need NODE_OPTIONS=--openssl-legacy-provider (scripts/test.js sets it).
describe('S3 sensor (s3rver)', () => {
  let server: S3rverHandle;
  let client: S3Client;
  let project: ReturnType<typeof tempProject>;
  before(async () => {
    server = await startS3rver();
    client = new S3Client({
      region: server.region,
      endpoint: server.endpoint,
      forcePathStyle: true,
      credentials: server.credentials,
    });
    project = tempProject();
  });
  after(async () => {
    client?.destroy();
    await server?.close();
    project?.remove();
  });

  const put = (key: string, body: string) =>
    client.send(new PutObjectCommand({ Bucket: server.bucket, Key: key, Body: body }));

  const sensor = (prefix: string, pattern?: string): SensorConfig => ({
    job: 'load',
    s3: {
      bucket: server.bucket,
      prefix,
      region: server.region,
      endpoint: server.endpoint,
      force_path_style: true,
    },
    ...(pattern ? { pattern } : {}),
    interval: 30_000,
    enabled: true,
  });

  test('new objects between polls start one run each; an overwritten object is new', async () => {
    const history = runHistory();
    const deps = (seconds: number) => ({
      projectDir: project.dir,
      stateDir: project.stateDir,
      now: new Date(POLL_TIME.getTime() + seconds * 1000),
      trigger: history.trigger,
      alreadyTriggered: history.alreadyTriggered,
      s3Client: client,
    });
    const watched = sensor('drop', '**/*.csv');
    await put('drop/a.csv', 'a');
    await put('drop/nested/b.csv', 'bb');
    await put('drop/skip.json', '{}');
    await put('drop/.hidden.csv', 'h');
    await put('dropped/c.csv', 'not below the prefix folder');
    const first = await pollSensor('drop', watched, deps(0));
    assert.equal(first.error, undefined);
    assert.deepEqual(
      first.newItems.map((item) => [item.path, item.size]),
      [
        ['drop/a.csv', 1],
        ['drop/nested/b.csv', 2],
      ],
    );
    assert.match(first.newItems[0]?.etag ?? '', /^[0-9a-f]{32}$/, 'the ETag without its quotes');

    assert.deepEqual((await pollSensor('drop', watched, deps(30))).newItems, []);

    await put('drop/c.csv', 'c');
    await put('drop/a.csv', 'A');
    const third = await pollSensor('drop', watched, deps(60));
    assert.deepEqual(
      third.newItems.map((item) => item.path),
      ['drop/a.csv', 'drop/c.csv'],
    );
    assert.equal(history.runs.length, 4);
    assert.equal(openSensorCursor(project.stateDir, 'drop').state().triggered, 4);
  });

  test('lists every page (ContinuationToken)', async () => {
    for (let i = 0; i < 7; i++) await put(`paged/obj-${i}.txt`, `${i}`);
    const items = await listS3(sensor('paged/').s3!, { client, pageSize: 2 });
    assert.deepEqual(
      items.map((item) => item.path),
      Array.from({ length: 7 }, (_, i) => `paged/obj-${i}.txt`),
    );
  });

  test('a missing bucket is an error recorded in the cursor, not a throw', async () => {
    const missing = { ...sensor('x'), s3: { ...sensor('x').s3!, bucket: 'no-such-bucket' } };
    const result = await pollSensor('missing', missing, {
      projectDir: project.dir,
      stateDir: project.stateDir,
      now: POLL_TIME,
      trigger: async () => assert.fail('nothing to trigger'),
      s3Client: client,
    });
    assert.match(result.error ?? '', /sensor missing: could not list: .*bucket/i);
    assert.equal(openSensorCursor(project.stateDir, 'missing').state().lastError, result.error);
  });
});
