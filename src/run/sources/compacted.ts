import type { Session } from '../../engine/dialect.ts';
import type { Engine } from '../../engine/engine.ts';
import type { LandingStore } from '../../landing/store.ts';
import { type CompactedIndex, type CompactedRef, loadCompactedIndex } from '../compaction/compacted-index.ts';
import { CompactedObjectError } from '../compaction/errors.ts';

/**
 * Compacted months as one run sees them: the committed manifests under each source's prefix (read
 * once per run), each Parquet file fetched and checked against its manifest's sha256 once per run,
 * and each row's sha256 compared with the object's sidecar before the row is used.
 *
 * The chain an auditor can follow: sidecar sha256 = Parquet row sha256 (checked here, on every read) =
 * sha256 of the row's payload (checked by compaction on the written file) ; Parquet file = manifest's
 * sha256 (checked here). A mismatch anywhere refuses the read, naming the landing key.
 */
export class CompactedObjects {
  private readonly indexes = new Map<string, Promise<CompactedIndex>>();
  private readonly paths = new Map<string, Promise<string>>();
  private readonly rows = new Map<string, Promise<Map<string, string[]>>>();

  constructor(
    private readonly options: {
      session: Session;
      engine: Engine;
      store: LandingStore;
      warn: (message: string) => void;
    },
  ) {}

  /** The compacted objects under a source's landing prefix (`source/resource/`). */
  index(landingPrefix: string): Promise<CompactedIndex> {
    let pending = this.indexes.get(landingPrefix);
    if (!pending) {
      pending = loadCompactedIndex(this.options.store, landingPrefix, this.options.warn);
      this.indexes.set(landingPrefix, pending);
      pending.catch(() => this.indexes.delete(landingPrefix));
    }
    return pending;
  }

  /** A verified local copy of the object's Parquet file. */
  path(ref: CompactedRef): Promise<string> {
    let pending = this.paths.get(ref.parquetKey);
    if (!pending) {
      pending = this.options.store.artifactPath(ref.parquetKey, ref.parquetSha256);
      this.paths.set(ref.parquetKey, pending);
      pending.catch(() => this.paths.delete(ref.parquetKey));
    }
    return pending;
  }

  /**
   * Checks that the object's row exists once in its file and carries the sha256 of its sidecar (and of
   * the manifest); returns the verified local path of the file.
   */
  async verified(ref: CompactedRef, sidecarSha256: string): Promise<string> {
    const path = await this.path(ref);
    let pending = this.rows.get(ref.parquetKey);
    if (!pending) {
      pending = this.readRows(path);
      this.rows.set(ref.parquetKey, pending);
      pending.catch(() => this.rows.delete(ref.parquetKey));
    }
    const hashes = (await pending).get(ref.key) ?? [];
    const fail = (problem: string) =>
      new CompactedObjectError({
        key: ref.key,
        parquetKey: ref.parquetKey,
        manifestKey: ref.manifestKey,
        problem,
      });
    if (hashes.length === 0)
      throw fail('is missing: the file has no row for it although its manifest lists it');
    if (hashes.length > 1) throw fail(`appears in ${hashes.length} rows`);
    if (hashes[0] !== sidecarSha256)
      throw fail(`has sha256 ${hashes[0]}, but the object's sidecar says ${sidecarSha256}`);
    if (ref.sha256 !== sidecarSha256)
      throw fail(
        `is listed in its manifest with sha256 ${ref.sha256}, but the object's sidecar says ${sidecarSha256}`,
      );
    return path;
  }

  private async readRows(path: string): Promise<Map<string, string[]>> {
    const rows = await this.options.session.query<{ key: string; sha256: string }>(
      this.options.engine.landedJson.compactedRows(path),
    );
    const out = new Map<string, string[]>();
    for (const row of rows) {
      const list = out.get(row.key);
      if (list) list.push(row.sha256);
      else out.set(row.key, [row.sha256]);
    }
    return out;
  }
}
