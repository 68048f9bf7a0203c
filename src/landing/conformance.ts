import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { gunzipSync, gzipSync } from 'node:zlib';
import { hashBytes } from './artifacts.ts';
import { AlreadyExistsError, ChecksumMismatchError, CorruptObjectError, NotFoundError } from './errors.ts';
import { landingKey, metaKeyFor } from './keys.ts';
import type { LandingMetadataInput } from './metadata.ts';
import { repairStore } from './repair.ts';
import type { LandingStore } from './store.ts';
import { verifyStore } from './verify.ts';

/**
 * The contract every LandingStore backend must pass (DESIGN.md "Landing store"). A backend's test file
 * calls `landingStoreConformance` with a harness factory; the suite registers its tests with node:test.
 */
export interface ConformanceHarness {
  /** A store over fresh, empty storage. */
  store: LandingStore;
  /** Another store over the same storage, as a second process would open it. */
  open(options?: { pageSize?: number }): LandingStore;
  /**
   * The stores that race for one key in the concurrency test. Where the backend's exclusion works
   * across processes, return separate instances; where the test server cannot provide it (s3rver
   * ignores If-None-Match), the same instance, and test the conditional request separately.
   */
  racers(count: number): LandingStore[];
  /** Writes raw bytes at `key`, bypassing write-once: to corrupt an object or leave crash debris. */
  writeStored(key: string, bytes: Uint8Array): Promise<void>;
  /**
   * Leaves the debris an interrupted write of `key` would leave — LocalStore: a `.tmp-*` file in its
   * folder; S3Store: a write claim — and returns its key as listDebris gives it.
   */
  writeDebris(key: string, bytes: Uint8Array): Promise<string>;
  /** Writes many raw entries at once, as fast as the backend allows (seeds the >1,000-object listing). */
  seed(entries: [key: string, bytes: Uint8Array][]): Promise<void>;
  /** True when `open({ pageSize })` pages with that size. */
  supportsPageSize: boolean;
  /**
   * True when list order is byte order, as on S3 and LocalStore. s3rver lists in folder-walk order, so
   * its harness says false and the order test compares sets.
   */
  byteOrderListing: boolean;
  cleanup(): Promise<void>;
}

let counter = 0;
/** A distinct valid landing key per call, under `source`/`resource`. */
export function testKey(source = 'conf', resource = 'items'): string {
  counter++;
  return landingKey({
    source,
    resource,
    loadTs: new Date(Date.UTC(2026, 10, 22, 10, 15, 0, 0) + counter),
    request: { method: 'GET', url: `https://api.example.com/${resource}`, params: { n: String(counter) } },
  });
}

export function metaInput(overrides: Partial<LandingMetadataInput> = {}): LandingMetadataInput {
  return {
    source: 'conf',
    resource: 'items',
    request: { method: 'GET', url: 'https://api.example.com/items' },
    response: { status: 200, headers: { 'content-type': 'application/json' } },
    loadTs: new Date('2026-11-22T10:15:00.000Z'),
    recordCount: null,
    connector: { name: 'conformance', version: '0.0.0' },
    runId: 'run-conformance',
    ...overrides,
  };
}

/** Every byte value, a BOM, invalid UTF-8 and CRLF: a body that any re-encoding would alter. */
export function awkwardBody(size = 4096): Buffer {
  const body = Buffer.alloc(size);
  for (let i = 0; i < size; i++) body[i] = (i * 131 + 7) % 256;
  Buffer.from('\uFEFF\r\n\u00e9', 'utf8').copy(body, 0);
  return body;
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

async function inBatches<T>(items: T[], size: number, work: (item: T) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(work));
}

function flipByte(bytes: Buffer, at = Math.floor(bytes.length / 2)): Buffer {
  const copy = Buffer.from(bytes);
  copy[at] = copy[at]! ^ 0xff;
  return copy;
}

function namesKey(key: string) {
  return (error: unknown) => {
    assert.ok(
      error instanceof ChecksumMismatchError || error instanceof CorruptObjectError,
      `expected ChecksumMismatchError or CorruptObjectError, got ${String(error)}`,
    );
    assert.equal(error.key, key);
    assert.ok(error.message.includes(key), error.message);
    return true;
  };
}

export function landingStoreConformance(
  name: string,
  createHarness: () => Promise<ConformanceHarness>,
): void {
  describe(`LandingStore conformance: ${name}`, () => {
    let h: ConformanceHarness;
    before(async () => {
      h = await createHarness();
    });
    after(async () => {
      await h?.cleanup();
    });

    test('put then get returns the exact bytes, and the sidecar describes them', async () => {
      const key = testKey();
      const body = awkwardBody();
      const meta = await h.store.put(key, body, metaInput());
      assert.equal(meta.key, key);
      assert.equal(meta.bytes, body.byteLength);
      assert.equal(meta.valid_json, false);
      const got = await h.store.get(key);
      assert.ok(Buffer.isBuffer(got.body));
      assert.ok(got.body.equals(body), 'body differs from what was put');
      assert.deepEqual(got.meta, meta);
      assert.deepEqual(await h.store.getMeta(key), meta);
      assert.equal(await h.store.exists(key), true);
      // Stored as gzip of exactly those bytes.
      assert.ok(gunzipSync(await h.store.readEntry(key)).equals(body));
    });

    test('an empty body and a JSON body round-trip too', async () => {
      const emptyKey = testKey();
      await h.store.put(emptyKey, Buffer.alloc(0), metaInput());
      assert.equal((await h.store.get(emptyKey)).body.length, 0);
      const jsonKey = testKey();
      const json = Buffer.from('[{"id":1,"name":"Zürich"}]\n');
      const meta = await h.store.put(jsonKey, json, metaInput({ recordCount: 1 }));
      assert.equal(meta.valid_json, true);
      assert.equal(meta.record_count, 1);
      assert.ok(
        (await h.open().get(jsonKey)).body.equals(json),
        'a second store instance reads the same bytes',
      );
    });

    test('write-once: a second put of the same key fails and leaves the first object untouched', async () => {
      const key = testKey();
      const first = Buffer.from('{"version":1}');
      const meta = await h.store.put(key, first, metaInput());
      await assert.rejects(
        h.store.put(key, Buffer.from('{"version":2}'), metaInput({ runId: 'other-run' })),
        (error: unknown) =>
          error instanceof AlreadyExistsError && error.key === key && error.message.includes(key),
      );
      await assert.rejects(h.open().put(key, Buffer.from('{"version":3}'), metaInput()), AlreadyExistsError);
      const got = await h.store.get(key);
      assert.ok(got.body.equals(first));
      assert.deepEqual(got.meta, meta);
    });

    test('concurrent writers of one key: exactly one succeeds, the others get AlreadyExistsError', async () => {
      for (const count of [2, 8]) {
        const key = testKey();
        const racers = h.racers(count);
        const bodies = racers.map((_, i) => Buffer.from(`{"writer":${i}}`));
        const results = await Promise.allSettled(
          racers.map((store, i) => store.put(key, bodies[i]!, metaInput())),
        );
        const won = results.flatMap((r, i) => (r.status === 'fulfilled' ? [i] : []));
        assert.equal(won.length, 1, `${count} writers: ${won.length} succeeded`);
        for (const r of results) {
          if (r.status === 'rejected') assert.ok(r.reason instanceof AlreadyExistsError, String(r.reason));
        }
        const got = await h.store.get(key);
        assert.ok(got.body.equals(bodies[won[0]!]!), 'the stored body is the winner’s');
      }
    });

    test('a sidecar left without body blocks the key instead of being paired with a new body', async () => {
      const key = testKey();
      await h.writeStored(metaKeyFor(key), Buffer.from('{"sha256":"0"}'));
      await assert.rejects(h.store.put(key, Buffer.from('[]'), metaInput()), AlreadyExistsError);
    });

    test('get verifies the sha256: one flipped byte in the stored body fails, naming the key', async () => {
      const key = testKey();
      await h.store.put(
        key,
        Buffer.from(JSON.stringify({ records: Array.from({ length: 50 }, (_, i) => i) })),
        metaInput(),
      );
      await h.writeStored(key, flipByte(await h.store.readEntry(key)));
      await assert.rejects(h.store.get(key), namesKey(key));
      await assert.rejects(h.open().get(key), namesKey(key));
    });

    test('get verifies the sha256: a valid gzip of other bytes fails with ChecksumMismatchError', async () => {
      const key = testKey();
      await h.store.put(key, Buffer.from('[1,2,3]'), metaInput());
      await h.writeStored(key, gzipSync(Buffer.from('[1,2,4]')));
      await assert.rejects(h.store.get(key), (error: unknown) => {
        assert.ok(error instanceof ChecksumMismatchError, String(error));
        assert.equal(error.key, key);
        assert.match(error.message, /hashes to [0-9a-f]{64}/);
        return true;
      });
    });

    test('missing keys give NotFoundError naming the key', async () => {
      const key = testKey('conf', 'missing');
      await assert.rejects(
        h.store.get(key),
        (e: unknown) => e instanceof NotFoundError && e.message.includes(key),
      );
      await assert.rejects(h.store.getMeta(key), NotFoundError);
      await assert.rejects(h.store.localPath(key), NotFoundError);
      assert.equal(await h.store.exists(key), false);
    });

    test('a sidecar whose body is missing is a corrupt object, not an empty one', async () => {
      const key = testKey('conf', 'headless');
      await h.writeStored(metaKeyFor(key), Buffer.from(JSON.stringify({ sha256: 'x' })));
      await assert.rejects(
        h.store.get(key),
        (e: unknown) => e instanceof CorruptObjectError && e.key === key,
      );
      assert.equal(await h.store.exists(key), false);
    });

    test('list hides a body without sidecar (an uncommitted write); verify reports it', async () => {
      const committed = testKey('hidden', 'items');
      const orphan = testKey('hidden', 'items');
      await h.store.put(committed, Buffer.from('[]'), metaInput());
      await h.writeStored(orphan, gzipSync(Buffer.from('[1]')));
      assert.deepEqual(
        (await collect(h.store.list('hidden/'))).map((o) => o.key),
        [committed],
      );
      assert.equal(await h.store.exists(orphan), false);
      await assert.rejects(h.store.get(orphan), NotFoundError);
      const entries = await collect(h.store.listEntries('hidden/'));
      assert.deepEqual(
        entries.map((e) => [e.key, e.kind]).sort(),
        [
          [committed, 'body'],
          [metaKeyFor(committed), 'meta'],
          [orphan, 'body'],
        ].sort(),
      );
      const report = await verifyStore(h.store, 'hidden/');
      assert.equal(report.checked, 1);
      assert.deepEqual(
        report.problems.map((p) => [p.kind, p.key]),
        [['body_without_sidecar', orphan]],
      );
    });

    test('list gives key (byte) order, sizes and times, and filters by prefix', async () => {
      // "a-b" sorts before "a/": a folder-walking store must not list a/… first.
      const keys = [
        testKey('order', 'a'),
        testKey('order', 'a-b'),
        testKey('order', 'a_b'),
        testKey('order', 'b'),
      ];
      for (const key of [...keys].reverse()) await h.store.put(key, Buffer.from(`"${key}"`), metaInput());
      const listed = await collect(h.store.list('order/'));
      const inOrder = (got: string[]) => (h.byteOrderListing ? got : [...got].sort());
      assert.deepEqual(inOrder(listed.map((o) => o.key)), [...keys].sort());
      for (const object of listed) {
        assert.equal(object.size, (await h.store.readEntry(object.key)).byteLength);
        assert.ok(object.lastModified instanceof Date && !Number.isNaN(object.lastModified.getTime()));
      }
      assert.deepEqual(
        inOrder((await collect(h.store.list('order/a'))).map((o) => o.key)),
        [...keys.slice(0, 3)].sort(),
      );
      assert.deepEqual(await collect(h.store.list('order/c')), []);
      assert.deepEqual(await collect(h.store.list('no-such-source/')), []);
    });

    test('list pages through many objects with a small page size, across body/sidecar page breaks', async (t) => {
      if (!h.supportsPageSize) return t.skip('this backend does not page');
      const keys = Array.from({ length: 25 }, () => testKey('paged', 'items'));
      await inBatches(keys, 10, (key) => h.store.put(key, Buffer.from('[]'), metaInput()));
      await h.writeStored(testKey('paged', 'items'), gzipSync(Buffer.from('orphan')));
      for (const pageSize of [1, 2, 7]) {
        const listed = await collect(h.open({ pageSize }).list('paged/'));
        assert.deepEqual(
          listed.map((o) => o.key),
          [...keys].sort(),
          `page size ${pageSize}`,
        );
      }
    });

    test('list pages through more than 1,000 objects with the default page size', async () => {
      const keys = Array.from({ length: 1005 }, () => testKey('bulk', 'items'));
      const gz = gzipSync(Buffer.from('[]'));
      await h.seed(
        keys.flatMap((key): [string, Uint8Array][] => [
          [key, gz],
          [metaKeyFor(key), Buffer.from('{}')],
        ]),
      );
      const listed = await collect(h.open().list('bulk/'));
      assert.equal(listed.length, 1005);
      assert.deepEqual(
        listed.map((o) => o.key),
        [...keys].sort(),
      );
      assert.equal((await collect(h.store.listEntries('bulk/'))).length, 2010);
    });

    test('state: put/get returns the newest, names do not mix, state is never listed', async () => {
      assert.equal(await h.store.getState('conf/cursor'), undefined);
      for (let i = 1; i <= 5; i++) await h.store.putState('conf/cursor', { since: `2026-01-0${i}`, i });
      await h.store.putState('conf/cursor/child', { child: true });
      await h.store.putState('conf/cursor-2', { other: true });
      assert.deepEqual(await h.store.getState('conf/cursor'), { since: '2026-01-05', i: 5 });
      assert.deepEqual(await h.open().getState('conf/cursor'), { since: '2026-01-05', i: 5 });
      assert.deepEqual(await h.store.getState('conf/cursor/child'), { child: true });
      assert.deepEqual(await h.store.getState('conf/cursor-2'), { other: true });
      assert.deepEqual(
        await collect(h.store.list('')).then((all) => all.filter((o) => o.key.startsWith('_state'))),
        [],
      );
      assert.deepEqual(await collect(h.store.list('_state/')), []);
      // Every save is kept: the cursor's history is auditable.
      const history = (await collect(h.store.listEntries('_state/conf/cursor/'))).filter(
        (e) => !e.key.includes('/child/'),
      );
      assert.equal(history.length, 5);
      assert.ok(history.every((e) => e.kind === 'state'));
      await assert.rejects(h.store.putState('../escape', {}), /invalid state name/);
    });

    test('localPath gives a local gzip file of the verified body', async () => {
      const key = testKey();
      const body = awkwardBody(10_000);
      await h.store.put(key, body, metaInput());
      const path = await h.store.localPath(key);
      assert.ok(gunzipSync(await readFile(path)).equals(body));
      assert.equal(await h.store.localPath(key), path, 'stable path');
    });

    test('bodyPath gives a local gzip file of the body, and refuses a missing one', async () => {
      const key = testKey();
      const body = awkwardBody(5_000);
      await h.store.put(key, body, metaInput());
      assert.ok(gunzipSync(await readFile(await h.store.bodyPath(key))).equals(body));
      await assert.rejects(h.store.bodyPath(testKey('conf', 'nothing-here')));
    });

    test('localPath refuses a corrupt body, naming the key', async () => {
      const key = testKey();
      await h.store.put(key, Buffer.from('{"a":"corrupt me please"}'), metaInput());
      await h.writeStored(key, flipByte(await h.store.readEntry(key)));
      await assert.rejects(h.store.localPath(key), namesKey(key));
    });

    test('verify re-hashes everything and reports corrupt bodies and sidecars without body', async () => {
      const good = testKey('verify', 'items');
      const corrupt = testKey('verify', 'items');
      const headless = testKey('verify', 'items');
      const badSidecar = testKey('verify', 'items');
      await h.store.put(good, Buffer.from('[1,2]'), metaInput());
      await h.store.put(corrupt, Buffer.from('[3,4,5,6,7,8,9]'), metaInput());
      await h.writeStored(corrupt, flipByte(await h.store.readEntry(corrupt)));
      await h.writeStored(metaKeyFor(headless), Buffer.from('{}'));
      await h.writeStored(badSidecar, gzipSync(Buffer.from('[]')));
      await h.writeStored(metaKeyFor(badSidecar), Buffer.from('{not json'));
      const report = await verifyStore(h.store, 'verify/');
      const expected: [string, string][] = [
        [corrupt, 'corrupt_body'],
        [headless, 'sidecar_without_body'],
        [badSidecar, 'bad_sidecar'],
      ];
      assert.deepEqual(
        report.problems.map((p) => [p.key, p.kind]),
        expected.sort(([a], [b]) => (a < b ? -1 : 1)),
      );
      for (const problem of report.problems)
        assert.ok(problem.message.includes(problem.key), problem.message);
      assert.equal(report.checked, 2);
      assert.equal(report.bytes, 5);
    });

    test('repair moves orphans and debris to _repair/<ts>/, never a committed object; verify is clean after', async () => {
      const good = testKey('repair', 'items');
      const corrupt = testKey('repair', 'items');
      const orphanBody = testKey('repair', 'items');
      const orphanSidecar = testKey('repair', 'items');
      await h.store.put(good, Buffer.from('[1]'), metaInput());
      await h.store.put(corrupt, Buffer.from('[1,2,3,4]'), metaInput());
      await h.writeStored(corrupt, flipByte(await h.store.readEntry(corrupt)));
      await h.writeStored(orphanBody, gzipSync(Buffer.from('[2]')));
      await h.writeStored(metaKeyFor(orphanSidecar), Buffer.from('{}'));
      const debris = await h.writeDebris(testKey('repair', 'items'), Buffer.alloc(1000, 7));
      const before = await verifyStore(h.store, 'repair/');
      assert.equal(before.debris.count, 1);

      // Within the grace period nothing moves; a dry run moves nothing but lists everything.
      const young = await repairStore(h.store, { prefix: 'repair/', olderThanMs: 60_000 });
      assert.deepEqual(young.moved, []);
      assert.equal(young.young.length, 3);
      const now = new Date(Date.now() + 1000);
      const dry = await repairStore(h.store, { prefix: 'repair/', olderThanMs: 0, dryRun: true, now });
      const kinds = dry.moved.map((e) => [e.key, e.kind]).sort();
      const debrisKind = debris.startsWith('_claims/') ? 'claim' : 'temp';
      assert.deepEqual(
        kinds,
        [
          [orphanBody, 'body_without_sidecar'],
          [metaKeyFor(orphanSidecar), 'sidecar_without_body'],
          [debris, debrisKind],
        ].sort(),
      );
      assert.deepEqual(
        (await verifyStore(h.store, 'repair/')).problems,
        before.problems,
        'dry run moved nothing',
      );

      const report = await repairStore(h.store, { prefix: 'repair/', olderThanMs: 0, now });
      assert.deepEqual(report.moved.map((e) => [e.key, e.kind]).sort(), kinds);
      assert.equal(
        report.bytes,
        report.moved.reduce((n, e) => n + e.bytes, 0),
      );
      assert.ok(report.bytes >= 1000);
      assert.match(report.folder, /^_repair\/\d{8}T\d{9}Z\/$/);
      const after = await verifyStore(h.store, 'repair/');
      assert.deepEqual(
        after.problems.map((p) => [p.key, p.kind]),
        [[corrupt, 'corrupt_body']],
        'only the corrupt object is left: repair never touches a committed object',
      );
      assert.equal(after.debris.count, 0);
      assert.ok((await h.store.get(good)).body.equals(Buffer.from('[1]')));
      // The moved entries are kept, byte for byte, outside the key space: no listing shows them.
      assert.ok(
        (await h.store.readEntry(`${report.folder}${orphanBody}`)).equals(gzipSync(Buffer.from('[2]'))),
      );
      assert.equal((await collect(h.store.list(''))).filter((o) => o.key.startsWith('_repair/')).length, 0);
      assert.equal(
        (await collect(h.store.listEntries(''))).filter((o) => o.key.startsWith('_repair/')).length,
        0,
      );
      const kept = [
        ...(await collect(h.store.listEntries(report.folder))),
        ...(await collect(h.store.listDebris(report.folder))),
      ];
      assert.equal(kept.length, 3, JSON.stringify(kept));
      assert.equal(
        (await verifyStore(h.store)).problems.filter((p) => p.key.startsWith('_repair/')).length,
        0,
      );
      // The orphan body's key is free again.
      await h.store.put(orphanBody, Buffer.from('[3]'), metaInput());
      assert.ok((await h.store.get(orphanBody)).body.equals(Buffer.from('[3]')));
    });

    test('artifacts: write-once raw bytes, read back exactly, never listed as landed objects', async () => {
      const key = `_compacted/conf/items/month=2026-01/${testKey().split('/').pop()!.slice(0, 19)}.parquet`;
      const bytes = awkwardBody(5000);
      const stored = await h.store.putArtifact(key, bytes);
      assert.deepEqual(stored, { key, ...hashBytes(bytes) });
      assert.ok((await h.store.getArtifact(key)).equals(bytes), 'getArtifact returns the bytes as given');
      assert.ok((await h.store.readEntry(key)).equals(bytes), 'stored raw: no gzip');
      await assert.rejects(
        h.open().putArtifact(key, Buffer.from('other')),
        (e: unknown) => e instanceof AlreadyExistsError && e.key === key,
      );
      assert.ok((await h.store.getArtifact(key)).equals(bytes), 'the first artifact is untouched');
      await assert.rejects(h.store.putArtifact(`${key}.meta.json`, bytes), /invalid artifact key/);
      const listed = await collect(h.store.list(''));
      assert.ok(!listed.some((o) => o.key.startsWith('_compacted/')), 'list never shows artifacts');
      const entries = await collect(h.store.listEntries('_compacted/conf/'));
      assert.deepEqual(
        entries.map((e) => [e.key, e.kind]),
        [[key, 'other']],
      );
      await assert.rejects(h.store.getArtifact('_compacted/conf/none.parquet'), NotFoundError);
    });

    test('artifacts: putArtifact from a file; artifactPath gives a verified local copy', async () => {
      const dir = await mkdtemp(join(tmpdir(), 'vaultline-artifact-'));
      try {
        const file = join(dir, 'month.parquet');
        const bytes = awkwardBody(20_000);
        await writeFile(file, bytes);
        const key = `_compacted/conf/files/month=2026-02/${Date.now()}.parquet`;
        const stored = await h.store.putArtifact(key, { file });
        assert.equal(stored.sha256, hashBytes(bytes).sha256);
        assert.equal(stored.bytes, bytes.byteLength);
        assert.ok((await readFile(file)).equals(bytes), 'the source file is left as it was');
        const path = await h.store.artifactPath(key, stored.sha256);
        assert.ok((await readFile(path)).equals(bytes));
        assert.equal(await h.store.artifactPath(key, stored.sha256), path, 'stable path');
        assert.ok((await readFile(await h.open().artifactPath(key, stored.sha256))).equals(bytes));
        await assert.rejects(h.store.artifactPath(key, '0'.repeat(64)), namesKeyOf(key));
        await assert.rejects(h.store.artifactPath(`${key}.missing`, stored.sha256), NotFoundError);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });

    test('artifacts: artifactPath refuses an artifact changed after it was written, naming the key', async () => {
      const key = `_compacted/conf/tampered/month=2026-03/${Date.now()}.parquet`;
      const bytes = Buffer.from('PAR1 pretend parquet bytes PAR1');
      const stored = await h.store.putArtifact(key, bytes);
      await h.writeStored(key, flipByte(bytes));
      await assert.rejects(h.open().artifactPath(key, stored.sha256), namesKeyOf(key));
    });
  });
}

function namesKeyOf(key: string) {
  return (error: unknown) => {
    assert.ok(error instanceof CorruptObjectError, `expected CorruptObjectError, got ${String(error)}`);
    assert.equal(error.key, key);
    assert.ok(error.message.includes(key), error.message);
    return true;
  };
}
