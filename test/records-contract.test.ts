/**
 * The records layer end to end through bin/vaultline.js: a typed source contract (missing fields,
 * type changes, rejects naming key, record index and value), payloads that cannot be read
 * (corrupt in the store, 100k deep, a value a `on_error: fail` column refuses) quarantined without
 * blocking the next payload, release, an empty source, and exit codes that tell the truth.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { describeRun, vaultline } from './helpers/cli.ts';
import { warehouseQuery } from './helpers/warehouse.ts';

const SOURCES = (extra: { failOnTime?: boolean; maxRejects?: number } = {}) => `version: 2
sources:
  - name: usgs
    tables:
      - name: earthquakes
        records: "$.features[*]"
${extra.maxRejects !== undefined ? `        max_rejects: ${extra.maxRejects}\n` : ''}        columns:
          - {name: id, data_type: text}
          - {name: magnitude, path: properties.mag, data_type: double}
          - {name: event_time, path: properties.time, data_type: timestamp, format: epoch_ms${extra.failOnTime ? ', on_error: fail' : ''}}
          - {name: felt, path: properties.felt, data_type: integer}
          - {name: depth_km, path: "geometry.coordinates[2]", data_type: double}
          - {name: feed_title, document_path: metadata.title, data_type: text}
  - name: spacex
    tables:
      - name: launches
        records: "$[*]"
        columns:
          - {name: id, data_type: text}
          - {name: rocket_id, path: [rocket.id, rocket], data_type: text}
`;

const feature = (id: unknown, properties: Record<string, unknown>, depth: unknown = 10) => ({
  type: 'Feature',
  properties,
  geometry: { type: 'Point', coordinates: [1, 2, depth] },
  id,
});
const feed = (title: string, ...features: unknown[]) =>
  JSON.stringify({ type: 'FeatureCollection', metadata: { title }, features });

describe('records layer: the source contract, quarantine and exit codes', () => {
  let dir = '';
  const cli = (...args: string[]) => vaultline(args, { cwd: dir });
  const query = warehouseQuery(() => dir);
  let n = 0;
  const land = async (source: string, resource: string, body: string | Buffer) => {
    const file = join(dir, `payload-${++n}.json`);
    writeFileSync(file, body);
    const run = await cli('land', file, '--source', source, '--resource', resource);
    assert.equal(run.code, 0, describeRun(run));
    return run.out.trim();
  };

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'vaultline-contract-'));
    writeFileSync(join(dir, 'vaultline.yml'), 'name: contract_test\n');
    mkdirSync(join(dir, 'models'));
    writeFileSync(join(dir, 'models/_sources.yml'), SOURCES());
    writeFileSync(
      join(dir, 'models/stg_quakes.sql'),
      "{{ config(materialized='incremental') }}\nselect id, magnitude, event_time, felt, depth_km, feed_title, _landing_key, _record_index from {{ source('usgs', 'earthquakes') }}\n",
    );
    writeFileSync(
      join(dir, 'models/stg_launches.sql'),
      "{{ config(materialized='incremental') }}\nselect id, rocket_id, _landing_key from {{ source('spacex', 'launches') }}\n",
    );
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('typed columns: missing fields are NULL, numeric strings convert, bad values are rejected by key and index', async () => {
    const key = await land(
      'usgs',
      'earthquakes',
      feed(
        'USGS All Earthquakes, Past Day',
        feature('a', { mag: 1.5, time: 1732000000123, felt: 3 }),
        feature('b', { mag: '4.5', time: 1732000000000 }), // felt missing; mag a numeric string
        feature('c', { mag: 'n/a', time: 1732000000000, felt: 5.5 }), // two rejects
        feature(12345, { mag: null, time: 1732000000000 }, 'DEPTH'), // id a number; depth out of range
      ).replace('"DEPTH"', '1e400'),
    );
    const run = await cli('build');
    assert.equal(run.code, 1, describeRun(run));
    assert.match(run.out, /source usgs\.earthquakes: 3 value\(s\) rejected/);
    assert.match(
      run.out,
      new RegExp(
        `${key.replaceAll('.', '\\.')} record 2, magnitude \\(properties\\.mag\\): not a number: "n/a"`,
      ),
    );
    assert.match(run.out, /3 rejected value\(s\) \(max_rejects: 0\): the run fails/);
    assert.match(
      run.stderr,
      /no payload landed under spacex\/launches\/ yet .*run `vaultline extract spacex`/,
    );
    const rows = await query(
      'select id, magnitude, event_time, felt, depth_km, feed_title, _record_index from main.stg_quakes order by _record_index',
    );
    assert.deepEqual(
      rows.map((r) => [
        r.id,
        r.magnitude,
        (r.event_time as Date | null)?.toISOString() ?? null,
        r.felt,
        r.depth_km,
        r.feed_title,
      ]),
      [
        ['a', 1.5, '2024-11-19T07:06:40.123Z', 3, 10, 'USGS All Earthquakes, Past Day'],
        ['b', 4.5, '2024-11-19T07:06:40.000Z', null, 10, 'USGS All Earthquakes, Past Day'],
        ['c', null, '2024-11-19T07:06:40.000Z', null, 10, 'USGS All Earthquakes, Past Day'],
        ['12345', null, '2024-11-19T07:06:40.000Z', null, null, 'USGS All Earthquakes, Past Day'],
      ],
    );
    const rejects = await query(
      'select landing_key, record_index, column_name, json_path, data_type, raw_value, reason from vaultline_meta.rejects order by record_index, column_name',
    );
    assert.deepEqual(
      rejects.map((r) => [
        r.landing_key,
        Number(r.record_index),
        r.column_name,
        r.json_path,
        r.data_type,
        r.raw_value,
      ]),
      [
        [key, 2, 'felt', 'properties.felt', 'integer', '5.5'],
        [key, 2, 'magnitude', 'properties.mag', 'double', 'n/a'],
        [key, 3, 'depth_km', 'geometry.coordinates[2]', 'double', '1e400'],
      ],
    );
    const [object] = await query(
      "select missing, record_count, reject_count from vaultline_meta.raw_objects where source_unique_id like '%usgs%'",
    );
    assert.deepEqual(JSON.parse(String(object!.missing)), { felt: 2 });
    assert.equal(Number(object!.record_count), 4);
    // The empty source built empty, with its declared columns.
    const launches = await query(
      "select column_name, data_type from information_schema.columns where table_name = 'stg_launches' order by ordinal_position",
    );
    assert.deepEqual(
      launches.map((c) => [c.column_name, c.data_type]),
      [
        ['id', 'VARCHAR'],
        ['rocket_id', 'VARCHAR'],
        ['_landing_key', 'VARCHAR'],
      ],
    );
  });

  test('the next build with nothing new exits 0 (the rejects were reported by the run that met them)', async () => {
    const run = await cli('build');
    assert.equal(run.code, 0, describeRun(run));
  });

  test('a tolerance lets a run with few rejects succeed', async () => {
    writeFileSync(join(dir, 'models/_sources.yml'), SOURCES({ maxRejects: 5 }));
    await land('usgs', 'earthquakes', feed('t', feature('d', { mag: 'x', time: 1 })));
    const run = await cli('build');
    assert.equal(run.code, 0, describeRun(run));
    assert.match(run.out, /WARN source usgs\.earthquakes: 1 value\(s\) rejected/);
  });

  test('corrupt, 100k-deep and refused payloads are quarantined; the next good payload still flows', async () => {
    writeFileSync(join(dir, 'models/_sources.yml'), SOURCES({ failOnTime: true }));
    const corrupt = await land('usgs', 'earthquakes', feed('t', feature('corrupt', { mag: 1 })));
    const path = join(dir, '.vaultline/raw', corrupt);
    const bytes = readFileSync(path);
    bytes[bytes.length - 12] = (bytes[bytes.length - 12]! + 1) % 256; // damage the gzip body
    writeFileSync(path, bytes);
    const deep = await land(
      'usgs',
      'earthquakes',
      `{"features":[${'['.repeat(100_000)}${']'.repeat(100_000)}]}`,
    );
    const refused = await land(
      'usgs',
      'earthquakes',
      feed('t', feature('late', { mag: 1, time: 'yesterday' })),
    );
    const good = await land(
      'usgs',
      'earthquakes',
      feed('t', feature('good', { mag: 2, time: 1732000000000 })),
    );
    const run = await cli('build');
    assert.equal(run.code, 1, describeRun(run));
    assert.match(run.out, /3 payload\(s\) quarantined by this run/);
    assert.match(run.out, new RegExp(`${corrupt.replaceAll('.', '\\.')}: the stored body`));
    assert.match(
      run.out,
      new RegExp(`${deep.replaceAll('.', '\\.')}: too deeply nested: .* at \\$\\.features`),
    );
    assert.match(run.out, new RegExp(`${refused.replaceAll('.', '\\.')}: record 0, column event_time`));
    const ids = await query('select id from main.stg_quakes where _landing_key = ' + `'${good}'`);
    assert.deepEqual(ids, [{ id: 'good' }]);

    const listed = await cli('landing', 'quarantine', '--json');
    assert.equal(listed.code, 0, describeRun(listed));
    const entries = JSON.parse(listed.out) as { key: string; reason: string }[];
    assert.deepEqual(entries.map((e) => e.key).sort(), [corrupt, deep, refused].sort());

    const again = await cli('build');
    assert.equal(again.code, 0, describeRun(again));
    assert.match(again.out, /3 payload\(s\) still in quarantine/);
  });

  test('released after the contract is fixed, a payload is read on the next build', async () => {
    const entries = JSON.parse((await cli('landing', 'quarantine', '--json')).out) as {
      key: string;
      reason: string;
    }[];
    const refused = entries.find((e) => e.reason.includes('on_error: fail'))!.key;
    writeFileSync(join(dir, 'models/_sources.yml'), SOURCES({ maxRejects: 5 }));
    const release = await cli('landing', 'release', refused);
    assert.equal(release.code, 0, describeRun(release));
    const run = await cli('build');
    assert.equal(run.code, 0, describeRun(run));
    const rows = await query(`select id, event_time from main.stg_quakes where _landing_key = '${refused}'`);
    assert.deepEqual(rows, [{ id: 'late', event_time: null }]);
    const left = JSON.parse((await cli('landing', 'quarantine', '--json')).out) as unknown[];
    assert.equal(left.length, 2);
  });

  test('references come as an id or a populated object', async () => {
    await land(
      'spacex',
      'launches',
      JSON.stringify([
        { id: 'l1', rocket: '5e9d0d95eda69973a809d1ec' },
        { id: 'l2', rocket: { id: '5e9d0d95eda69974db09d1ed', name: 'Falcon Heavy' } },
      ]),
    );
    const run = await cli('build', '--select', 'stg_launches');
    assert.equal(run.code, 0, describeRun(run));
    assert.deepEqual(await query('select id, rocket_id from main.stg_launches order by id'), [
      { id: 'l1', rocket_id: '5e9d0d95eda69973a809d1ec' },
      { id: 'l2', rocket_id: '5e9d0d95eda69974db09d1ed' },
    ]);
  });
});
