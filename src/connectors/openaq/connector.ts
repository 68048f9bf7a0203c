import { jsonForPaging, paginate } from '../sdk/pagination.ts';
import type { Connector, SourceRequest } from '../sdk/types.ts';
import { type OpenAqOptions, options, parseOptions } from './options.ts';
import { hasMorePages, inspect } from './records.ts';

function firstPage(o: OpenAqOptions, sensor: string, limit = o.limit): SourceRequest {
  // Raw measurements and hourly averages filter on datetimes; daily averages on dates.
  const [from, to] = o.resource === 'days' ? ['date_from', 'date_to'] : ['datetime_from', 'datetime_to'];
  return {
    resource: o.resource,
    path: `/v3/sensors/${encodeURIComponent(sensor)}/${o.resource}`,
    query: { [from]: o.dateFrom, [to]: o.dateTo, limit, page: 1 },
  };
}

/**
 * OpenAQ v3 per-sensor measurements (raw, hourly or daily), paging until `meta.found` is covered.
 * Live calls need OPENAQ_API_KEY (sent as X-API-Key, redacted everywhere); replay needs none.
 */
export const connector: Connector<OpenAqOptions> = {
  name: 'openaq',
  version: '1.0.0',
  title: 'OpenAQ API v3: air-quality measurements per sensor',
  defaultBaseUrl: 'https://api.openaq.org',
  requestsPerSecond: 1,
  rateLimitHint: 'OpenAQ allows 60 requests per minute and 2000 per hour per key',
  resources: ['measurements', 'hours', 'days'],
  options,
  parseOptions,
  inspect,
  headers(o): Record<string, string> {
    return o.apiKey ? { 'x-api-key': o.apiKey } : {};
  },
  async extract(ctx, o) {
    for (const sensor of o.sensorIds) {
      await ctx.unit(`sensor ${sensor}`, async () => {
        await paginate(
          ctx,
          firstPage(o, sensor),
          (page, number) => {
            const more = hasMorePages(jsonForPaging(ctx, page), number, o.limit);
            if (more === undefined) ctx.fail(page, 'the body holds no results list, so paging cannot go on');
            return more ? { ...page.request, query: { ...page.request.query, page: number + 1 } } : undefined;
          },
          { maxPages: o.maxPages },
        );
      });
    }
  },
  async check(ctx, o) {
    const sensor = o.sensorIds[0]!;
    const page = await ctx.probe({ resource: o.resource, path: `/v3/sensors/${encodeURIComponent(sensor)}` });
    const first = (
      page.json as
        | { results?: { name?: unknown; parameter?: { name?: unknown; units?: unknown } }[] }
        | undefined
    )?.results?.[0];
    return `sensor ${sensor}: ${String(first?.name ?? '?')} measuring ${String(first?.parameter?.name ?? '?')} in ${String(first?.parameter?.units ?? '?')}`;
  },
};
