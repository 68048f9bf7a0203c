import { compactLoadTs } from '../../landing/keys.ts';

/**
 * Where compacted months live in the landing store, beside the raw JSON they were made from:
 *
 *   _compacted/<source>/<resource>/month=YYYY-MM/<compact_ts>.parquet
 *   _compacted/<source>/<resource>/month=YYYY-MM/<compact_ts>.manifest.json
 *
 * Both are write-once artifacts (LandingStore.putArtifact). The manifest is written after the Parquet
 * file and is the commit point: a Parquet file without a manifest (a compaction that was interrupted)
 * is never read. A month may have several pairs — a later run compacts only objects landed late.
 */
export const COMPACTED_ROOT = '_compacted/';
export const PARQUET_SUFFIX = '.parquet';
export const MANIFEST_SUFFIX = '.manifest.json';

export function monthFolder(source: string, resource: string, month: string): string {
  return `${COMPACTED_ROOT}${source}/${resource}/month=${month}/`;
}

export function compactedKeys(
  source: string,
  resource: string,
  month: string,
  at: Date,
): { parquet: string; manifest: string } {
  const base = `${monthFolder(source, resource, month)}${compactLoadTs(at)}`;
  return { parquet: `${base}${PARQUET_SUFFIX}`, manifest: `${base}${MANIFEST_SUFFIX}` };
}

/**
 * The artifact prefix holding the manifests of objects under a landing prefix (`usgs/earthquakes/`,
 * `usgs/` or `''`): the compacted layout mirrors `<source>/<resource>/`.
 */
export function compactedPrefixFor(landingPrefix: string): string {
  return `${COMPACTED_ROOT}${landingPrefix}`;
}

const MANIFEST_KEY =
  /^_compacted\/([a-z0-9][a-z0-9_-]*)\/([a-z0-9][a-z0-9_-]*)\/month=(\d{4}-\d{2})\/(\d{8}T\d{9}Z)\.manifest\.json$/;

export interface ManifestKeyParts {
  source: string;
  resource: string;
  month: string;
  compactTs: string;
}

export function parseManifestKey(key: string): ManifestKeyParts | undefined {
  const m = MANIFEST_KEY.exec(key);
  if (!m) return undefined;
  return { source: m[1]!, resource: m[2]!, month: m[3]!, compactTs: m[4]! };
}
