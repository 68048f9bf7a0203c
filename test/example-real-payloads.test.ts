/**
 * The example warehouse against real-world payloads, through bin/vaultline.js on a copy of
 * examples/cloud-dw-datavault (issue #9's "Done when"):
 * - bodies of older API vintages landed FIRST (World Bank 2016, GitHub commits before signature
 *   verification, Open-Meteo without daily) build without error, with NULLs where fields are missing;
 * - with only USGS landed, `build` exits 0 and earthquakes_daily has rows;
 * - after a null business key, a corrupt object, a 100k-deep document and a 1e400 value, the next good
 *   USGS payload reaches the vault and the marts, and the bad ones are listed with their reason.
 * Each suite runs once per test engine (test/helpers/engines.ts), on its own copy of the example.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { describeRun, vaultline } from './helpers/cli.ts';
import { type TestEngine, testEngines } from './helpers/engines.ts';
import { type ExampleProject, exampleProject } from './helpers/example-project.ts';

const fixtures = new URL('./fixtures/real-shapes/', import.meta.url).pathname;
const shiftedClock = new URL('./fixtures/shifted-clock.mjs', import.meta.url).href;

type Row = Record<string, unknown>;

/**
 * A fresh example project on `engine` for one suite (created in `before`, removed in `after`), and
 * the suite's CLI, query and land helpers on it.
 */
function exampleOn(engine: TestEngine) {
  let project: ExampleProject | undefined;
  before(async () => {
    project = await exampleProject(engine, 'vaultline-real-');
  });
  after(() => project?.remove());
  const dir = () => project!.dir;
  const cli = (now: string, ...args: string[]) =>
    vaultline(args, {
      cwd: dir(),
      env: { NODE_OPTIONS: `--import ${shiftedClock}`, VAULTLINE_TEST_NOW: now },
    });
  const query: ExampleProject['query'] = (sql) => project!.query(sql);
  let n = 0;
  const land = async (now: string, body: string, source: string, resource: string) => {
    const file = join(dir(), `payload-${++n}.json`);
    writeFileSync(file, body);
    const run = await cli(now, 'land', file, '--source', source, '--resource', resource);
    assert.equal(run.code, 0, describeRun(run));
    return run.out.trim();
  };
  return { dir, cli, query, land };
}

for (const engine of testEngines())
  describe(`${engine.name}: the example warehouse on older payload vintages landed first`, () => {
    const { cli, query, land } = exampleOn(engine);

    test('builds without error, with NULLs where the old format has no field', async () => {
      const now = '2025-01-15T12:00:00Z';
      const fixture = (name: string) => readFileSync(join(fixtures, name), 'utf8');
      await land(now, fixture('worldbank-2016.json'), 'worldbank', 'indicators');
      await land(now, fixture('github-commits-2015.json'), 'github', 'commits');
      await land(now, fixture('open-meteo-hourly-only.json'), 'weather', 'forecast');
      const run = await cli(now, 'build');
      assert.equal(run.code, 0, describeRun(run));
      assert.match(run.stderr, /no payload landed under usgs\/earthquakes\/ yet .*`vaultline extract usgs`/);
      const wb = await query(
        'select country_code, country_iso3, unit, obs_status, period, indicator_value from staging.stg_worldbank__indicators order by period',
      );
      assert.deepEqual(wb, [
        {
          country_code: 'ZA',
          country_iso3: null,
          unit: null,
          obs_status: null,
          period: '2013',
          indicator_value: 53687121,
        },
        {
          country_code: 'ZA',
          country_iso3: null,
          unit: null,
          obs_status: null,
          period: '2014',
          indicator_value: 54539571,
        },
        {
          country_code: 'ZA',
          country_iso3: null,
          unit: null,
          obs_status: null,
          period: '2015',
          indicator_value: null,
        },
      ]);
      const commits = await query(
        'select commit_sha, is_verified, author_login, author_name from staging.stg_github__commits',
      );
      assert.deepEqual(commits, [
        {
          commit_sha: '553c2077f0edc3d5dc5d17262f6aa498e69d6f8e',
          is_verified: null,
          author_login: null,
          author_name: 'The Octocat',
        },
      ]);
      const hours = await query<{ n: bigint }>('select count(*) as n from staging.stg_weather__hourly');
      assert.equal(Number(hours[0]!.n), 3);
      const days = await query<{ n: bigint }>('select count(*) as n from staging.stg_weather__daily');
      assert.equal(Number(days[0]!.n), 0);
      const population = await query('select * from marts.population_by_country_year');
      assert.ok(population.length >= 2, `population_by_country_year has ${population.length} row(s)`);
      const hubs = await query<{ n: bigint }>('select count(*) as n from vault.hub_commit');
      assert.equal(Number(hubs[0]!.n), 1);
    });
    test('a population of 1e23 is NULL in the mart (every query still works) and reported by a warning', async () => {
      const now = '2025-01-16T12:00:00Z';
      const page = JSON.parse(readFileSync(join(fixtures, 'worldbank-2016.json'), 'utf8')) as [
        unknown,
        Row[],
      ];
      const row = { ...page[1][0]!, date: '2016', value: 'HUGE' };
      await land(now, JSON.stringify([page[0], [row]]).replace('"HUGE"', '1e23'), 'worldbank', 'indicators');
      const run = await cli(now, 'build');
      assert.equal(run.code, 0, describeRun(run));
      assert.match(
        run.out,
        /WARN assert_population_is_a_count: 1 failing row stored in vaultline_test_failures/,
      );
      const mart = await query(
        "select year, population from marts.population_by_country_year where country_code = 'ZA' order by year",
      );
      assert.deepEqual(
        mart.map((r) => [r.year, r.population]),
        [
          [2013, 53687121n],
          [2014, 54539571n],
          [2015, null],
          [2016, null],
        ],
      );
    });
  });

for (const engine of testEngines())
  describe(`${engine.name}: the example warehouse with only USGS landed, then bad USGS payloads`, () => {
    const { dir, cli, query, land } = exampleOn(engine);

    test('with only USGS landed, build exits 0 and earthquakes_daily has rows', async () => {
      const now = '2025-01-15T12:00:00Z';
      const extract = await cli(now, 'extract', 'usgs');
      assert.equal(extract.code, 0, describeRun(extract));
      const run = await cli(now, 'build');
      assert.equal(run.code, 0, describeRun(run));
      const daily = await query<{ n: bigint }>('select count(*) as n from marts.earthquakes_daily');
      assert.ok(Number(daily[0]!.n) > 0);
    });

    test('a null key, a corrupt object, a 100k-deep document and 1e400 never block the next good payload', async () => {
      const now = '2025-01-16T12:00:00Z';
      const feature = (id: string | null, mag: string, time: number) =>
        `{"type":"Feature","properties":{"mag":${mag},"place":"somewhere","time":${time},"updated":${time},"status":"reviewed","type":"earthquake","title":"M ${mag}"},"geometry":{"type":"Point","coordinates":[-150.1,61.2,10.5]},"id":${id === null ? 'null' : `"${id}"`}}`;
      const feed = (...features: string[]) =>
        `{"type":"FeatureCollection","metadata":{"generated":1737028800000,"title":"USGS All Earthquakes, Past Day","count":${features.length}},"features":[${features.join(',')}]}`;
      const day = Date.parse('2025-01-16T03:00:00Z');
      const nullKey = await land(now, feed(feature(null, '2.1', day)), 'usgs', 'earthquakes');
      const corrupt = await land(now, feed(feature('ak0zzcorrupt', '1.0', day)), 'usgs', 'earthquakes');
      const stored = join(dir(), '.vaultline/raw', corrupt);
      const bytes = readFileSync(stored);
      bytes[bytes.length - 10] = (bytes[bytes.length - 10]! + 7) % 256;
      writeFileSync(stored, bytes);
      const deep = await land(
        now,
        `{"type":"FeatureCollection","features":[${'['.repeat(100_000)}${']'.repeat(100_000)}]}`,
        'usgs',
        'earthquakes',
      );
      const huge = await land(
        now,
        feed(feature('ak0zzhuge', '1e400', day), feature('ak0zzbeside', '3.3', day)),
        'usgs',
        'earthquakes',
      );
      const good = await land(now, feed(feature('ak0zzgood', '4.4', day)), 'usgs', 'earthquakes');

      const run = await cli(now, 'build');
      assert.equal(run.code, 1, describeRun(run));
      assert.match(run.out, /source usgs\.earthquakes: 2 payload\(s\) quarantined by this run/);
      assert.match(run.out, new RegExp(`${corrupt.replaceAll('.', '\\.')}: the stored body`));
      assert.match(run.out, new RegExp(`${deep.replaceAll('.', '\\.')}: too deeply nested`));
      assert.match(
        run.out,
        new RegExp(
          `${huge.replaceAll('.', '\\.')} record 0, mag \\(properties\\.mag\\): out of range for double: 1e400`,
        ),
      );
      assert.match(run.out, /WARN .*not_null_stg_usgs__earthquakes_earthquake_id/);

      // The good payload, and the good record beside the 1e400, reached the vault and the mart.
      const hub = await query<{ earthquake_id: string }>(
        "select earthquake_id from vault.hub_earthquake where earthquake_id like 'ak0zz%' order by 1",
      );
      assert.deepEqual(
        hub.map((h) => h.earthquake_id),
        ['ak0zzbeside', 'ak0zzgood', 'ak0zzhuge'],
      );
      const sat = await query<{ magnitude: number | null; record_source: string }>(
        "select s.magnitude, s.record_source from vault.sat_earthquake s join vault.hub_earthquake h using (hk_earthquake) where h.earthquake_id = 'ak0zzgood'",
      );
      assert.deepEqual(sat, [{ magnitude: 4.4, record_source: good }]);
      const mart = await query<{ quake_count: bigint; max_magnitude: number }>(
        "select quake_count, max_magnitude from marts.earthquakes_daily where is_latest_snapshot and event_date = date '2025-01-16'",
      );
      assert.equal(mart.length, 1, 'the new day is in the mart');
      assert.equal(Number(mart[0]!.quake_count), 3);
      assert.equal(mart[0]!.max_magnitude, 4.4);
      // The null key was skipped by the vault and its row stored by the warning test.
      const failures = await query<{ _landing_key: string }>(
        'select _landing_key from vaultline_test_failures.not_null_stg_usgs__earthquakes_earthquake_id',
      );
      assert.deepEqual(
        failures.map((f) => f._landing_key),
        [nullKey],
      );

      const listed = await cli(now, '--json', 'landing', 'quarantine');
      assert.equal(listed.code, 0, describeRun(listed));
      const entries = JSON.parse(listed.out) as { key: string; reason: string }[];
      assert.deepEqual(entries.map((e) => e.key).sort(), [corrupt, deep].sort());
      assert.ok(entries.every((e) => e.reason.length > 20));

      // The next build reads nothing new, exits 0 and still lists the quarantined payloads.
      const again = await cli(now, 'build');
      assert.equal(again.code, 0, describeRun(again));
      assert.match(again.out, /2 payload\(s\) still in quarantine/);
    });

    test("--wiki-project is an alias of the Wikimedia connector's --project (the wiki domain)", async () => {
      const run = await cli(
        '2025-01-16T12:00:00Z',
        'extract',
        'wikimedia',
        '--wiki-project',
        'en.wikipedia.org',
        '--article',
        'Nelson_Mandela',
        '--start',
        '20250101',
        '--end',
        '20250107',
      );
      assert.equal(run.code, 0, describeRun(run));
    });
  });
