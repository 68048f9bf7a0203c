/**
 * End to end through bin/vaultline.js on a copy of examples/cloud-dw-datavault: extract every source
 * from the bundled cassettes, build (staging, vault, PITs, marts, tests), and check that
 * - every vault table and mart has rows and every data test passes (day 1);
 * - extracting and building again adds no vault row, PITs included (day 2);
 * - a USGS payload revising one magnitude adds exactly one sat_earthquake row, and pit_earthquake_day
 *   and earthquakes_daily show the new magnitude from that day on, the old one before (day 3);
 * - a later World Bank release keeps both versions in the satellite and the newest in the mart (day 4);
 * - payloads of older or partial formats (a World Bank page without countryiso3code/unit/obs_status,
 *   a GitHub commit without verification, Open-Meteo without daily, a SpaceX launch with a populated
 *   rocket) build with NULLs where fields are missing, and a USGS feature with a null id is a stored
 *   warning that blocks nothing (day 5);
 * - a payload landed after a newer one (an older load_ts) reaches hub, satellite and PIT (day 6).
 * Once per test engine (test/helpers/engines.ts: DuckDB, and PostgreSQL under `npm test`), each on its
 * own copy of the example whose warehouse block points at that engine; the assertions are portable SQL.
 * Days are real days in the warehouse: each CLI child runs on a shifted clock
 * (test/fixtures/shifted-clock.mjs), since load timestamps come from the clock and the CLI has no
 * option for it.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { describeRun, vaultline } from './helpers/cli.ts';
import { testEngines } from './helpers/engines.ts';
import { EXAMPLE, type ExampleProject, exampleProject } from './helpers/example-project.ts';

// A file: URL, so NODE_OPTIONS needs no quoting whatever the checkout path.
const shiftedClock = new URL('./fixtures/shifted-clock.mjs', import.meta.url).href;

const HUBS = [
  'hub_country',
  'hub_indicator',
  'hub_period',
  'hub_article',
  'hub_project',
  'hub_location',
  'hub_commit',
  'hub_repository',
  'hub_sensor',
  'hub_earthquake',
  'hub_launch',
  'hub_rocket',
  'hub_launchpad',
];
const LINKS = [
  'link_country_indicator',
  'link_project_article',
  'link_article_day',
  'link_commit_repository',
  'link_sensor_hour',
  'link_launch_rocket',
  'link_launch_launchpad',
];
const SATELLITES = [
  'sat_country_indicator_values',
  'sat_country',
  'sat_indicator',
  'sat_article_views',
  'sat_weather_hourly',
  'sat_weather_daily',
  'sat_location',
  'sat_commit_meta',
  'sat_sensor_measurements',
  'sat_earthquake',
  'sat_launch',
  'sat_rocket',
  'sat_launchpad',
];
const PITS = ['pit_article_day', 'pit_country_indicator_year', 'pit_earthquake_day'];
const VAULT = [...HUBS, ...LINKS, ...SATELLITES, ...PITS];
const MARTS = [
  'article_traffic_daily',
  'population_by_country_year',
  'weather_daily',
  'air_quality_daily',
  'earthquakes_daily',
  'commits_daily',
  'launches_by_year',
];

/** The quake the USGS revision changes: the largest of 2025-01-14 (UTC), M 4.6 → 4.9. */
const REVISED_QUAKE = 'us7000p2jz';

for (const engine of testEngines())
  describe(`${engine.name}: the cloud-dw-datavault example, end to end`, () => {
    let project: ExampleProject | undefined;
    let dir = '';
    const cli = (now: string, ...args: string[]) =>
      vaultline(args, {
        cwd: dir,
        env: { NODE_OPTIONS: `--import ${shiftedClock}`, VAULTLINE_TEST_NOW: now },
      });
    const query: ExampleProject['query'] = (sql) => project!.query(sql);
    const counts = async (schema: string, names: string[]): Promise<Record<string, number>> => {
      const sql = names
        .map((n) => `SELECT '${n}' AS name, count(*) AS n FROM "${schema}"."${n}"`)
        .join('\nUNION ALL\n');
      const rows = await query<{ name: string; n: bigint }>(sql);
      return Object.fromEntries(rows.map((r) => [r.name, Number(r.n)]));
    };
    /**
     * `vaultline build --json`, asserting exit 0 and that every node succeeded or passed, except the
     * tests named in `warnings`, which must warn.
     */
    const build = async (now: string, warnings: string[] = []) => {
      const run = await cli(now, '--json', 'build');
      assert.equal(run.code, 0, describeRun(run));
      const doc = JSON.parse(run.out) as {
        success: boolean;
        results: { unique_id: string; resource_type: string; status: string; message: string | null }[];
      };
      const warned = doc.results.filter((r) => r.status === 'warn').map((r) => r.unique_id.split('.').pop());
      assert.deepEqual(warned.sort(), [...warnings].sort());
      const bad = doc.results.filter((r) => !['success', 'pass', 'warn'].includes(r.status));
      assert.deepEqual(
        bad.map((r) => `${r.unique_id}: ${r.status} ${r.message ?? ''}`),
        [],
      );
      assert.equal(doc.success, true);
      return doc.results;
    };
    const extract = async (now: string) => {
      const run = await cli(now, 'extract', '--all', '--rate-limit', '0');
      assert.equal(run.code, 0, describeRun(run));
    };
    const land = async (now: string, body: unknown, source: string, resource: string) => {
      const file = join(dir, `${source}-${resource}-${now.slice(0, 10)}.json`);
      writeFileSync(file, JSON.stringify(body));
      const run = await cli(now, 'land', file, '--source', source, '--resource', resource);
      assert.equal(run.code, 0, describeRun(run));
      return run.out.trim();
    };
    const cassetteBody = (path: string): unknown =>
      JSON.parse(
        (JSON.parse(readFileSync(join(EXAMPLE, 'cassettes', path), 'utf8')) as { response: { body: string } })
          .response.body,
      );

    before(async () => {
      project = await exampleProject(engine);
      dir = project.dir;
    });
    after(() => project?.remove());

    test('day 1: extract and build fill every vault table and mart, and every test passes', async () => {
      await extract('2030-03-01T08:00:00Z');
      const results = await build('2030-03-01T08:00:00Z');
      const tests = results.filter((r) => r.resource_type === 'test');
      assert.ok(tests.length >= 60, `expected the example's data tests to run, got ${tests.length}`);
      for (const name of [...VAULT, ...MARTS]) {
        assert.ok(
          results.some((r) => r.unique_id.endsWith(`.${name}`)),
          `${name} was not built`,
        );
      }

      const vault = await counts('vault', VAULT);
      const marts = await counts('marts', MARTS);
      for (const [name, n] of Object.entries({ ...vault, ...marts })) assert.ok(n > 0, `${name} is empty`);
      // What the cassettes hold (satellites: one ghost row each on top).
      assert.equal(vault.hub_country, 3);
      assert.equal(vault.hub_earthquake, 13, '12 events in all_day, 2 in significant_week, 1 in both');
      assert.equal(vault.sat_earthquake, 14);
      assert.equal(vault.hub_commit, 8);
      assert.equal(vault.link_country_indicator, 60, '3 countries × 2 indicators × 10 years');
      assert.equal(vault.sat_country_indicator_values, 61);
      assert.equal(vault.sat_weather_hourly, 49, '2 locations × 24 hours');
      assert.equal(marts.population_by_country_year, 30);

      // The source contracts read every value of the cassettes: nothing rejected, nothing quarantined.
      const [meta] = await query<{ rejects: bigint; quarantined: bigint }>(
        `SELECT (SELECT count(*) FROM vaultline_meta.rejects) AS rejects,
              (SELECT count(*) FROM vaultline_meta.quarantine) AS quarantined`,
      );
      assert.deepEqual([Number(meta!.rejects), Number(meta!.quarantined)], [0, 0]);
      // OpenAQ's sensor comes from the request URL (/v3/sensors/3917/measurements), not from a var.
      assert.deepEqual(await query(`SELECT sensor_id FROM vault.hub_sensor`), [{ sensor_id: '3917' }]);
      // Each location's humidity under the name its configuration asked for.
      assert.deepEqual(
        await query(
          `SELECT timezone, humidity_field, count(*) AS hours, count(relative_humidity_pct) AS with_humidity
         FROM staging.stg_weather__hourly GROUP BY timezone, humidity_field ORDER BY timezone`,
        ),
        [
          {
            timezone: 'Africa/Johannesburg',
            humidity_field: 'relative_humidity_2m',
            hours: 24n,
            with_humidity: 24n,
          },
          {
            timezone: 'America/Sao_Paulo',
            humidity_field: 'relativehumidity_2m',
            hours: 24n,
            with_humidity: 23n,
          },
        ],
      );

      // Every vault row names the payload it was loaded from.
      const [source] = await query<{ record_source: string }>(
        `SELECT s.record_source FROM vault.sat_earthquake s JOIN vault.hub_earthquake h USING (hk_earthquake)
       WHERE h.earthquake_id = '${REVISED_QUAKE}'`,
      );
      assert.match(
        source!.record_source,
        /^usgs\/earthquakes\/load_date=2030-03-01\/20300301T\d{9}Z_[0-9a-f]{16}\.json\.gz$/,
      );
    });

    test('day 2: extracting and building the same data again adds no vault row', async () => {
      const before = await counts('vault', VAULT);
      await extract('2030-03-02T08:00:00Z');
      await build('2030-03-02T08:00:00Z');
      assert.deepEqual(await counts('vault', VAULT), before);
      const staged = await counts('staging', ['stg_usgs__earthquakes']);
      assert.equal(staged.stg_usgs__earthquakes, 28, 'staging keeps both landings of both feeds');
    });

    test('day 3: a revised USGS magnitude adds one satellite row and shows from that day on', async () => {
      const before = await counts('vault', VAULT);
      const feed = cassetteBody(
        'usgs/earthquakes-feed-v1-0-summary-all-day-geojson_ca0fc50b23135d69.json',
      ) as {
        features: { id: string; properties: { mag: number; updated: number } }[];
      };
      const quake = feed.features.find((f) => f.id === REVISED_QUAKE);
      assert.ok(quake, `${REVISED_QUAKE} is in the all_day cassette`);
      assert.equal(quake.properties.mag, 4.6);
      quake.properties.mag = 4.9;
      quake.properties.updated += 3_600_000;
      const key = await land('2030-03-03T08:00:00Z', feed, 'usgs', 'earthquakes');
      await build('2030-03-03T08:00:00Z');

      const afterRevision = await counts('vault', VAULT);
      const changed = Object.keys(afterRevision).filter((n) => afterRevision[n] !== before[n]);
      assert.deepEqual(changed.sort(), ['pit_earthquake_day', 'sat_earthquake']);
      assert.equal(afterRevision.sat_earthquake! - before.sat_earthquake!, 1);
      assert.equal(
        afterRevision.pit_earthquake_day! - before.pit_earthquake_day!,
        13,
        'one new snapshot of all 13 events',
      );

      const versions = await query<{ magnitude: number; record_source: string }>(
        `SELECT s.magnitude, s.record_source FROM vault.sat_earthquake s JOIN vault.hub_earthquake h USING (hk_earthquake)
       WHERE h.earthquake_id = '${REVISED_QUAKE}' ORDER BY s.load_ts`,
      );
      assert.deepEqual(
        versions.map((v) => v.magnitude),
        [4.6, 4.9],
      );
      assert.equal(versions[1]!.record_source, key, 'the new version names the landed revision');

      const pit = await query<{ day: string; magnitude: number }>(
        `SELECT CAST(CAST(p.as_of_ts AS DATE) AS VARCHAR) AS day, s.magnitude
       FROM vault.pit_earthquake_day p
       JOIN vault.hub_earthquake h USING (hk_earthquake)
       JOIN vault.sat_earthquake s ON s.hk_earthquake = p.sat_earthquake_hk
         AND s.load_ts = p.sat_earthquake_load_ts AND s.load_seq = p.sat_earthquake_load_seq
       WHERE h.earthquake_id = '${REVISED_QUAKE}' ORDER BY p.as_of_ts`,
      );
      assert.deepEqual(pit, [
        { day: '2030-03-01', magnitude: 4.6 },
        { day: '2030-03-03', magnitude: 4.9 },
      ]);

      const mart = await query<{
        snapshot: string;
        max_magnitude: number;
        quake_count: bigint;
        is_latest_snapshot: boolean;
      }>(
        `SELECT CAST(snapshot_date AS VARCHAR) AS snapshot, max_magnitude, quake_count, is_latest_snapshot
       FROM marts.earthquakes_daily WHERE event_date = DATE '2025-01-14' ORDER BY snapshot_date`,
      );
      assert.deepEqual(
        mart.map((r) => [r.snapshot, r.max_magnitude, Number(r.quake_count), r.is_latest_snapshot]),
        [
          ['2030-03-01', 4.6, 3, false],
          ['2030-03-02', 4.6, 3, false],
          ['2030-03-03', 4.9, 3, true],
        ],
      );
    });

    test('day 4: a later World Bank release keeps both versions and the mart shows the newest', async () => {
      const before = await counts('vault', VAULT);
      // South Africa's population, page 1, as a later release would send it: 2022 and 2023 revised.
      const release = cassetteBody(
        'worldbank/v2-country-za-indicator-sp-pop-totl-format-json-date-2015-2024-per-page-5-page-1_b3e9953a60cd2d6d.json',
      ) as [{ lastupdated: string }, { date: string; value: number | null }[]];
      release[0].lastupdated = '2026-10-28';
      const revised: Record<string, number> = { '2023': 63212384, '2022': 62378410 };
      for (const row of release[1]) if (row.date in revised) row.value = revised[row.date]!;
      await land('2030-03-04T08:00:00Z', release, 'worldbank', 'indicators');
      await build('2030-03-04T08:00:00Z');

      const afterRelease = await counts('vault', VAULT);
      // 2022 and 2023 revised; the page's three other years restated under the new release date (the
      // satellite's effective_from, an attribute: a new release is a new version of each value).
      assert.equal(
        afterRelease.sat_country_indicator_values! - before.sat_country_indicator_values!,
        5,
        '2022 and 2023 revised, three years restated under the new release',
      );
      assert.equal(afterRelease.link_country_indicator, before.link_country_indicator);
      const versions = await query<{ year: string; indicator_value: number }>(
        `SELECT p.period AS year, s.indicator_value
       FROM vault.sat_country_indicator_values s
       JOIN vault.link_country_indicator l USING (hk_country_indicator)
       JOIN vault.hub_country c ON c.hk_country = l.hk_country
       JOIN vault.hub_indicator i ON i.hk_indicator = l.hk_indicator
       JOIN vault.hub_period p ON p.hk_period = l.hk_period
       WHERE c.country_code = 'ZA' AND i.indicator_code = 'SP.POP.TOTL' AND p.period IN ('2022', '2023')
       ORDER BY p.period, s.load_ts`,
      );
      assert.deepEqual(
        versions.map((v) => [v.year, v.indicator_value]),
        [
          ['2022', 61502603],
          ['2022', 62378410],
          ['2023', 62649000],
          ['2023', 63212384],
        ],
      );
      const mart = await query<{ year: number; population: bigint }>(
        `SELECT year, population FROM marts.population_by_country_year WHERE country_code = 'ZA' AND year IN (2021, 2022, 2023) ORDER BY year`,
      );
      assert.deepEqual(
        mart.map((r) => [r.year, Number(r.population)]),
        [
          [2021, 59392255],
          [2022, 62378410],
          [2023, 63212384],
        ],
      );

      // The release before it lands again later (a slow or replayed extract): an older lastupdated.
      // The satellite keeps it as a version; the PIT and the mart stay on the newest release.
      const older = cassetteBody(
        'worldbank/v2-country-za-indicator-sp-pop-totl-format-json-date-2015-2024-per-page-5-page-1_b3e9953a60cd2d6d.json',
      ) as [{ lastupdated: string }, unknown[]];
      older[0].lastupdated = '2026-01-15';
      await land('2030-03-04T12:00:00Z', older, 'worldbank', 'indicators');
      await build('2030-03-04T12:00:00Z');
      const afterOld = await counts('vault', VAULT);
      assert.equal(afterOld.sat_country_indicator_values! - afterRelease.sat_country_indicator_values!, 5);
      const stillNewest = await query<{ year: number; population: bigint }>(
        `SELECT year, population FROM marts.population_by_country_year WHERE country_code = 'ZA' AND year IN (2022, 2023) ORDER BY year`,
      );
      assert.deepEqual(
        stillNewest.map((r) => [r.year, Number(r.population)]),
        [
          [2022, 62378410],
          [2023, 63212384],
        ],
        'a vintage landed late does not revert the revised values',
      );
    });

    test('day 5: older and partial formats build with NULLs, and a null key blocks nothing', async () => {
      const now = '2030-03-05T08:00:00Z';
      const before = await counts('vault', VAULT);
      // A World Bank page in the format of a few years ago: numbers in strings, no countryiso3code,
      // unit or obs_status, no lastupdated in the page meta.
      const worldbank = await land(
        now,
        [
          { page: 1, pages: 1, per_page: '50', total: 1 },
          [
            {
              indicator: { id: 'SP.POP.TOTL', value: 'Population, total' },
              country: { id: 'BW', value: 'Botswana' },
              value: '2205076',
              decimal: '0',
              date: '2014',
            },
          ],
        ],
        'worldbank',
        'indicators',
      );
      // A commit from before GitHub recorded signatures: no commit.verification; no account (author null).
      const oldSha = '1111111111111111111111111111111111111111';
      await land(
        now,
        [
          {
            sha: oldSha,
            commit: {
              author: { name: 'Old Timer', email: 'Old@Example.com', date: '2009-02-01T10:00:00Z' },
              committer: { name: 'Old Timer', email: 'old@example.com', date: '2009-02-01T10:00:00Z' },
              message: 'Initial import\n\nFrom the old repository.',
            },
            url: `https://api.github.com/repos/octocat/Hello-World/commits/${oldSha}`,
            html_url: `https://github.com/octocat/Hello-World/commit/${oldSha}`,
            author: null,
            committer: null,
            parents: [],
          },
        ],
        'github',
        'commits',
      );
      // An Open-Meteo answer asked without daily variables: no `daily` at all.
      const weather = await land(
        now,
        {
          latitude: -26.25,
          longitude: 28.0,
          utc_offset_seconds: 7200,
          timezone: 'Africa/Johannesburg',
          timezone_abbreviation: 'SAST',
          elevation: 1753.0,
          hourly_units: {
            time: 'iso8601',
            temperature_2m: '°C',
            relative_humidity_2m: '%',
            precipitation: 'mm',
          },
          hourly: {
            time: ['2025-01-16T00:00', '2025-01-16T01:00'],
            temperature_2m: [18.1, 17.5],
            relative_humidity_2m: [80, 83],
            precipitation: [0.0, 0.2],
          },
        },
        'weather',
        'forecast',
      );
      // A launch as the v4 query API answers with `populate`: rocket and launchpad are objects.
      await land(
        now,
        [
          {
            id: '6f0000000000000000000001',
            name: 'Populated',
            flight_number: 500,
            rocket: { id: '5e9d0d95eda69973a809d1ec', name: 'Falcon 9' },
            launchpad: { id: '5e9e4501f509094ba4566f84', name: 'CCSFS SLC 40' },
            date_utc: '2030-06-01T00:00:00.000Z',
            date_precision: 'month',
            success: null,
            upcoming: true,
            details: null,
            failures: [],
          },
        ],
        'spacex',
        'launches',
      );
      // A USGS feed whose first feature has lost its id.
      const feed = cassetteBody(
        'usgs/earthquakes-feed-v1-0-summary-significant-week-geojson_cb687321ac2c4d4a.json',
      ) as {
        features: { id: string | null }[];
      };
      feed.features[0]!.id = null;
      const usgs = await land(now, feed, 'usgs', 'earthquakes');

      await build(now, ['not_null_stg_usgs__earthquakes_earthquake_id']);

      // The null key: a stored warning naming the payload; the vault skipped the row, the other event flowed.
      const failing = await query<{ _landing_key: string }>(
        `SELECT _landing_key FROM vaultline_test_failures.not_null_stg_usgs__earthquakes_earthquake_id`,
      );
      assert.deepEqual(
        failing.map((r) => r._landing_key),
        [usgs],
      );
      const after = await counts('vault', VAULT);
      assert.equal(after.hub_earthquake, before.hub_earthquake);
      assert.equal(after.sat_earthquake, before.sat_earthquake);

      // World Bank, old format: the missing fields are NULL, the string value a number, in the mart.
      assert.deepEqual(
        await query(
          `SELECT country_iso3, unit, obs_status, release_date, indicator_value, decimals, _landing_key
         FROM staging.stg_worldbank__indicators WHERE country_code = 'BW'`,
        ),
        [
          {
            country_iso3: null,
            unit: null,
            obs_status: null,
            release_date: null,
            indicator_value: 2205076,
            decimals: 0,
            _landing_key: worldbank,
          },
        ],
      );
      const population = await query<{ year: number; population: bigint; country_name: string }>(
        `SELECT year, population, country_name FROM marts.population_by_country_year WHERE country_code = 'BW'`,
      );
      assert.deepEqual(
        population.map((r) => [r.year, Number(r.population), r.country_name]),
        [[2014, 2205076, 'Botswana']],
      );
      assert.equal(after.hub_country! - before.hub_country!, 1);
      assert.equal(after.link_country_indicator! - before.link_country_indicator!, 1);

      // GitHub: no verification and no account are NULLs, not errors; the commit is counted by email.
      assert.deepEqual(
        await query(
          `SELECT s.is_verified, s.verification_reason, s.author_login, s.author_email, s.parent_count
         FROM vault.sat_commit_meta s JOIN vault.hub_commit h USING (hk_commit) WHERE h.commit_sha = '${oldSha}'`,
        ),
        [
          {
            is_verified: null,
            verification_reason: null,
            author_login: null,
            author_email: 'old@example.com',
            parent_count: 0,
          },
        ],
      );
      const commits = await query<{ commits: bigint; verified_commits: bigint }>(
        `SELECT commits, verified_commits FROM marts.commits_daily WHERE commit_date = DATE '2009-02-01' AND author = 'old@example.com'`,
      );
      assert.deepEqual(
        commits.map((r) => [Number(r.commits), Number(r.verified_commits)]),
        [[1, 0]],
      );

      // Open-Meteo without daily: its hours are read, its days are simply none.
      const [days] = await query<{ n: bigint }>(
        `SELECT count(*) AS n FROM staging.stg_weather__daily WHERE _landing_key = '${weather}'`,
      );
      assert.equal(Number(days!.n), 0);
      const weatherDay = await query<{ hours: bigint; temperature_max_c: number }>(
        `SELECT hours, temperature_max_c FROM marts.weather_daily WHERE location_label = 'Johannesburg' AND local_date = DATE '2025-01-16'`,
      );
      assert.deepEqual(
        weatherDay.map((r) => [Number(r.hours), r.temperature_max_c]),
        [[2, 18.1]],
      );

      // SpaceX populated references: the rocket's id, so no new hub_rocket key and a mart row for Falcon 9.
      assert.equal(after.hub_rocket, before.hub_rocket);
      assert.equal(after.hub_launchpad, before.hub_launchpad);
      const launches = await query<{ launches: bigint; upcoming: bigint }>(
        `SELECT launches, upcoming FROM marts.launches_by_year WHERE launch_year = 2030 AND rocket_name = 'Falcon 9'`,
      );
      assert.deepEqual(
        launches.map((r) => [Number(r.launches), Number(r.upcoming)]),
        [[1, 1]],
      );
    });

    test('day 6: a payload committed after a newer one (older load_ts) reaches hub, satellite and PIT', async () => {
      const feed = cassetteBody(
        'usgs/earthquakes-feed-v1-0-summary-all-day-geojson_ca0fc50b23135d69.json',
      ) as {
        features: { id: string; properties: Record<string, unknown> }[];
      };
      const template = feed.features[0]!;
      const event = (id: string, mag: number, updated: number) => ({
        ...template,
        id,
        properties: { ...template.properties, mag, updated, code: id },
      });
      // Extract A starts at 06:00 but its upload is slow; extract B starts at 08:00 and commits first.
      const newer = { ...feed, features: [event('late0002', 3.1, 1_900_000_000_000)] };
      await land('2030-03-06T08:00:00Z', newer, 'usgs', 'earthquakes');
      // Day 5's record without an id still makes its staging test warn.
      await build('2030-03-06T08:30:00Z', ['not_null_stg_usgs__earthquakes_earthquake_id']);
      const older = {
        ...feed,
        features: [event('late0001', 2.2, 1_899_990_000_000), event('late0002', 2.9, 1_899_990_000_000)],
      };
      const key = await land('2030-03-06T06:00:00Z', older, 'usgs', 'earthquakes');
      await build('2030-03-06T09:00:00Z', ['not_null_stg_usgs__earthquakes_earthquake_id']);

      const versions = await query<{ id: string; magnitude: number; record_source: string }>(
        `SELECT h.earthquake_id AS id, s.magnitude, s.record_source FROM vault.sat_earthquake s
       JOIN vault.hub_earthquake h USING (hk_earthquake)
       WHERE h.earthquake_id IN ('late0001', 'late0002') ORDER BY 1, s.load_ts`,
      );
      assert.deepEqual(
        versions.map((v) => [v.id, v.magnitude]),
        [
          ['late0001', 2.2],
          ['late0002', 2.9],
          ['late0002', 3.1],
        ],
        'the late payload is in the vault, both versions of late0002 kept',
      );
      assert.ok(versions.filter((v) => v.record_source === key).length === 2);
      // The newest snapshot shows the newest revision by USGS's own clock, and the late event.
      const pit = await query<{ id: string; magnitude: number }>(
        `SELECT h.earthquake_id AS id, s.magnitude FROM vault.pit_earthquake_day p
       JOIN vault.hub_earthquake h USING (hk_earthquake)
       JOIN vault.sat_earthquake s ON s.hk_earthquake = p.sat_earthquake_hk
         AND s.load_ts = p.sat_earthquake_load_ts AND s.load_seq = p.sat_earthquake_load_seq
       WHERE h.earthquake_id IN ('late0001', 'late0002')
         AND p.as_of_ts = (SELECT max(as_of_ts) FROM vault.pit_earthquake_day) ORDER BY 1`,
      );
      assert.deepEqual(
        pit.map((r) => [r.id, r.magnitude]),
        [
          ['late0001', 2.2],
          ['late0002', 3.1],
        ],
      );
    });
  });
