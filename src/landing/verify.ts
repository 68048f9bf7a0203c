import { verifyBody } from './body.ts';
import { ChecksumMismatchError, CorruptObjectError } from './errors.ts';
import { isBodyKey, isMetaKey, META_SUFFIX } from './keys.ts';
import type { LandingMetadata } from './metadata.ts';
import type { LandingStore, RawEntry } from './store.ts';

export type VerifyProblemKind =
  | 'corrupt_body'
  | 'body_without_sidecar'
  | 'sidecar_without_body'
  | 'bad_sidecar';

export interface VerifyProblem {
  key: string;
  kind: VerifyProblemKind;
  message: string;
}

export interface VerifyReport {
  checked: number;
  bytes: number;
  problems: VerifyProblem[];
  /**
   * Temp files (LocalStore) and write claims (S3Store) under the prefix: not problems — a writer may
   * be busy with them right now — but `landing repair` moves the old ones away.
   */
  debris: { count: number; bytes: number };
}

/** A body key with the raw entries found for it: the body, its sidecar, or both. */
export interface EntryPair {
  key: string;
  body?: RawEntry;
  meta?: RawEntry;
}

/** Bodies and sidecars under `prefix`, paired by body key, in key order (state and other entries left out). */
export async function pairEntries(store: LandingStore, prefix = ''): Promise<EntryPair[]> {
  const pairs = new Map<string, EntryPair>();
  const pairOf = (key: string) => {
    const pair = pairs.get(key) ?? { key };
    pairs.set(key, pair);
    return pair;
  };
  for await (const entry of store.listEntries(prefix)) {
    if (entry.kind === 'body' && isBodyKey(entry.key)) pairOf(entry.key).body = entry;
    else if (entry.kind === 'meta' && isMetaKey(entry.key))
      pairOf(entry.key.slice(0, -META_SUFFIX.length)).meta = entry;
  }
  return [...pairs.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/**
 * Re-hashes every landed body under `prefix` against its sidecar and pairs bodies with sidecars.
 * Reads raw entries (not `list`) so uncommitted bodies and stray sidecars are found too.
 */
export async function verifyStore(
  store: LandingStore,
  prefix = '',
  onProgress?: (checked: number) => void,
): Promise<VerifyReport> {
  const report: VerifyReport = { checked: 0, bytes: 0, problems: [], debris: { count: 0, bytes: 0 } };
  for (const { key, body, meta: sidecar } of await pairEntries(store, prefix)) {
    if (!sidecar) {
      report.problems.push({
        key,
        kind: 'body_without_sidecar',
        message: `${key}: body has no sidecar (a write that never completed; the object is invisible to builds; \`vaultline landing repair\` moves it away)`,
      });
      continue;
    }
    if (!body) {
      report.problems.push({
        key,
        kind: 'sidecar_without_body',
        message: `${key}: sidecar has no body (\`vaultline landing repair\` moves it away)`,
      });
      continue;
    }
    let meta: LandingMetadata;
    try {
      meta = JSON.parse((await store.readEntry(`${key}${META_SUFFIX}`)).toString('utf8')) as LandingMetadata;
    } catch (error) {
      report.problems.push({
        key,
        kind: 'bad_sidecar',
        message: `${key}: sidecar is not valid JSON (${(error as Error).message})`,
      });
      continue;
    }
    try {
      const body = verifyBody(key, await store.readEntry(key), meta);
      report.bytes += body.byteLength;
    } catch (error) {
      if (error instanceof ChecksumMismatchError || error instanceof CorruptObjectError) {
        report.problems.push({ key, kind: 'corrupt_body', message: error.message });
      } else throw error;
    }
    report.checked++;
    onProgress?.(report.checked);
  }
  for await (const entry of store.listDebris(prefix)) {
    report.debris.count++;
    report.debris.bytes += entry.size;
  }
  return report;
}
