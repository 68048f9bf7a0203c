import type { Connector } from '../sdk/types.ts';
import { options, parseOptions, type SpacexOptions } from './options.ts';
import { inspect } from './records.ts';

/**
 * SpaceX API v4: `/v4/launches`, `/v4/rockets`, `/v4/launchpads`, one request and object each.
 * References come as id strings or populated objects; both are accepted (records.ts).
 */
export const connector: Connector<SpacexOptions> = {
  name: 'spacex',
  version: '1.1.0',
  title: 'SpaceX API v4: launches, rockets and launchpads',
  defaultBaseUrl: 'https://api.spacexdata.com',
  requestsPerSecond: 2,
  resources: ['launches', 'rockets', 'launchpads'],
  options,
  parseOptions,
  inspect,
  async extract(ctx, o) {
    for (const resource of o.resources) {
      await ctx.unit(resource, async () => {
        await ctx.fetch({ resource, path: `/v4/${resource}` });
      });
    }
  },
  async check(ctx, o) {
    const resource = o.resources[0]!;
    const page = await ctx.probe({ resource, path: `/v4/${resource}` });
    return `${resource}: ${page.records ?? '?'} record(s)`;
  },
};
