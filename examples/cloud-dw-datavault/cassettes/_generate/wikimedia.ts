import { cassette, compact, reset } from './common.ts';

const BASE = 'https://wikimedia.org';
const HEADERS = {
  'content-type': 'application/json; charset=utf-8; profile="https://www.mediawiki.org/wiki/Specs/Metrics/1.0.0"',
  date: 'Wed, 15 Jan 2025 12:00:00 GMT',
  'cache-control': 's-maxage=86400, max-age=86400',
};
const DAYS = ['20250101', '20250102', '20250103', '20250104', '20250105', '20250106', '20250107'];

function body(article: string, views: (number | null)[]): string {
  const items = DAYS.flatMap((day, i) =>
    views[i] === null
      ? [] // the API leaves out a day with no data: it is absent, not zero
      : [{ project: 'en.wikipedia', article, granularity: 'daily', timestamp: `${day}00`, access: 'all-access', agent: 'all-agents', views: views[i] }],
  );
  return compact({ items });
}

function path(article: string, start = '2025010100', end = '2025010700'): string {
  return `/api/rest_v1/metrics/pageviews/per-article/en.wikipedia.org/all-access/all-agents/${encodeURIComponent(article)}/daily/${start}/${end}`;
}

reset('wikimedia');
cassette('wikimedia', BASE, { path: path('Nelson_Mandela') }, { headers: HEADERS, body: body('Nelson_Mandela', [6873, 7412, 7005, 6521, 6188, 7934, 7650]) });
cassette('wikimedia', BASE, { path: path('São_Paulo') }, { headers: HEADERS, body: body('São_Paulo', [4102, 4388, 4251, 3976, 3811, 4467, 4395]) });
cassette('wikimedia', BASE, { path: path('München') }, { headers: HEADERS, body: body('München', [2215, 2390, 2344, null, 2108, 2476, 2431]) });
// Kept for a test: a range before pageview data begins answers 404 problem+json ("no data", not a failure).
cassette(
  'wikimedia',
  BASE,
  { path: path('Nelson_Mandela', '2000010100', '2000010700') },
  {
    status: 404,
    headers: { ...HEADERS, 'content-type': 'application/problem+json' },
    body: compact({
      type: 'https://mediawiki.org/wiki/HyperSwitch/errors/not_found',
      title: 'Not found.',
      method: 'get',
      detail: 'The date(s) you used are valid, but we either do not have data for those date(s), or the project you asked for is not loaded yet. Please check documentation for more information.',
      uri: '/analytics.wikimedia.org/v1/pageviews/per-article/en.wikipedia/all-access/all-agents/Nelson_Mandela/daily/2000010100/2000010700',
    }),
  },
);
