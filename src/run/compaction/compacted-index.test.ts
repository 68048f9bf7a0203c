import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { landingKey } from '../../landing/keys.ts';
import { LocalStore } from '../../landing/local-store.ts';
import { loadCompactedIndex } from './compacted-index.ts';
import { compactedKeys } from './layout.ts';
import type { CompactionManifest } from './manifest.ts';

const sha = (c: string) => c.repeat(64);
const key = (day: string, n: number) =>
  landingKey({
    source: 'demo',
    resource: 'items',
    loadTs: new Date(`${day}T00:00:00.00${n}Z`),
    request: { method: 'GET', url: `https://x.test/${n}` },
  });

function manifest(
  at: string,
  keys: string[],
  overrides: Partial<CompactionManifest> = {},
): CompactionManifest {
  const { parquet } = compactedKeys('demo', 'items', '2026-01', new Date(at));
  return {
    format_version: 1,
    kind: 'vaultline.compacted_month',
    source: 'demo',
    resource: 'items',
    month: '2026-01',
    parquet: {
      key: parquet,
      sha256: sha('a'),
      bytes: 10,
      rows: keys.length,
      row_groups: 1,
      row_group_size: 100000,
      compression: 'zstd',
      columns: [],
    },
    objects: keys.map((k) => ({ key: k, sha256: sha('b'), bytes: 1, compressed_bytes: 1, load_ts: '' })),
    json_only: [],
    created_at: at,
    vaultline_version: 'test',
    engine: 'duckdb',
    ...overrides,
  };
}

describe('the index of compacted objects', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vaultline-compacted-index-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const store = new LocalStore(dir);
  const put = (at: string, value: unknown) =>
    store.putArtifact(
      compactedKeys('demo', 'items', '2026-01', new Date(at)).manifest,
      Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)),
    );

  test('committed manifests map keys to their file; the earliest wins; bad manifests are ignored with a warning', async () => {
    const [a, b, c] = [key('2026-01-02', 1), key('2026-01-03', 2), key('2026-01-04', 3)];
    await put('2026-02-01T00:00:00Z', manifest('2026-02-01T00:00:00Z', [a, b]));
    await put('2026-02-02T00:00:00Z', manifest('2026-02-02T00:00:00Z', [b, c]));
    await put('2026-02-03T00:00:00Z', '{ not json');
    await put('2026-02-04T00:00:00Z', manifest('2026-02-04T00:00:00Z', [key('2026-02-01', 4)]));
    await put('2026-02-05T00:00:00Z', { ...manifest('2026-02-05T00:00:00Z', [a]), month: '2026-03' });
    // A Parquet file whose manifest was never written (an interrupted compaction) is not read.
    await store.putArtifact(
      compactedKeys('demo', 'items', '2026-01', new Date('2026-02-06T00:00:00Z')).parquet,
      Buffer.from('x'),
    );
    const warnings: string[] = [];
    const index = await loadCompactedIndex(store, 'demo/items/', (m) => warnings.push(m));
    assert.deepEqual(
      [...index.byKey.values()].map((r) => [r.key, r.parquetKey.slice(-27)]),
      [
        [a, '20260201T000000000Z.parquet'],
        [b, '20260201T000000000Z.parquet'],
        [c, '20260202T000000000Z.parquet'],
      ],
    );
    assert.equal(index.manifests.length, 2);
    assert.equal(warnings.length, 3, warnings.join('\n'));
    assert.match(warnings[0]!, /20260203T000000000Z\.manifest\.json: not valid JSON/);
    assert.match(warnings[1]!, /object .* is not a landing key of demo\/items in 2026-01/);
    assert.match(warnings[2]!, /its month is "2026-03" but it lies in the folder of 2026-01/);
    assert.ok(warnings.every((w) => w.includes('read from their landed JSON')));
    assert.deepEqual((await loadCompactedIndex(store, 'other/items/', () => undefined)).byKey.size, 0);
    assert.equal((await loadCompactedIndex(store, '', () => undefined)).byKey.size, 3, 'the whole store');
  });
});
