/**
 * Reading landed payloads (gzip JSON files, one per landed object) as relations. Each engine spells
 * this differently (DuckDB: read_json_objects + json_transform), so it lives behind this interface;
 * src/run/sources/ decides *which* files a relation covers, the engine only writes the SQL.
 * All functions are pure and return SQL text.
 */
export interface LandedFile {
  /** Landing key, e.g. `usgs/earthquakes/load_date=2026-11-22/20261122T101500123Z_ab12….json.gz`. */
  key: string;
  /**
   * A local file holding the body: for `json` (the default) the gzip body (LocalStore: the object
   * itself; S3: a verified cache copy); for `parquet` a compacted file (src/run/compaction/) in which
   * the object is the row whose `_landing_key` is `key`.
   */
  path: string;
  format?: 'json' | 'parquet';
  loadTs: Date;
  /** Uncompressed size from the sidecar (sizes the engine's JSON reader). */
  bytes: number;
}

/** Per-object facts found by the probe query; a failing probe means the payload cannot be read. */
export interface ProbeRow {
  /** Engine-specific description of the records' shape (opaque to callers; merged with mergeStructures). */
  structure: string | null;
  records: number;
  documents: number;
  /** Documents in which the records path was missing or not an array. */
  missing: number;
}

/** ProbeRow of one object of a compacted file. */
export interface CompactedProbeRow extends ProbeRow {
  key: string;
}

export interface LandedJsonSql {
  /**
   * One row of ProbeRow columns for one gzip body (`format` json). `recordsPath` undefined: each
   * document is a record (a top-level array gives one record per element). The query throws when the
   * file does not parse. Compacted objects are probed with probeCompacted.
   */
  probe(file: LandedFile, recordsPath: string | undefined): string;
  /** Merges two structures into one that holds both. */
  mergeStructures(a: string, b: string): string;
  /**
   * Records of `files` as rows: `_landing_key`, `_load_ts`, `_record_source`, then one column per
   * top-level field of `structure`. With no files (or no structure yet), an empty relation with the
   * same columns (`fallbackColumns` stand in when there was never any data).
   */
  records(input: {
    files: LandedFile[];
    recordsPath: string | undefined;
    recordSource: string;
    structure: string | null;
    fallbackColumns: { name: string; dataType?: string }[];
  }): string;
  /** One row per document: `json` (the document), `_landing_key`, `_load_ts`, `_record_source`. */
  payloads(input: { files: LandedFile[]; recordSource: string }): string;
  /**
   * CompactedProbeRow columns (`key` first) for the objects `keys` of one compacted file: the same facts
   * `probe` finds in their gzip bodies, in one pass over the file. Compaction only admits objects whose
   * document reads identically both ways, so the query does not fail on a payload.
   */
  probeCompacted(input: { path: string; keys: string[] }, recordsPath: string | undefined): string;
  /** `key` and `sha256` of every row of a compacted file (without reading the payloads). */
  compactedRows(path: string): string;
}
