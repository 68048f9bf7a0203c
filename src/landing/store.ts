import type { ArtifactSource, StoredArtifact } from './artifacts.ts';
import type { LandingMetadata, LandingMetadataInput } from './metadata.ts';

/**
 * The raw landing store (DESIGN.md): write-once, checksum-verified, listable. Implementations:
 * LocalStore (a folder) and S3Store (a bucket). Neither ever modifies or deletes a committed object;
 * only `moveToRepair` moves (on S3: copies, then deletes) the debris of writes that never committed.
 *
 * A landed object is a gzip body at `key` plus its sidecar at `key + ".meta.json"`. The sidecar is the
 * commit point: it is written only after the body is complete, and `list` shows only objects whose
 * sidecar exists, so a crash at any moment leaves at worst an invisible orphan body (reported by verify).
 */
export interface LandingStore {
  /** Human-readable location, e.g. `local folder .vaultline/raw` or `s3://bucket/prefix`. */
  readonly location: string;

  /**
   * Lands `body` (the exact, uncompressed bytes received) gzip-compressed under `key`, with its sidecar.
   * Throws AlreadyExistsError if the key is taken; never overwrites.
   */
  put(key: string, body: Uint8Array, meta: LandingMetadataInput): Promise<LandingMetadata>;

  /** The original bytes, after checking them against the sidecar's sha256 (ChecksumMismatchError). */
  get(key: string): Promise<{ body: Buffer; meta: LandingMetadata }>;

  /** The sidecar alone (NotFoundError when there is none). */
  getMeta(key: string): Promise<LandingMetadata>;

  /** True when a committed object (body and sidecar) exists at `key`. */
  exists(key: string): Promise<boolean>;

  /**
   * Committed objects (body and sidecar both present) under `prefix`, in key (byte) order, paging
   * through any number of them. Only bodies are listed: never sidecars, temp files, state objects
   * (`_state/…`, read with getState, or listEntries('_state/') for their history), nor anything under
   * `_repair/` or `_claims/` unless the prefix names them.
   */
  list(prefix?: string): AsyncIterable<ListedObject>;

  /**
   * Optional: the partitions (`<source>/<resource>/load_date=…/`) under a `<source>/<resource>/`
   * prefix, each with a change token. A partition whose token is the same as when it was last listed
   * holds no object committed since; `token` undefined means "cannot tell: list it". Readers that
   * keep the tokens (the records layer) list only changed partitions, so finding 10 new objects does
   * not cost a listing of the whole history. Stores without cheap tokens (S3) leave it out.
   */
  listPartitions?(prefix: string): AsyncIterable<PartitionEntry>;

  /**
   * Every raw entry under `prefix` — bodies and sidecars separately, committed or not — for `verify`.
   * Leaves out temp files and the hidden folders `_repair/` and `_claims/` unless `prefix` is inside one.
   */
  listEntries(prefix?: string): AsyncIterable<RawEntry>;

  /** Raw bytes of one entry as stored (gzip for bodies, JSON for sidecars); for verification. */
  readEntry(key: string): Promise<Buffer>;

  /**
   * Leftovers of writes that never finished, which no other listing shows: LocalStore's `.tmp-*`
   * files, S3Store's write claims (`_claims/…`, s3-claims.ts). For `verify` and `landing repair`.
   */
  listDebris(prefix?: string): AsyncIterable<DebrisEntry>;

  /**
   * Moves one raw entry to `<folder><key>` (folder: `_repair/<compact ts>/`, see repairFolder),
   * never overwriting. Only `landing repair` calls it, and only for orphans and debris — never for a
   * committed object — after checking their age and that they are still orphans.
   */
  moveToRepair(key: string, folder: string): Promise<void>;

  /**
   * A local file holding the gzip body, for engines that read files (DuckDB `read_json`). LocalStore
   * returns the object's own path; S3Store downloads into a cache, checked against the sha256.
   */
  localPath(key: string): Promise<string>;

  /**
   * A local file holding the gzip body for a reader that checks the sha256 itself as it streams (the
   * records layer): LocalStore returns the object's own file without reading it first (CorruptObjectError
   * when it is missing); S3Store is localPath (the download is checked before it is cached).
   */
  bodyPath(key: string): Promise<string>;

  /** Write-once JSON state (connector cursors): each write is a new object; reads return the newest. */
  putState(name: string, value: unknown): Promise<void>;
  getState<T = unknown>(name: string): Promise<T | undefined>;

  /**
   * Write-once raw bytes under an artifact key (`_compacted/…`, see artifacts.ts): stored as given — no
   * gzip, no sidecar — and never listed by `list`. AlreadyExistsError if the key is taken. Returns the
   * sha256 and size of what was stored, for the manifest that commits it.
   */
  putArtifact(key: string, source: ArtifactSource): Promise<StoredArtifact>;

  /** An artifact's bytes as stored (NotFoundError when absent); for small ones such as manifests. */
  getArtifact(key: string): Promise<Buffer>;

  /**
   * A local file holding the artifact, checked against `sha256` (from its manifest): LocalStore returns
   * the stored file itself, S3Store a verified cache copy. CorruptObjectError naming the key on mismatch.
   */
  artifactPath(key: string, sha256: string): Promise<string>;
}

export interface ListedObject {
  key: string;
  /** Compressed size as stored. */
  size: number;
  lastModified: Date;
}

export interface PartitionEntry {
  /** `<source>/<resource>/load_date=YYYY-MM-DD/`. */
  prefix: string;
  token?: string;
}

export interface RawEntry {
  key: string;
  size: number;
  kind: 'body' | 'meta' | 'state' | 'other';
  /** When it was written (file mtime, S3 LastModified): `landing repair` leaves young entries alone. */
  lastModified: Date;
}

export interface DebrisEntry {
  key: string;
  size: number;
  kind: 'temp' | 'claim';
  lastModified: Date;
}
