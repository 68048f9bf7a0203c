/**
 * The small JSON path dialect of source contracts and records paths: keys (`.name` or `["any key"]`),
 * array indexes (`[3]`) and, as the last step of a records path only, `[*]`.
 */
export type PathSegment = { key: string } | { index: number };

const EXAMPLE = 'a valid path looks like $.features[*], properties.mag, $[1][*] or $["odd key"].x';

export class JsonPathError extends Error {
  constructor(
    readonly path: string,
    readonly position: number,
    problem: string,
  ) {
    super(`invalid JSON path ${JSON.stringify(path)}: ${problem} at character ${position + 1} (${EXAMPLE})`);
    this.name = 'JsonPathError';
  }
}

/** Characters a dotted key may hold: anything but the path's own punctuation and whitespace. */
function isKeyChar(c: number): boolean {
  return !(c === 0x2e || c === 0x5b || c === 0x5d || c === 0x22 || c === 0x27 || c <= 0x20 || c === 0x7f);
}

/**
 * Parses `$.features[*]`, `features[*]`, `$[1][*]`, `[1][*]`, `$.items`, `properties.mag`,
 * `geometry.coordinates[0]`, `$["odd key"].x`, `$['odd key']`, `commit.author.name`. A leading `$` / `$.`
 * is optional; `$` alone is the document root (no segments). Returns the segments and whether the path
 * ended in `[*]` (allowed only as the last segment). Throws JsonPathError.
 */
export function parseJsonPath(text: string): { segments: PathSegment[]; wildcard: boolean } {
  const fail = (at: number, problem: string): never => {
    throw new JsonPathError(text, at, problem);
  };
  const segments: PathSegment[] = [];
  let wildcard = false;
  const n = text.length;
  if (n === 0) fail(0, 'the path is empty');
  let i = 0;
  let first = true;
  if (text.charCodeAt(0) === 0x24 /* $ */ && (n === 1 || text[1] === '.' || text[1] === '[')) {
    i = 1;
    first = false;
  }
  while (i < n) {
    if (wildcard) fail(i, '[*] must be the last step');
    const c = text[i];
    if (c === '.' || first) {
      const start = c === '.' ? i + 1 : i;
      if (c === '.' && text[start] === '.') fail(i, 'recursive descent (..) is not supported');
      if (text[start] === '*') fail(start, 'use [*] for all elements of an array');
      let j = start;
      while (j < n && isKeyChar(text.charCodeAt(j))) j++;
      if (j === start) {
        if (c === '.')
          fail(
            start,
            j < n ? `unexpected ${JSON.stringify(text[j])} after "."` : 'a key is missing after "."',
          );
        // no leading dot and no key: fall through to the bracket forms below
      } else {
        const key = text.slice(start, j);
        if (/^[0-9]+$/.test(key)) {
          fail(
            start,
            `"${key}" is written as a key: use [${key}] for an array index or ["${key}"] for a key`,
          );
        }
        segments.push({ key });
        i = j;
        first = false;
        continue;
      }
    }
    first = false;
    if (text[i] !== '[') fail(i, `unexpected ${JSON.stringify(text[i])} (expected "." or "[")`);
    const open = i;
    i++;
    const q = text[i];
    if (q === '*') {
      if (text[i + 1] !== ']') fail(i + 1, 'expected "]" after [*');
      wildcard = true;
      i += 2;
      continue;
    }
    if (q === '"' || q === "'") {
      let j = i + 1;
      let escaped = false;
      while (j < n && text[j] !== q) {
        if (text[j] === '\\') {
          escaped = true;
          j++;
        }
        j++;
      }
      if (j >= n) fail(i, 'the quoted key is not closed');
      let key: string;
      if (!escaped) key = text.slice(i + 1, j);
      else if (q === '"') {
        try {
          key = JSON.parse(text.slice(i, j + 1)) as string;
        } catch {
          key = fail(i, 'the quoted key has an invalid escape');
        }
      } else {
        key = text.slice(i + 1, j).replace(/\\(.)/g, '$1');
      }
      if (text[j + 1] !== ']') fail(j + 1, 'expected "]" after the quoted key');
      segments.push({ key });
      i = j + 2;
      continue;
    }
    let j = i;
    while (j < n && text.charCodeAt(j) >= 0x30 && text.charCodeAt(j) <= 0x39) j++;
    if (j === i) {
      if (q === '-') fail(i, 'negative indexes are not supported');
      fail(
        i,
        q === undefined || q === ']'
          ? 'an index, "*" or a quoted key is missing in [ ]'
          : `unexpected ${JSON.stringify(q)} in [ ]`,
      );
    }
    if (text[j] !== ']') fail(j, 'expected "]" after the index');
    const index = Number(text.slice(i, j));
    if (!Number.isSafeInteger(index)) fail(open, 'the index is too large');
    segments.push({ index });
    i = j + 1;
  }
  return { segments, wildcard };
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** `$.features[3].properties["odd key"]`: keys that are identifiers in dot form, others quoted. */
export function formatJsonPath(segments: readonly PathSegment[]): string {
  let out = '$';
  for (const s of segments) {
    if ('index' in s) out += `[${s.index}]`;
    else out += IDENTIFIER.test(s.key) ? `.${s.key}` : `[${JSON.stringify(s.key)}]`;
  }
  return out;
}

/**
 * Walks an already-parsed JSON value. `{found:false}` when a step is missing: a key absent, an index out
 * of range, a key step into an array or an index step into an object, or any step into a scalar or null.
 */
export function getPath(
  value: unknown,
  segments: readonly PathSegment[],
): { found: true; value: unknown } | { found: false } {
  let current = value;
  for (const s of segments) {
    if (current === null || typeof current !== 'object') return { found: false };
    if ('index' in s) {
      if (!Array.isArray(current) || s.index >= current.length) return { found: false };
      current = current[s.index];
    } else {
      if (Array.isArray(current) || !Object.hasOwn(current, s.key)) return { found: false };
      current = (current as Record<string, unknown>)[s.key];
    }
  }
  return { found: true, value: current };
}

/** Whether two paths are the same steps. */
export function samePath(a: readonly PathSegment[], b: readonly PathSegment[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!sameSegment(a[i]!, b[i]!)) return false;
  return true;
}

/** Whether `prefix` is the start of `path` (or all of it). */
export function isPathPrefix(prefix: readonly PathSegment[], path: readonly PathSegment[]): boolean {
  if (prefix.length > path.length) return false;
  for (let i = 0; i < prefix.length; i++) if (!sameSegment(prefix[i]!, path[i]!)) return false;
  return true;
}

function sameSegment(a: PathSegment, b: PathSegment): boolean {
  return 'index' in a ? 'index' in b && a.index === b.index : 'key' in b && a.key === b.key;
}
