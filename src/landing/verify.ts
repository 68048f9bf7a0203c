import { verifyBody } from './body.ts';
import { ChecksumMismatchError, CorruptObjectError } from './errors.ts';
import { isBodyKey, isMetaKey, META_SUFFIX } from './keys.ts';
import type { LandingMetadata } from './metadata.ts';
import type { LandingStore } from './store.ts';

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
  const bodies = new Set<string>();
  const sidecars = new Set<string>();
  for await (const entry of store.listEntries(prefix)) {
    if (entry.kind === 'body' && isBodyKey(entry.key)) bodies.add(entry.key);
    else if (entry.kind === 'meta' && isMetaKey(entry.key))
      sidecars.add(entry.key.slice(0, -META_SUFFIX.length));
  }
  const report: VerifyReport = { checked: 0, bytes: 0, problems: [] };
  for (const key of [...new Set([...bodies, ...sidecars])].sort()) {
    if (!sidecars.has(key)) {
      report.problems.push({
        key,
        kind: 'body_without_sidecar',
        message: `${key}: body has no sidecar (a write that never completed; the object is invisible to builds)`,
      });
      continue;
    }
    if (!bodies.has(key)) {
      report.problems.push({ key, kind: 'sidecar_without_body', message: `${key}: sidecar has no body` });
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
  return report;
}
