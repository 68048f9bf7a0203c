/**
 * How a compacted row's `payload` (the exact body text) becomes the JSON document the landed-JSON
 * reader would have read from the gzip body. `read_json_objects` drops a UTF-8 byte order mark and the
 * whitespace around a document; a cast to JSON keeps text as it is (and refuses a BOM), so the BOM and
 * JSON whitespace (space, tab, LF, CR) are trimmed first.
 *
 * This is the one definition both sides use: compaction admits an object only when this expression
 * gives exactly the document read_json_objects gives for its gzip body (duckdb/compaction.ts), and the
 * reader (duckdb/landed-json.ts) uses it to read the row — so both paths yield the same text.
 */
export const JSON_WHITESPACE = 'chr(32) || chr(9) || chr(10) || chr(13)';

/** The payload text trimmed as read_json_objects trims a document (VARCHAR, not yet cast). */
export function trimmedPayload(payload: string): string {
  return `trim(ltrim(${payload}, chr(65279)), ${JSON_WHITESPACE})`;
}

/** The JSON document of a compacted row. */
export function compactedDocument(payload: string): string {
  return `CAST(${trimmedPayload(payload)} AS JSON)`;
}
