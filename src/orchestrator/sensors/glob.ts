/**
 * A sensor's `pattern:`, matched against a path relative to the watched folder, prefix or source
 * ("/"-separated). `*` matches within one path segment, `?` one character other than "/", `**` any
 * number of whole segments (`**\/*.csv` matches `a.csv` and `x/y/a.csv`); everything else is literal.
 * Node 20's path.matchesGlob would do, but it is experimental there and warns on every process that
 * uses it; this is the small subset a sensor needs.
 */
export function globRegExp(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i]!;
    if (char === '*' && pattern[i + 1] === '*') {
      const atStart = i === 0 || pattern[i - 1] === '/';
      const atEnd = i + 2 === pattern.length || pattern[i + 2] === '/';
      if (atStart && atEnd) {
        // `**/` is zero or more segments; a trailing `**` is anything below.
        if (i + 2 === pattern.length) source += '.*';
        else source += '(?:[^/]*/)*';
        i += 2; // skip the second "*" and the "/" after it
        continue;
      }
      source += '[^/]*';
      i += 1;
    } else if (char === '*') source += '[^/]*';
    else if (char === '?') source += '[^/]';
    else source += char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

/** A matcher for `pattern` (everything matches when there is none). */
export function globMatcher(pattern: string | undefined): (path: string) => boolean {
  if (pattern === undefined) return () => true;
  const regexp = globRegExp(pattern);
  return (path) => regexp.test(path);
}
