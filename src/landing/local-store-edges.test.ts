import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rename, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { metaInput, testKey } from './conformance.ts';
import { InvalidKeyError, SymlinkInStoreError } from './errors.ts';
import { landingKey, metaKeyFor } from './keys.ts';
import { LocalStore } from './local-store.ts';
import { verifyStore } from './verify.ts';

/** Symlinks inside a LocalStore, and keys it cannot hold: every operation refuses them, clearly. */

async function drain<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

const pathIn = (root: string, key: string) => join(root, ...key.split('/'));

function isLink(link: string) {
  return (error: unknown) => {
    assert.ok(error instanceof SymlinkInStoreError, `expected SymlinkInStoreError, got ${String(error)}`);
    assert.equal(error.link, link);
    assert.equal(error.exitCode, 2);
    assert.ok(error.message.includes(link), error.message);
    return true;
  };
}

describe('LocalStore refuses symlinks inside the store', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vaultline-links-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  test('a symlinked folder: put, get, getMeta, exists, list, listEntries, listPartitions, verify, localPath, bodyPath all refuse it', async () => {
    const root = join(dir, 'folder-link');
    const outside = join(dir, 'folder-link-outside');
    const store = new LocalStore(root);
    const key = testKey('linked', 'items');
    await store.put(key, Buffer.from('[1]'), metaInput());
    // Move the source's folder out of the store and link it back in.
    await mkdir(outside, { recursive: true });
    await rename(join(root, 'linked'), join(outside, 'linked'));
    await symlink(join(outside, 'linked'), join(root, 'linked'));
    const link = join(root, 'linked');

    const written = testKey('linked', 'items');
    await assert.rejects(store.put(written, Buffer.from('[2]'), metaInput()), isLink(link));
    assert.equal(
      existsSync(pathIn(outside, written.slice('linked/'.length))),
      false,
      'nothing written outside',
    );
    await assert.rejects(store.get(key), isLink(link));
    await assert.rejects(store.getMeta(key), isLink(link));
    await assert.rejects(store.exists(key), isLink(link));
    await assert.rejects(store.readEntry(key), isLink(link));
    await assert.rejects(store.localPath(key), isLink(link));
    await assert.rejects(store.bodyPath(key), isLink(link));
    await assert.rejects(drain(store.list('linked/')), isLink(link));
    await assert.rejects(drain(store.list('')), isLink(link));
    await assert.rejects(drain(store.listEntries('')), isLink(link));
    await assert.rejects(drain(store.listPartitions('linked/items/')), isLink(link));
    await assert.rejects(verifyStore(store), isLink(link));
  });

  test('a symlinked load_date folder is refused by listPartitions and list', async () => {
    const root = join(dir, 'partition-link');
    const store = new LocalStore(root);
    const key = testKey('parts', 'items');
    await store.put(key, Buffer.from('[1]'), metaInput());
    const partition = dirname(pathIn(root, key));
    const outside = join(dir, 'partition-outside');
    await rename(partition, outside);
    await symlink(outside, partition);
    await assert.rejects(drain(store.listPartitions('parts/items/')), isLink(partition));
    await assert.rejects(drain(store.list('parts/items/')), isLink(partition));
  });

  test('a symlinked body or sidecar file is refused by every read and by the listings', async () => {
    const root = join(dir, 'file-link');
    const store = new LocalStore(root);
    const body = testKey('files', 'items');
    const sidecar = testKey('files', 'items');
    await store.put(body, Buffer.from('[1]'), metaInput());
    await store.put(sidecar, Buffer.from('[2]'), metaInput());
    for (const [key, file] of [
      [body, body],
      [sidecar, metaKeyFor(sidecar)],
    ] as const) {
      const path = pathIn(root, file);
      const target = join(dir, `target-${file.split('/').pop()}`);
      await rename(path, target);
      await symlink(target, path);
      await assert.rejects(store.get(key), isLink(path));
      await assert.rejects(store.readEntry(file), isLink(path));
    }
    await assert.rejects(store.bodyPath(body), isLink(pathIn(root, body)));
    await assert.rejects(store.localPath(body), isLink(pathIn(root, body)));
    await assert.rejects(store.getMeta(sidecar), isLink(pathIn(root, metaKeyFor(sidecar))));
    await assert.rejects(drain(store.list('files/')), SymlinkInStoreError);
    await assert.rejects(verifyStore(store, 'files/'), SymlinkInStoreError);
    // A dangling link planted at a key's place is not overwritten, and is named.
    const planted = testKey('files', 'items');
    await mkdir(dirname(pathIn(root, planted)), { recursive: true });
    await symlink(join(dir, 'nowhere'), pathIn(root, planted));
    await assert.rejects(store.put(planted, Buffer.from('[3]'), metaInput()), isLink(pathIn(root, planted)));
    assert.equal(existsSync(join(dir, 'nowhere')), false, 'the link target was not created');
  });

  test('the store root itself may be a symlink (landing.path pointing at another disk)', async () => {
    const real = join(dir, 'real-root');
    const linked = join(dir, 'linked-root');
    await mkdir(real);
    await symlink(real, linked);
    const store = new LocalStore(linked);
    const key = testKey('rooted', 'items');
    await store.put(key, Buffer.from('[1]'), metaInput());
    assert.ok((await store.get(key)).body.equals(Buffer.from('[1]')));
    assert.deepEqual(
      (await drain(store.list(''))).map((o) => o.key),
      [key],
    );
    assert.equal((await verifyStore(store)).problems.length, 0);
    assert.ok(existsSync(pathIn(real, key)));
  });
});

describe('LocalStore keys it cannot hold', () => {
  const store = new LocalStore(join(tmpdir(), 'vaultline-never-created-keys'));

  test('an invalid key is InvalidKeyError (exit 2) naming the key itself, never its sidecar', async () => {
    for (const key of [
      '../x.json.gz',
      'a/../../x.json.gz',
      '/etc/passwd',
      'a//b.json.gz',
      'a/.tmp-1.json.gz',
    ]) {
      for (const call of [() => store.get(key), () => store.getMeta(key), () => store.exists(key)]) {
        await assert.rejects(call(), (error: unknown) => {
          assert.ok(error instanceof InvalidKeyError, String(error));
          assert.equal(error.exitCode, 2);
          assert.equal(error.key, key);
          assert.ok(error.message.startsWith(`invalid landing key "${key}": `), error.message);
          assert.ok(!error.message.includes('.meta.json"'), error.message);
          return true;
        });
      }
    }
  });

  test('a path segment over 255 bytes (sidecar suffix included) is a clear error, not ENAMETOOLONG', async () => {
    const long = `conf/items/load_date=2026-11-22/${'a'.repeat(250)}.json.gz`;
    await assert.rejects(store.put(long, Buffer.from('[]'), metaInput()), (error: unknown) => {
      assert.ok(error instanceof InvalidKeyError, String(error));
      assert.match(error.message, /takes 268 bytes with its sidecar suffix; file systems allow at most 255/);
      return true;
    });
    await assert.rejects(store.get(long), InvalidKeyError);
    // Multi-byte characters count in bytes.
    await assert.rejects(store.get(`${'é'.repeat(130)}/x.json.gz`), /takes 260 bytes/);
  });

  test('a whole path over the OS limit is a clear error, not ENAMETOOLONG', async () => {
    const deepRoot = join(tmpdir(), ...Array.from({ length: 20 }, () => 'd'.repeat(200)));
    const deep = new LocalStore(deepRoot);
    const key = testKey();
    await assert.rejects(deep.put(key, Buffer.from('[]'), metaInput()), (error: unknown) => {
      assert.ok(error instanceof InvalidKeyError, String(error));
      assert.match(
        error.message,
        /over this system's limit of \d+; use shorter names, or a landing.path nearer/,
      );
      return true;
    });
    await assert.rejects(deep.get(key), InvalidKeyError);
  });

  test('a source or resource name over 100 characters is refused when the key is built', () => {
    assert.throws(
      () =>
        landingKey({
          source: 's'.repeat(101),
          resource: 'r',
          loadTs: new Date(),
          request: { method: 'GET', url: 'https://x' },
        }),
      /101 characters, at most 100/,
    );
  });

  test('nothing can be put into _repair/ or _claims/', async () => {
    const root = await mkdtemp(join(tmpdir(), 'vaultline-reserved-'));
    try {
      const local = new LocalStore(root);
      await assert.rejects(
        local.put('_repair/x/a.json.gz', Buffer.from('[]'), metaInput()),
        /_repair\/ is reserved/,
      );
      await assert.rejects(
        local.putArtifact('_claims/x/a.parquet', Buffer.from('x')),
        /invalid artifact key/,
      );
      assert.deepEqual(await readdir(root), []);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});

test('LocalStore: a folder name with ".." inside it is a valid key part, not an escape', async () => {
  const root = await mkdtemp(join(tmpdir(), 'vaultline-dots-'));
  try {
    const store = new LocalStore(root);
    const key = 'conf/a..b/x.json.gz';
    await store.put(key, Buffer.from('[1]'), metaInput());
    assert.ok((await store.get(key)).body.equals(Buffer.from('[1]')));
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});
