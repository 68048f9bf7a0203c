import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { after, before, test } from 'node:test';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { metaInput, testKey } from '../src/landing/conformance.ts';
import { AlreadyExistsError } from '../src/landing/errors.ts';
import { repairStore } from '../src/landing/repair.ts';
import { CLAIM_TIMING, claimFolder } from '../src/landing/s3-claims.ts';
import { S3Store } from '../src/landing/s3-store.ts';
import { verifyStore } from '../src/landing/verify.ts';
import { type S3rverHandle, startS3rver } from './helpers/s3rver.ts';

/**
 * Write-once between processes on a server that ignores If-None-Match (s3rver): the claim protocol
 * (src/landing/s3-claims.ts) must let exactly one writer of a key win, and leave a body and sidecar
 * that belong together.
 */
const RACER = new URL('./fixtures/s3-racer.ts', import.meta.url).pathname;
const ROOT = new URL('..', import.meta.url).pathname;

let server: S3rverHandle;
before(async () => {
  server = await startS3rver();
});
after(() => server?.close());

const storeFor = (prefix: string) =>
  new S3Store({
    bucket: server.bucket,
    prefix,
    endpoint: server.endpoint,
    region: server.region,
    forcePathStyle: true,
    credentials: server.credentials,
    cacheDir: '/nonexistent',
  });

function startRacer(prefix: string, writer: string, keys: string[]) {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', RACER, server.endpoint, server.bucket, prefix, writer, '150', ...keys],
    { cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, lines, exited };
}

test('s3rver ignores If-None-Match, and the store detects it', async () => {
  assert.equal(await storeFor('probe').conditionalWrites(), false);
});

test('two processes land the same keys at the same moments: exactly one wins each, the object is whole and its sidecar matches its body', {
  timeout: 120_000,
}, async () => {
  const prefix = 'race';
  const keys = Array.from({ length: 12 }, () => testKey('race', 'items'));
  const racers = ['a', 'b'].map((id) => startRacer(prefix, id, keys));
  for (const racer of racers) assert.equal((await racer.lines.next()).value, 'ready');
  const start = String(Date.now() + 300);
  for (const racer of racers) racer.child.stdin!.write(`${start}\n`);
  const outcomes = await Promise.all(
    racers.map(async (racer) => {
      const got: string[] = [];
      for await (const line of { [Symbol.asyncIterator]: () => racer.lines }) got.push(line);
      assert.equal(await racer.exited, 0);
      return got;
    }),
  );
  const store = storeFor(prefix);
  for (const [i, key] of keys.entries()) {
    const won = outcomes.flatMap((lines, w) => (lines.includes(`won ${key}`) ? [['a', 'b'][w]] : []));
    const lost = outcomes.filter((lines) => lines.includes(`lost ${key}`)).length;
    assert.equal(won.length, 1, `key ${i}: winners ${JSON.stringify(won)}`);
    assert.equal(lost, 1, `key ${i}: the other writer got AlreadyExistsError`);
    const { body, meta } = await store.get(key); // verifies body against sidecar
    assert.deepEqual(JSON.parse(body.toString()), { writer: won[0], i });
    assert.equal(meta.run_id, `writer-${won[0]}`, 'the sidecar is the winner’s too');
  }
  const report = await verifyStore(store);
  assert.equal(report.checked, keys.length);
  assert.deepEqual(report.problems, []);
  assert.equal(report.debris.count, 0, 'every claim was released');
});

test('a claim left by a killed writer blocks only its key, names repair, and repair frees it', async () => {
  const saved = { ...CLAIM_TIMING };
  Object.assign(CLAIM_TIMING, { attempts: 2, looks: 2, lookMs: 5, backoffMs: 5 });
  const client = new S3Client({
    region: server.region,
    endpoint: server.endpoint,
    forcePathStyle: true,
    credentials: server.credentials,
  });
  try {
    const store = storeFor('stale');
    const key = testKey('stale', 'items');
    const claim = `${claimFolder(key)}20260101T000000000Z_dead`;
    await client.send(
      new PutObjectCommand({ Bucket: server.bucket, Key: `stale/${claim}`, Body: new Uint8Array(0) }),
    );
    await assert.rejects(store.put(key, Buffer.from('[1]'), metaInput()), (error: unknown) => {
      assert.ok(error instanceof AlreadyExistsError, String(error));
      assert.ok(error.message.includes(claim), error.message);
      assert.match(error.message, /vaultline landing repair/);
      return true;
    });
    const other = testKey('stale', 'items');
    await store.put(other, Buffer.from('[2]'), metaInput()); // other keys are not blocked
    const report = await repairStore(store, { olderThanMs: 0, now: new Date(Date.now() + 1000) });
    assert.deepEqual(
      report.moved.map((e) => [e.key, e.kind]),
      [[claim, 'claim']],
    );
    await store.put(key, Buffer.from('[1]'), metaInput());
    assert.ok((await store.get(key)).body.equals(Buffer.from('[1]')));
  } finally {
    Object.assign(CLAIM_TIMING, saved);
    client.destroy();
  }
});
