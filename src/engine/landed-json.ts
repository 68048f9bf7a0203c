/**
 * The engine-specific SQL of the records layer (src/run/sources/). Landed payloads are parsed in Node
 * (src/records/) and appended to raw records tables through the session's bulk path; what remains
 * engine-specific is the JSON handling of sources without a declared contract (their columns are
 * inferred from the records' JSON structure) and reading compacted Parquet rows. All functions are
 * pure and return SQL text.
 */
export interface LandedJsonSql {
  /**
   * One row with column `structure`: the merged JSON structure of `_record` over the rows of `relation`
   * whose `_ingest_seq` is `ingestSeq`, in record order (an opaque text, merged with mergeStructures).
   */
  recordsStructure(relation: string, ingestSeq: number): string;
  /** Merges two structures into one that holds both. */
  mergeStructures(a: string, b: string): string;
  /**
   * For the view of a source without a declared contract: `record`, an expression over `_record` that
   * the view computes once per row as `__vl_record`, and select-list expressions (each `… AS "name"`)
   * for the typed top-level fields, over `__vl_record`. `structure` null (nothing read yet): no record,
   * and NULL text columns of the declared names (a source whose columns declare types has a contract
   * and never gets here).
   */
  inferredColumns(
    structure: string | null,
    fallbackColumns: { name: string }[],
  ): { record?: string; columns: string[] };
  /** `key` and `sha256` of every row of a compacted file (without reading the payloads). */
  compactedRows(path: string): string;
  /** One row with column `payload` (the exact body text) for the object `key` of a compacted file. */
  compactedPayload(path: string, key: string): string;
}
