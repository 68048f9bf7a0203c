import { cassette, compact, raw, reset } from './common.ts';

const BASE = 'https://api.openaq.org';
const HEADERS = { 'content-type': 'application/json', date: 'Wed, 15 Jan 2025 12:00:00 GMT', 'x-ratelimit-limit': '60', 'x-ratelimit-reset': '42' };

const pair = (hourUtc: number) => {
  const utc = new Date(Date.UTC(2025, 0, 14, hourUtc));
  const local = new Date(utc.getTime() + 2 * 3600_000);
  return { utc: utc.toISOString().replace('.000Z', 'Z'), local: `${local.toISOString().slice(0, 19)}+02:00` };
};

// PM2.5 at a Johannesburg station, hourly raw values, 2025-01-14 00:00–08:00 UTC (SAST = UTC+2).
const VALUES = ['18.6', '17.9', '16.2', '15.8', '17.1', '21.4', '27.3', '31.0'];

function measurement(i: number) {
  return {
    value: raw(VALUES[i]!),
    flagInfo: { hasFlags: false },
    parameter: { id: 2, name: 'pm25', units: 'µg/m³', displayName: null },
    period: { label: 'raw', interval: '01:00:00', datetimeFrom: pair(i), datetimeTo: pair(i + 1) },
    coordinates: null,
    summary: null,
    coverage: {
      expectedCount: 1,
      expectedInterval: '01:00:00',
      observedCount: 1,
      observedInterval: '01:00:00',
      percentComplete: raw('100.0'),
      percentCoverage: raw('100.0'),
      datetimeFrom: pair(i),
      datetimeTo: pair(i + 1),
    },
  };
}

const query = (page: number) => ({ datetime_from: '2025-01-14T00:00:00Z', datetime_to: '2025-01-14T08:00:00Z', limit: 5, page });
const requestHeaders = { 'x-api-key': '***' };

reset('openaq');
// Page 1 does not know the total yet: found is the string ">5". Page 2 knows it: the number 8.
cassette(
  'openaq',
  BASE,
  { path: '/v3/sensors/3917/measurements', query: query(1) },
  { headers: { ...HEADERS, 'x-ratelimit-remaining': '59' }, body: compact({ meta: { name: 'openaq-api', website: '/', page: 1, limit: 5, found: '>5' }, results: [0, 1, 2, 3, 4].map(measurement) }) },
  requestHeaders,
);
cassette(
  'openaq',
  BASE,
  { path: '/v3/sensors/3917/measurements', query: query(2) },
  { headers: { ...HEADERS, 'x-ratelimit-remaining': '58' }, body: compact({ meta: { name: 'openaq-api', website: '/', page: 2, limit: 5, found: 8 }, results: [5, 6, 7].map(measurement) }) },
  requestHeaders,
);
