import { nextByPageCount, paginate } from '../sdk/pagination.ts';
import type { Connector, SourceRequest } from '../sdk/types.ts';
import { options, parseOptions, type WorldBankOptions } from './options.ts';
import { inspect, pagePosition } from './records.ts';

const RESOURCE = 'indicators';

function firstPage(
  o: WorldBankOptions,
  country: string,
  indicator: string,
  perPage = o.perPage,
): SourceRequest {
  return {
    resource: RESOURCE,
    path: `/v2/country/${encodeURIComponent(country)}/indicator/${encodeURIComponent(indicator)}`,
    query: { format: 'json', date: o.date, per_page: perPage, page: 1 },
  };
}

/**
 * World Bank Indicators API v2: `/v2/country/{country}/indicator/{indicator}?format=json`, one series
 * per country and indicator, following `meta.pages`. Each page is one landed object.
 */
export const connector: Connector<WorldBankOptions> = {
  name: 'worldbank',
  version: '1.1.0',
  title: 'World Bank Indicators API v2: indicator values by country and year',
  defaultBaseUrl: 'https://api.worldbank.org',
  requestsPerSecond: 5,
  resources: [RESOURCE],
  options,
  parseOptions,
  inspect,
  async extract(ctx, o) {
    for (const indicator of o.indicators) {
      for (const country of o.countries) {
        await ctx.unit(`${country}/${indicator}`, async () => {
          const next = nextByPageCount(ctx, { pageParam: 'page', read: pagePosition });
          await paginate(ctx, firstPage(o, country, indicator), next, { maxPages: o.maxPages });
        });
      }
    }
  },
  async check(ctx, o) {
    const country = o.countries[0]!;
    const indicator = o.indicators[0]!;
    const page = await ctx.probe(firstPage(o, country, indicator, 1));
    const total = Array.isArray(page.json)
      ? (page.json[0] as { total?: unknown } | undefined)?.total
      : undefined;
    return `${country}/${indicator}: ${String(total ?? 'an unknown number of')} value(s) available`;
  },
};
