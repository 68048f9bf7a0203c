import type { LandingStore } from '../../landing/store.ts';
import { compactedPrefixFor, MANIFEST_SUFFIX, monthFolder, parseManifestKey } from './layout.ts';
import { type CompactionManifest, parseManifest } from './manifest.ts';

/** Where one landed object can be read from a compacted file instead of its gzip body. */
export interface CompactedRef {
  key: string;
  /** sha256 of the object's body, as the manifest recorded it from the sidecar. */
  sha256: string;
  parquetKey: string;
  parquetSha256: string;
  manifestKey: string;
}

export interface CompactedIndex {
  /** Landing key → the one compacted file it is read from. */
  byKey: Map<string, CompactedRef>;
  /** Every committed manifest under the prefix, in key order. */
  manifests: { key: string; manifest: CompactionManifest }[];
  /** Keys some manifest left JSON-only, with the reason (a later run need not look at them again). */
  jsonOnly: Map<string, string>;
}

/**
 * Reads every committed manifest for objects under `landingPrefix` (`usgs/earthquakes/`, `usgs/`,
 * `''`). A manifest that cannot be read is reported through `warn` and ignored: its objects are read
 * from their gzip bodies, which are still there, so results do not change. A key in two manifests
 * (two compactions of one month running at once) is read from the earliest.
 */
export async function loadCompactedIndex(
  store: LandingStore,
  landingPrefix: string,
  warn: (message: string) => void,
): Promise<CompactedIndex> {
  const index: CompactedIndex = { byKey: new Map(), manifests: [], jsonOnly: new Map() };
  const keys: string[] = [];
  for await (const entry of store.listEntries(compactedPrefixFor(landingPrefix))) {
    if (entry.key.endsWith(MANIFEST_SUFFIX)) keys.push(entry.key);
  }
  keys.sort();
  for (const key of keys) {
    const parts = parseManifestKey(key);
    if (!parts) {
      warn(
        `ignoring ${key}: not a compaction manifest name (expected month=YYYY-MM/<compact ts>${MANIFEST_SUFFIX})`,
      );
      continue;
    }
    let manifest: CompactionManifest;
    try {
      manifest = parseManifest(await store.getArtifact(key), {
        ...parts,
        folder: monthFolder(parts.source, parts.resource, parts.month),
      });
    } catch (error) {
      warn(
        `ignoring compaction manifest ${key}: ${(error as Error).message}; its objects are read from their landed JSON`,
      );
      continue;
    }
    index.manifests.push({ key, manifest });
    for (const object of manifest.objects) {
      if (index.byKey.has(object.key)) continue;
      index.byKey.set(object.key, {
        key: object.key,
        sha256: object.sha256,
        parquetKey: manifest.parquet.key,
        parquetSha256: manifest.parquet.sha256,
        manifestKey: key,
      });
    }
    for (const left of manifest.json_only) index.jsonOnly.set(left.key, left.reason);
  }
  return index;
}
