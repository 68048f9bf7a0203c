import type { Inspection } from '../sdk/types.ts';

/**
 * `/repos/{owner}/{repo}/commits` answers a JSON array of commits, newest first. `author` and
 * `committer` at the top level are GitHub accounts and are null when the email maps to none; the
 * dates live in `commit.author.date` and `commit.committer.date`.
 */
export function inspect(_resource: string, json: unknown): Inspection {
  if (json === undefined) return { records: null };
  if (!Array.isArray(json))
    return { records: null, warning: 'unexpected body shape: expected a list of commits' };
  return { records: json.length };
}

/** The newest committer date in a page of commits (what `since` filters on), or undefined. */
export function newestCommitDate(json: unknown): string | undefined {
  if (!Array.isArray(json)) return undefined;
  let newest: string | undefined;
  for (const item of json) {
    const date = (item as { commit?: { committer?: { date?: unknown } } } | null)?.commit?.committer?.date;
    if (typeof date !== 'string' || Number.isNaN(Date.parse(date))) continue;
    if (newest === undefined || Date.parse(date) > Date.parse(newest)) newest = date;
  }
  return newest;
}
