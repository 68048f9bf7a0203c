import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { after, describe, it } from 'node:test';
import { prepareJob } from '../../src/connectors/sdk/prepare.ts';
import { connector } from '../../src/connectors/weather/connector.ts';
import {
  cassetteServer,
  extract,
  landed,
  startServer,
  type TestServer,
  tempDir,
  tempProject,
} from './helpers.ts';

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

const LOCATIONS = `connectors:
  weather:
    start_date: "2025-01-15"
    end_date: "2025-01-15"
    hourly: [temperature_2m, relative_humidity_2m, precipitation]
    daily: [temperature_2m_max, temperature_2m_min, precipitation_sum]
    locations:
      - { name: johannesburg, latitude: -26.2041, longitude: 28.0473, timezone: Africa/Johannesburg }
      - { name: sao_paulo, latitude: -23.5505, longitude: -46.6333, timezone: America/Sao_Paulo, hourly: [temperature_2m, relativehumidity_2m, precipitation] }
`;

describe('weather (Open-Meteo) connector', () => {
  it('lands one forecast per configured location, old and new field names alike', async () => {
    const project = await tempProject(LOCATIONS);
    cleanups.push(project.cleanup);
    const server = track(await cassetteServer('weather'));
    const { report, store } = await extract(connector, {
      config: project.config,
      flags: { base_url: server.url },
      storeDir: project.dir,
    });
    assert.deepEqual(report.failures, []);
    assert.deepEqual(report.warnings, []);
    assert.deepEqual(
      report.objects.map((o) => o.records),
      [25, 25],
      '24 hourly steps + 1 day each',
    );
    assert.equal(
      server.requests[0]!.url,
      '/v1/forecast?latitude=-26.2041&longitude=28.0473&hourly=temperature_2m,relative_humidity_2m,precipitation&daily=temperature_2m_max,temperature_2m_min,precipitation_sum&timezone=Africa%2FJohannesburg&start_date=2025-01-15&end_date=2025-01-15',
    );
    const [jhb, sp] = (await landed(store)).map(({ meta, body }) => {
      assert.ok(body.equals(server.bodies.get(meta.request.url.slice(server.url.length))!));
      return { text: body.toString(), json: JSON.parse(body.toString()) };
    });
    assert.equal(jhb!.json.latitude, -26.25, 'snapped to the grid');
    assert.match(jhb!.text, /"longitude":28\.0,/, 'numbers kept as the API wrote them');
    assert.equal(jhb!.json.utc_offset_seconds, 7200);
    assert.ok('relative_humidity_2m' in jhb!.json.hourly);
    assert.ok('relativehumidity_2m' in sp!.json.hourly);
    assert.equal(sp!.json.utc_offset_seconds, -10800);
    assert.equal(sp!.json.hourly.relativehumidity_2m.at(-1), null);
    assert.equal(jhb!.json.hourly.time.length, jhb!.json.hourly.temperature_2m.length);
  });

  it('takes one location from --lat/--lon flags and warns when parallel arrays disagree', async () => {
    const server = track(
      await startServer(() => ({
        body: JSON.stringify({
          hourly: { time: ['2025-01-15T00:00', '2025-01-15T01:00'], temperature_2m: [20.1] },
        }),
      })),
    );
    const { report } = await extract(connector, {
      flags: { latitude: '-26.2041', longitude: '28.0473', hourly: ['temperature_2m'], base_url: server.url },
      storeDir: await dir(),
    });
    assert.equal(
      server.requests[0]!.url,
      '/v1/forecast?latitude=-26.2041&longitude=28.0473&hourly=temperature_2m',
    );
    assert.equal(report.objects[0]!.records, 2);
    assert.match(report.warnings[0]!, /hourly\.temperature_2m has 1 value\(s\) for 2 time step\(s\)/);
  });

  it('reports an unknown config key with its line and a suggestion, and a missing location', async () => {
    const project = await tempProject('connectors:\n  weather:\n    hourley: [temperature_2m]\n');
    cleanups.push(project.cleanup);
    const prepared = prepareJob(connector, { config: project.config, flags: {}, env: {}, cwd: project.dir });
    assert.equal(prepared.diagnostics.length, 1);
    assert.equal(prepared.diagnostics[0]!.line, 4, 'line 1 is name:');
    assert.equal(prepared.diagnostics[0]!.hint, 'did you mean "hourly"?');
    assert.match(prepared.problems.join('\n'), /give a location: --lat and --lon, or `locations:`/);
  });
});
