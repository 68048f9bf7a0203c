import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { type S3rverHandle, startS3rver } from '../../test/helpers/s3rver.ts';
import { awkwardBody, landingStoreConformance, metaInput, testKey } from './conformance.ts';
import { claimFolder } from './s3-claims.ts';
import { S3Store, type S3StoreOptions } from './s3-store.ts';

let server: S3rverHandle;
let cacheRoot: string;
before(async () => {
  server = await startS3rver();
  cacheRoot = await mkdtemp(join(tmpdir(), 'vaultline-s3-cache-'));
});
after(async () => {
  await server?.close();
  await rm(cacheRoot, { recursive: true, force: true });
});

/** A request for a write claim or the If-None-Match probe (both under `_claims/`). */
function isClaim(url: string): boolean {
  return decodeURIComponent(url).includes('/_claims/');
}

let stores = 0;
function storeOptions(prefix: string, extra: Partial<S3StoreOptions> = {}): S3StoreOptions {
  return {
    bucket: server.bucket,
    prefix,
    region: server.region,
    endpoint: server.endpoint,
    forcePathStyle: true,
    credentials: server.credentials,
    cacheDir: join(cacheRoot, `cache-${++stores}`),
    sse: 'AES256',
    ...extra,
  };
}

function rawClient(): S3Client {
  return new S3Client({
    region: server.region,
    endpoint: server.endpoint,
    forcePathStyle: true,
    credentials: server.credentials,
  });
}

landingStoreConformance('S3Store (s3rver, prefix, SSE set)', async () => {
  const prefix = 'conformance/raw';
  const client = rawClient();
  const store = new S3Store(storeOptions(prefix));
  return {
    store,
    open: (options) => new S3Store(storeOptions(prefix, { pageSize: options?.pageSize })),
    // Separate stores, each with its own client and connections, as separate processes would be:
    // s3rver ignores If-None-Match, so what excludes them is the claim protocol (s3-claims.ts).
    racers: (count) => Array.from({ length: count }, () => new S3Store(storeOptions(prefix))),
    async writeStored(key, bytes) {
      await client.send(
        new PutObjectCommand({ Bucket: server.bucket, Key: `${prefix}/${key}`, Body: bytes }),
      );
    },
    // A claim left by a writer killed while it held it (s3-claims.ts).
    async writeDebris(key, bytes) {
      const claim = `${claimFolder(key)}20260101T000000000Z_dead`;
      await client.send(
        new PutObjectCommand({ Bucket: server.bucket, Key: `${prefix}/${claim}`, Body: bytes }),
      );
      return claim;
    },
    seed: async (entries) => {
      for (const [key, bytes] of entries) await server.writeObject(`${prefix}/${key}`, bytes);
    },
    supportsPageSize: true,
    byteOrderListing: false,
    cleanup: async () => client.destroy(),
  };
});

describe('S3Store specifics', () => {
  test('the >1,000-object listing of the conformance suite really paged (default page size 1000)', () => {
    const listings = server.requests.filter(
      (r) =>
        r.method === 'GET' &&
        r.url.includes('list-type=2') &&
        decodeURIComponent(r.url).includes('prefix=conformance/raw/bulk/'),
    );
    // 2,010 entries (bodies + sidecars): three pages for list() and three for listEntries().
    assert.equal(listings.length, 6, listings.map((r) => r.url).join('\n'));
    assert.equal(listings.filter((r) => r.url.includes('continuation-token=')).length, 4);
    assert.ok(listings.every((r) => r.url.includes('max-keys=1000')));
  });

  test('every PUT is conditional (If-None-Match: *) and carries the SSE header', async () => {
    const store = new S3Store(storeOptions('sse-aes'));
    const from = server.requests.length;
    const key = testKey('sse', 'items');
    await store.put(key, Buffer.from('[1]'), metaInput());
    await store.putState('sse/cursor', { at: 1 });
    const all = server.requests.slice(from).filter((r) => r.method === 'PUT');
    // The If-None-Match probe and, on s3rver, each write's claim are PUTs too, encrypted like the rest.
    for (const put of all) assert.equal(put.headers['x-amz-server-side-encryption'], 'AES256', put.url);
    const puts = all.filter((r) => !isClaim(r.url));
    assert.equal(puts.length, 3, 'body, sidecar, state');
    for (const put of puts) {
      assert.equal(put.headers['if-none-match'], '*', put.url);
      assert.equal(put.headers['x-amz-server-side-encryption'], 'AES256', put.url);
    }
    assert.ok(decodeURIComponent(puts[0]!.url).includes(`/sse-aes/${key}`), puts[0]!.url);
    assert.ok((await store.get(key)).body.equals(Buffer.from('[1]')));
  });

  test('aws:kms sends the key id; without sse no SSE header is sent', async () => {
    const kms = new S3Store(storeOptions('sse-kms', { sse: 'aws:kms', kmsKeyId: 'alias/vaultline-raw' }));
    const plain = new S3Store(storeOptions('sse-none', { sse: undefined }));
    const from = server.requests.length;
    const kmsKey = testKey('sse', 'kms');
    const plainKey = testKey('sse', 'plain');
    await kms.put(kmsKey, Buffer.from('[2]'), metaInput());
    await plain.put(plainKey, Buffer.from('[3]'), metaInput());
    const puts = server.requests.slice(from).filter((r) => r.method === 'PUT' && !isClaim(r.url));
    const kmsPuts = puts.filter((r) => r.url.includes('/sse-kms/'));
    const plainPuts = puts.filter((r) => r.url.includes('/sse-none/'));
    assert.equal(kmsPuts.length, 2);
    assert.equal(plainPuts.length, 2);
    for (const put of kmsPuts) {
      assert.equal(put.headers['x-amz-server-side-encryption'], 'aws:kms');
      assert.equal(put.headers['x-amz-server-side-encryption-aws-kms-key-id'], 'alias/vaultline-raw');
    }
    for (const put of plainPuts) assert.equal(put.headers['x-amz-server-side-encryption'], undefined);
    assert.ok((await kms.get(kmsKey)).body.equals(Buffer.from('[2]')));
    assert.ok((await plain.get(plainKey)).body.equals(Buffer.from('[3]')));
  });

  test('localPath downloads into the cache, serves the cache while it is intact, re-downloads a tampered one', async () => {
    const options = storeOptions('cache');
    const store = new S3Store(options);
    const key = testKey('cache', 'items');
    const body = awkwardBody(20_000);
    await store.put(key, body, metaInput());

    const path = await store.localPath(key);
    assert.ok(path.startsWith(options.cacheDir), path);
    assert.ok(gunzipSync(await readFile(path)).equals(body));

    const gets = () =>
      server.requests.filter(
        (r) => r.method === 'GET' && decodeURIComponent(r.url.split('?')[0]!).endsWith(key),
      ).length;
    const before = gets();
    assert.equal(await store.localPath(key), path);
    assert.equal(gets(), before, 'an intact cache entry is not downloaded again');

    const tampered = await readFile(path);
    tampered[tampered.length >> 1] = tampered[tampered.length >> 1]! ^ 0xff;
    await writeFile(path, tampered);
    assert.equal(await store.localPath(key), path);
    assert.equal(gets(), before + 1, 'the tampered cache entry was downloaded again');
    assert.ok(gunzipSync(await readFile(path)).equals(body), 'cache repaired');

    await writeFile(path, 'garbage');
    const [a, b] = await Promise.all([store.localPath(key), store.localPath(key)]);
    assert.equal(a, path);
    assert.equal(b, path);
    assert.ok(gunzipSync(await readFile(path)).equals(body), 'two concurrent refills leave a good file');
  });

  test('a store with another prefix sees nothing of this one', async () => {
    const a = new S3Store(storeOptions('tenant-a'));
    const b = new S3Store(storeOptions('tenant-ab'));
    const key = testKey('tenant', 'items');
    await a.put(key, Buffer.from('[]'), metaInput());
    assert.equal(await b.exists(key), false);
    const listed: string[] = [];
    for await (const object of b.list('')) listed.push(object.key);
    assert.deepEqual(listed, []);
  });
});
