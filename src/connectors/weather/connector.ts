import type { Connector, SourceRequest } from '../sdk/types.ts';
import { options, parseOptions, type WeatherLocation, type WeatherOptions } from './options.ts';
import { inspect } from './records.ts';

const RESOURCE = 'forecast';

function forecastRequest(l: WeatherLocation, o: WeatherOptions): SourceRequest {
  return {
    resource: RESOURCE,
    path: '/v1/forecast',
    query: {
      latitude: l.latitude,
      longitude: l.longitude,
      hourly: l.hourly.length > 0 ? l.hourly.join(',') : undefined,
      daily: l.daily.length > 0 ? l.daily.join(',') : undefined,
      timezone: l.timezone,
      start_date: o.startDate,
      end_date: o.endDate,
    },
  };
}

/**
 * Open-Meteo forecast API `/v1/forecast`: one request and one landed object per location. The API
 * snaps coordinates to its grid and echoes the variable names it was asked for (old configs asking
 * `relativehumidity_2m` get that name back, newer ones `relative_humidity_2m`).
 */
export const connector: Connector<WeatherOptions> = {
  name: 'weather',
  version: '1.0.0',
  title: 'Open-Meteo forecast API: hourly and daily weather variables per location',
  defaultBaseUrl: 'https://api.open-meteo.com',
  requestsPerSecond: 5,
  resources: [RESOURCE],
  options,
  parseOptions,
  inspect,
  async extract(ctx, o) {
    for (const location of o.locations) {
      await ctx.unit(location.name, async () => {
        await ctx.fetch(forecastRequest(location, o));
      });
    }
  },
  async check(ctx, o) {
    const first = o.locations[0]!;
    const page = await ctx.probe(
      forecastRequest({ ...first, hourly: ['temperature_2m'], daily: [] }, { ...o }),
    );
    const body = page.json as { latitude?: unknown; longitude?: unknown } | undefined;
    return `${first.name}: grid point ${String(body?.latitude)},${String(body?.longitude)}, ${page.records ?? '?'} time step(s)`;
  },
};
