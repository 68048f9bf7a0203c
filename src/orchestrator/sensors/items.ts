/**
 * What a sensor sees: one file or object. Its `id` is the identity that starts exactly one run: the
 * same path with a new size or etag is a new item (a file replaced, an object overwritten).
 */
export interface SensedItem {
  /**
   * Where it is: for a folder sensor the file's path relative to the project ("/"-separated), for S3
   * the full object key, for landed objects the landing key.
   */
  path: string;
  /** Bytes (for landed objects: the compressed size as stored). */
  size: number;
  /**
   * What tells two versions of a path apart: the S3 ETag (quotes stripped); for files the
   * modification time (ns) and inode; for landed objects the key itself (landing keys are write-once).
   */
  etag: string;
  /** `path|size|etag`: the key of the cursor and of the run's trigger ({kind: 'sensor', item: id}). */
  id: string;
}

export function sensedItem(path: string, size: number, etag: string): SensedItem {
  // size is digits and etag never holds "|", so the id splits unambiguously from the right.
  return { path, size, etag, id: `${path}|${size}|${etag}` };
}

/** Items in path order, so runs start in a predictable order (and tests can compare listings). */
export function sortItems(items: SensedItem[]): SensedItem[] {
  return items.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
