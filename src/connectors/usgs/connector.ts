import type { Connector, SourceRequest } from '../sdk/types.ts';
import { options, parseOptions, type UsgsOptions } from './options.ts';
import { inspect } from './records.ts';

const RESOURCE = 'earthquakes';

function feedRequest(feed: string): SourceRequest {
  return { resource: RESOURCE, path: `/earthquakes/feed/v1.0/summary/${feed}.geojson` };
}

/** USGS earthquake summary feeds (GeoJSON): one request, one landed object per feed. */
export const connector: Connector<UsgsOptions> = {
  name: 'usgs',
  version: '1.0.0',
  title: 'USGS earthquake summary feeds (GeoJSON)',
  defaultBaseUrl: 'https://earthquake.usgs.gov',
  requestsPerSecond: 2,
  resources: [RESOURCE],
  options,
  parseOptions,
  inspect,
  async extract(ctx, o) {
    for (const feed of o.feeds) {
      await ctx.unit(feed, async () => {
        await ctx.fetch(feedRequest(feed));
      });
    }
  },
  async check(ctx, o) {
    const page = await ctx.probe(feedRequest(o.feeds[0]!));
    const title = (page.json as { metadata?: { title?: unknown } } | undefined)?.metadata?.title;
    return `${o.feeds[0]}: ${String(title ?? 'feed')} with ${page.records ?? 'an unknown number of'} earthquake(s)`;
  },
};
