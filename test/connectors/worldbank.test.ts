import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { after, describe, it } from 'node:test';
import { skippedBodies, verdict } from '../../src/connectors/sdk/report.ts';
import { connector } from '../../src/connectors/worldbank/connector.ts';
import { cassetteServer, extract, landed, startServer, type TestServer, tempDir } from './helpers.ts';

const cleanups: (() => Promise<void>)[] = [];
after(() => Promise.all(cleanups.map((c) => c())));
async function dir(): Promise<string> {
  const d = await tempDir();
  cleanups.push(() => rm(d, { recursive: true, force: true }));
  return d;
}
function track<T extends TestServer>(server: T): T {
  cleanups.push(() => server.close());
  return server;
}

const flags = {
  indicators: ['SP.POP.TOTL', 'NY.GDP.MKTP.CD'],
  countries: ['ZA', 'BR', 'DE'],
  date: '2015:2024',
  per_page: '5',
};

describe('worldbank connector', () => {
  it('follows meta.pages and lands every page byte-identical, with a full sidecar', async () => {
    const server = track(await cassetteServer('worldbank'));
    const { report, store } = await extract(connector, {
      flags: { ...flags, base_url: server.url },
      storeDir: await dir(),
    });
    assert.deepEqual(report.failures, []);
    assert.equal(report.objects.length, 12, '2 indicators × 3 countries × 2 pages');
    assert.equal(server.requests.length, 12);
    const objects = await landed(store, 'worldbank/indicators/');
    assert.equal(objects.length, 12);
    for (const { meta, body } of objects) {
      const path = meta.request.url.slice(server.url.length);
      assert.ok(
        body.equals(server.bodies.get(path)!),
        `${path}: landed bytes differ from what the server sent`,
      );
      assert.equal(meta.sha256, createHash('sha256').update(body).digest('hex'));
      assert.equal(meta.response?.status, 200);
      assert.equal(meta.record_count, 5);
      assert.equal(meta.valid_json, true);
      assert.equal(meta.run_id, 'run-test-0001');
      assert.deepEqual(meta.connector, { name: 'worldbank', version: '1.1.0' });
      assert.equal(meta.request.params.format, 'json');
      assert.equal(meta.request.params.per_page, '5');
      assert.match(
        meta.request.url,
        /^http:\/\/127\.0\.0\.1:\d+\/v2\/country\/(ZA|BR|DE)\/indicator\/[A-Z.]+\?format=json&date=2015:2024&per_page=5&page=[12]$/,
      );
    }
    assert.equal(
      report.objects.reduce((s, o) => s + (o.records ?? 0), 0),
      60,
    );
  });

  it('pages through an older release whose meta and values are strings', async () => {
    const server = track(await cassetteServer('worldbank'));
    const { report, store } = await extract(connector, {
      flags: { ...flags, indicators: ['NY.GDP.MKTP.CD'], countries: ['BR'], base_url: server.url },
      storeDir: await dir(),
    });
    assert.deepEqual(report.failures, []);
    assert.deepEqual(
      server.requests.map((r) => r.url),
      [1, 2].map(
        (p) => `/v2/country/BR/indicator/NY.GDP.MKTP.CD?format=json&date=2015:2024&per_page=5&page=${p}`,
      ),
    );
    const body = JSON.parse((await landed(store))[0]!.body.toString());
    assert.equal(body[0].per_page, '5');
    assert.equal(typeof body[1][1].value, 'string');
  });

  it('lands an error body returned with status 200 and reports it as a failed request', async () => {
    const server = track(await cassetteServer('worldbank'));
    const { report, store } = await extract(connector, {
      flags: { ...flags, indicators: ['SP.POP.TOTLX'], countries: ['ZA'], base_url: server.url },
      storeDir: await dir(),
    });
    assert.equal(report.objects.length, 1);
    assert.equal(report.objects[0]!.records, 0);
    assert.equal(report.failures.length, 1);
    const failure = report.failures[0]!;
    assert.equal(failure.unit, 'ZA/SP.POP.TOTLX');
    assert.equal(failure.status, 200);
    assert.equal(failure.landed_key, report.objects[0]!.key);
    assert.match(failure.message, /World Bank error 175 \(Invalid format\): The indicator was not found/);
    assert.equal((await landed(store)).length, 1);
  });

  it('lands a malformed page marked valid_json: false, and reports that paging had to stop', async () => {
    const server = track(
      await startServer(() => ({ body: '[{"page":1,"pages":2,"per_page":5,"total":10},[{"date":"2024"' })),
    );
    const { report, store } = await extract(connector, {
      flags: { ...flags, indicators: ['SP.POP.TOTL'], countries: ['ZA'], base_url: server.url },
      storeDir: await dir(),
    });
    const [object] = await landed(store);
    assert.equal(object!.meta.valid_json, false);
    assert.match(object!.meta.parse_error ?? '', /JSON/);
    assert.equal(object!.meta.record_count, null);
    assert.ok(report.warnings.some((w) => w.includes('not valid JSON') && w.includes(object!.meta.key)));
    assert.equal(report.failures.length, 1);
    assert.match(
      report.failures[0]!.message,
      /next page cannot be determined; later pages were not fetched \(landed as /,
    );
  });

  it('retries a 500 and lands only the good answer; a 400 fails its series and the others go on', async () => {
    const page = (country: string) =>
      JSON.stringify([
        { page: 1, pages: 1, per_page: 5, total: 1 },
        [{ country: { id: country }, date: '2024', value: null, unit: '' }],
      ]);
    const server = track(
      await startServer((request, index) => {
        if (request.url.includes('/country/XX/'))
          return {
            status: 400,
            body: '[{"message":[{"id":"120","key":"Invalid value","value":"The provided parameter value is not valid"}]}]',
          };
        if (index === 0) return { status: 500, body: 'Internal Server Error' };
        return { body: page(request.url.includes('/ZA/') ? 'ZA' : 'DE') };
      }),
    );
    const { report, sleeps } = await extract(connector, {
      flags: { ...flags, indicators: ['SP.POP.TOTL'], countries: ['ZA', 'XX', 'DE'], base_url: server.url },
      storeDir: await dir(),
    });
    assert.equal(report.objects.length, 2, 'ZA after one retry, DE; nothing for XX');
    assert.equal(sleeps.length, 1);
    assert.equal(report.failures.length, 1);
    assert.equal(report.failures[0]!.unit, 'XX/SP.POP.TOTL');
    assert.match(
      report.failures[0]!.message,
      /HTTP 400: Invalid value: The provided parameter value is not valid/,
    );
    assert.equal(report.failures[0]!.landed_key, null);
  });

  it('counts a series with no data ([meta, null]) as zero records, not a failure', async () => {
    const server = track(
      await startServer(() => ({ body: '[{"page":1,"pages":0,"per_page":"50","total":0},null]' })),
    );
    const { report } = await extract(connector, {
      flags: { ...flags, indicators: ['SP.POP.TOTL'], countries: ['ZA'], base_url: server.url },
      storeDir: await dir(),
    });
    assert.deepEqual(report.failures, []);
    assert.equal(report.objects[0]!.records, 0);
    assert.equal(report.objects[0]!.no_data, 'World Bank: no data for this country, indicator and dates');
  });

  it('lands the real empty answer (page 0 of 0, rows null) byte-exact as no data, and stops there', async () => {
    const empty =
      '[{"page":0,"pages":0,"per_page":50,"lastupdated":"2024-06-28","total":0,"sourceid":null},null]';
    const server = track(await startServer(() => ({ body: empty })));
    const { report, store } = await extract(connector, {
      flags: { ...flags, indicators: ['SP.POP.TOTL'], countries: ['ZA'], base_url: server.url },
      storeDir: await dir(),
    });
    assert.deepEqual(report.failures, []);
    assert.deepEqual(report.warnings, []);
    assert.equal(server.requests.length, 1, 'no next page asked for');
    assert.deepEqual(verdict(report), { failed: false, invalidTolerated: false });
    const [object] = await landed(store);
    assert.equal(object!.body.toString(), empty);
    assert.equal(object!.meta.no_data, 'World Bank: no data for this country, indicator and dates');
    assert.equal(object!.meta.record_count, 0);
    assert.match(
      report.notes[0]!,
      /no data: World Bank: no data for this country, indicator and dates \(GET /,
    );
  });

  it('pages with page, pages, per_page and total all sent as strings (older releases)', async () => {
    const server = track(
      await startServer((request) => {
        const page = new URL(request.url, 'http://x').searchParams.get('page');
        return {
          body: `[{"page":"${page}","pages":"2","per_page":"1","total":"2","sourceid":"2"},[{"date":"202${page}","value":"57339635"}]]`,
        };
      }),
    );
    const { report } = await extract(connector, {
      flags: {
        ...flags,
        indicators: ['SP.POP.TOTL'],
        countries: ['ZA'],
        per_page: '1',
        base_url: server.url,
      },
      storeDir: await dir(),
    });
    assert.deepEqual(report.failures, []);
    assert.deepEqual(
      server.requests.map((r) => new URL(r.url, 'http://x').searchParams.get('page')),
      ['1', '2'],
    );
    assert.deepEqual(
      report.objects.map((o) => o.records),
      [1, 1],
    );
  });

  it('lists an error body with status 200 among the bodies builds will skip, and fails the run', async () => {
    const server = track(
      await startServer(() => ({
        body: '[{"message":[{"id":"120","key":"Invalid value","value":"The provided parameter value is not valid"}]}]',
      })),
    );
    const { report } = await extract(connector, {
      flags: { ...flags, indicators: ['SP.POP.TOTL'], countries: ['ZA'], base_url: server.url },
      storeDir: await dir(),
    });
    assert.deepEqual(skippedBodies(report), [
      {
        key: report.objects[0]!.key,
        reason:
          'an error body with HTTP 200: World Bank error 120 (Invalid value): The provided parameter value is not valid',
      },
    ]);
    assert.equal(verdict(report).failed, true);
  });
});
