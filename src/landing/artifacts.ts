import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { CorruptObjectError, NotFoundError } from './errors.ts';
import { BODY_SUFFIX, HIDDEN_PREFIXES, META_SUFFIX, STATE_PREFIX } from './keys.ts';
import { sha256Hex } from './metadata.ts';

/**
 * Artifacts: files vaultline derives from landed objects and keeps in the store beside them — today the
 * compacted Parquet files and their manifests (`_compacted/…`, see src/run/compaction/CONTEXT.md).
 * They are write-once like everything else in the store, but stored as given (no gzip, no sidecar):
 * whoever writes one records its sha256 somewhere that is committed after it (a manifest), and readers
 * ask for it by that sha256 (`artifactPath(key, sha256)`).
 *
 * Keys live under a reserved top-level folder that starts with "_" (landing sources cannot: their
 * names start with a letter or digit), never `_state/`, `_repair/` or `_claims/`, and never end like a body or a sidecar — so
 * `list()` can never mistake an artifact for a landed object, and `verify` leaves them alone.
 */
const ARTIFACT_KEY = /^_[a-z0-9][a-z0-9_-]*\/[A-Za-z0-9_.=-]+(\/[A-Za-z0-9_.=-]+)*$/;

export function assertArtifactKey(key: string): void {
  if (
    !ARTIFACT_KEY.test(key) ||
    key.startsWith(STATE_PREFIX) ||
    HIDDEN_PREFIXES.some((prefix) => key.startsWith(prefix)) ||
    key.includes('..') ||
    key.endsWith(BODY_SUFFIX) ||
    key.endsWith(META_SUFFIX)
  ) {
    throw new Error(
      `invalid artifact key "${key}": artifacts live under a folder starting with "_" (not _state/, _repair/ or _claims/), e.g. _compacted/usgs/earthquakes/month=2026-01/20260201T000000000Z.parquet`,
    );
  }
}

/** What putArtifact takes: bytes, or a local file (copied, never moved: the caller keeps it). */
export type ArtifactSource = Uint8Array | { file: string };

export interface StoredArtifact {
  key: string;
  sha256: string;
  bytes: number;
}

/** sha256 and size of a file, streamed (artifacts can be large). */
export async function hashFile(path: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    bytes += chunk.byteLength;
  }
  return { sha256: hash.digest('hex'), bytes };
}

export function hashBytes(bytes: Uint8Array): { sha256: string; bytes: number } {
  return { sha256: sha256Hex(bytes), bytes: bytes.byteLength };
}

/**
 * Checks a local copy of an artifact against the sha256 its manifest recorded. A missing file is
 * NotFoundError; other content is CorruptObjectError naming the key.
 */
export async function verifyArtifactFile(
  key: string,
  path: string,
  expectedSha256: string,
  location: string,
): Promise<void> {
  let actual: string;
  try {
    actual = (await hashFile(path)).sha256;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      throw new NotFoundError(key, location, 'artifact');
    throw error;
  }
  if (actual !== expectedSha256) throw artifactMismatch(key, expectedSha256, actual);
}

export function artifactMismatch(key: string, expected: string, actual: string): CorruptObjectError {
  return new CorruptObjectError(
    key,
    `the stored artifact hashes to ${actual}, but the manifest that committed it says ${expected}. It was changed after it was written; restore it from a backup, or move its manifest away so readers fall back to the landed JSON`,
  );
}
