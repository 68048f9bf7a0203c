import { nextByLinkHeader, paginate } from '../sdk/pagination.ts';
import type { Connector, SourceRequest } from '../sdk/types.ts';
import { type GithubOptions, options, parseOptions } from './options.ts';
import { inspect, newestCommitDate } from './records.ts';

const RESOURCE = 'commits';

/** The watermark kept in `_state/github/commits/<owner>/<repo>/<branch>/`. */
export interface CommitCursor {
  newest_commit_date: string;
  run_id: string;
}

function cursorName(o: GithubOptions): string {
  return `commits/${o.owner}/${o.repo}/${o.branch ?? 'default-branch'}`;
}

/**
 * GitHub REST commits, Link-header paging. Incremental: without --since it asks only for commits from
 * the newest commit date already landed (inclusive, so the boundary commit comes again rather than
 * risking one with the same timestamp being skipped; the vault's loads are idempotent). The cursor
 * moves only after every page of a run has landed as valid JSON.
 */
export const connector: Connector<GithubOptions> = {
  name: 'github',
  version: '1.0.0',
  title: 'GitHub REST API: repository commits (incremental, Link-header paging)',
  defaultBaseUrl: 'https://api.github.com',
  requestsPerSecond: 1,
  rateLimitHint: 'set GITHUB_TOKEN for 5000 requests per hour instead of 60',
  resources: [RESOURCE],
  options,
  parseOptions,
  inspect,
  headers(o) {
    const headers: Record<string, string> = {
      accept: 'application/vnd.github+json',
      'x-github-api-version': '2022-11-28',
    };
    if (o.token) headers.authorization = `Bearer ${o.token}`;
    return headers;
  },
  async extract(ctx, o) {
    await ctx.unit(`${o.owner}/${o.repo}`, async () => {
      const cursor = ctx.cursor<CommitCursor>(cursorName(o));
      const stored = await cursor.get();
      const since = o.since ?? (o.full ? undefined : stored?.newest_commit_date);
      const first: SourceRequest = {
        resource: RESOURCE,
        path: `/repos/${encodeURIComponent(o.owner)}/${encodeURIComponent(o.repo)}/commits`,
        query: { sha: o.branch, since, per_page: o.perPage },
      };
      const pages = await paginate(ctx, first, nextByLinkHeader(ctx), { maxPages: o.maxPages });
      const unreadable = pages.filter((page) => !page.validJson).length;
      if (unreadable > 0) {
        // Paging goes on by the Link header, but the commits of an unreadable page never reach the
        // warehouse: moving the cursor past them would lose them for good.
        ctx.warn(
          `${o.owner}/${o.repo}: ${unreadable} page(s) not valid JSON; the cursor stays at ${stored?.newest_commit_date ?? 'none'} so the next run asks for those commits again`,
        );
        return;
      }
      let newest = stored?.newest_commit_date;
      for (const page of pages) {
        const date = newestCommitDate(page.json);
        if (date && (newest === undefined || Date.parse(date) > Date.parse(newest))) newest = date;
      }
      if (newest && newest !== stored?.newest_commit_date)
        await cursor.put({ newest_commit_date: newest, run_id: ctx.runId });
    });
  },
  async check(ctx, o) {
    const page = await ctx.probe({
      resource: RESOURCE,
      path: `/repos/${encodeURIComponent(o.owner)}/${encodeURIComponent(o.repo)}`,
    });
    const repo = page.json as { full_name?: unknown; default_branch?: unknown } | undefined;
    const remaining = page.headers['x-ratelimit-remaining'];
    return (
      `${String(repo?.full_name ?? `${o.owner}/${o.repo}`)} (default branch ${String(repo?.default_branch ?? '?')})` +
      (remaining ? `; ${remaining} request(s) left this hour` : '')
    );
  },
};
