import type { Connector, SourceRequest } from '../sdk/types.ts';
import { options, parseOptions, type WikimediaOptions } from './options.ts';
import { expectedTimestamps, inspect, missingTimestamps, noData } from './records.ts';

const RESOURCE = 'pageviews';

function articleRequest(o: WikimediaOptions, article: string, start = o.start, end = o.end): SourceRequest {
  const segments = [o.project, o.access, o.agent, article, o.granularity, start, end].map(encodeURIComponent);
  return { resource: RESOURCE, path: `/api/rest_v1/metrics/pageviews/per-article/${segments.join('/')}` };
}

/**
 * Wikimedia REST pageviews per article, one request and one landed object per article. The live API
 * blocks clients without a contact in the User-Agent, so live calls need HTTP_CONTACT.
 */
export const connector: Connector<WikimediaOptions> = {
  name: 'wikimedia',
  version: '1.1.0',
  title: 'Wikimedia REST API: daily or monthly pageviews per article',
  defaultBaseUrl: 'https://wikimedia.org',
  requestsPerSecond: 10,
  requiresContact: true,
  resources: [RESOURCE],
  options,
  parseOptions,
  inspect,
  noData,
  async extract(ctx, o) {
    const expected = expectedTimestamps(o.start, o.end, o.granularity);
    for (const article of o.articles) {
      await ctx.unit(article, async () => {
        const page = await ctx.fetch(articleRequest(o, article));
        if (page.noData || !page.validJson) return;
        const missing = missingTimestamps(page.json, expected);
        if (missing.length > 0) {
          const shown = missing.slice(0, 10).join(', ') + (missing.length > 10 ? ', …' : '');
          ctx.warn(
            `${article}: ${missing.length} ${o.granularity === 'daily' ? 'day(s)' : 'month(s)'} without an item (no views recorded): ${shown}`,
          );
        }
      });
    }
  },
  async check(ctx, o) {
    const article = o.articles[0]!;
    const page = await ctx.probe(articleRequest(o, article, o.start, o.start));
    return page.noData
      ? `${article}: reachable; ${page.noData}`
      : `${article}: ${page.records ?? '?'} item(s) on ${o.start}`;
  },
};
