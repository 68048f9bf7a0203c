import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { landingStoreConformance, metaInput, testKey } from './conformance.ts';
import { LocalStore } from './local-store.ts';

let counter = 0;
landingStoreConformance('LocalStore', async () => {
  const root = await mkdtemp(join(tmpdir(), 'vaultline-local-store-'));
  const writeStored = async (key: string, bytes: Uint8Array) => {
    const path = join(root, ...key.split('/'));
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, bytes);
  };
  return {
    store: new LocalStore(root),
    open: () => new LocalStore(root),
    // Separate instances: the filesystem's exclusive link does the exclusion, as between processes.
    racers: (count) => Array.from({ length: count }, () => new LocalStore(root)),
    writeStored,
    writeDebris: async (key, bytes) => {
      const debris = `${key.slice(0, key.lastIndexOf('/'))}/.tmp-${counter++}`;
      await writeStored(debris, bytes);
      return debris;
    },
    seed: async (entries) => {
      for (let i = 0; i < entries.length; i += 50) {
        await Promise.all(entries.slice(i, i + 50).map(([key, bytes]) => writeStored(key, bytes)));
      }
    },
    supportsPageSize: false,
    byteOrderListing: true,
    cleanup: () => rm(root, { recursive: true, force: true }),
  };
});

test('LocalStore leaves no temp files behind, and the object path is the one localPath gives', async () => {
  const root = await mkdtemp(join(tmpdir(), 'vaultline-local-store-'));
  try {
    const store = new LocalStore(root);
    const key = testKey();
    await store.put(key, Buffer.from('[1]'), metaInput());
    await Promise.allSettled([
      store.put(key, Buffer.from('[2]'), metaInput()),
      store.put(key, Buffer.from('[3]'), metaInput()),
    ]);
    const folder = dirname(join(root, ...key.split('/')));
    assert.deepEqual(
      (await readdir(folder)).sort(),
      [key.split('/').pop(), `${key.split('/').pop()}.meta.json`].sort(),
    );
    assert.equal(await store.localPath(key), join(root, ...key.split('/')));
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test('LocalStore refuses keys that would escape its folder', async () => {
  const store = new LocalStore(join(tmpdir(), 'vaultline-never-created'));
  await assert.rejects(store.put('../outside.json.gz', Buffer.from('x'), metaInput()), /invalid landing key/);
  await assert.rejects(store.get('/etc/passwd'), /invalid landing key/);
});
