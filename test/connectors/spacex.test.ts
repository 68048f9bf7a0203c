import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { after, describe, it } from 'node:test';
import { connector } from '../../src/connectors/spacex/connector.ts';
import { crewId, inspect, referenceId } from '../../src/connectors/spacex/records.ts';
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

/** The fields of launches, rockets and launchpads this test follows. */
interface Row {
  id: string;
  name: string;
  rocket: string;
  launchpad: string;
  launches: string[];
  rockets: string[];
  success: boolean | null;
  upcoming: boolean;
}

describe('spacex connector', () => {
  it('lands launches, rockets and launchpads whose id references all resolve', async () => {
    const server = track(await cassetteServer('spacex'));
    const { report, store } = await extract(connector, {
      flags: { base_url: server.url },
      storeDir: await dir(),
    });
    assert.deepEqual(report.failures, []);
    assert.deepEqual(
      report.objects.map((o) => [o.resource, o.records]),
      [
        ['launches', 8],
        ['rockets', 4],
        ['launchpads', 6],
      ],
    );
    const byResource = new Map<string, Row[]>();
    for (const { meta, body } of await landed(store)) {
      assert.ok(body.equals(server.bodies.get(`/v4/${meta.resource}`)!));
      byResource.set(meta.resource, JSON.parse(body.toString()));
    }
    const ids = (resource: string) => new Set(byResource.get(resource)!.map((r) => r.id));
    for (const launch of byResource.get('launches')!) {
      assert.ok(ids('rockets').has(launch.rocket), `launch ${launch.name}: rocket ${launch.rocket}`);
      assert.ok(
        ids('launchpads').has(launch.launchpad),
        `launch ${launch.name}: launchpad ${launch.launchpad}`,
      );
    }
    for (const pad of byResource.get('launchpads')!) {
      for (const launch of pad.launches)
        assert.ok(ids('launches').has(launch), `${pad.name}: launch ${launch}`);
      for (const rocket of pad.rockets)
        assert.ok(ids('rockets').has(rocket), `${pad.name}: rocket ${rocket}`);
    }
    assert.ok(
      byResource.get('launches')!.some((l) => l.success === null && l.upcoming === true),
      'an upcoming launch full of nulls',
    );
  });

  // Real-shaped v4 documents as the query API's `populate` (or a populating mirror) returns them: the
  // referenced documents in place of their ids, mixed with plain ids and nulls.
  const falcon9 = {
    name: 'Falcon 9',
    type: 'rocket',
    active: true,
    stages: 2,
    boosters: 0,
    cost_per_launch: 50000000,
    first_flight: '2010-06-04',
    country: 'United States',
    company: 'SpaceX',
    id: '5e9d0d95eda69973a809d1ec',
  };
  const slc40 = {
    name: 'CCSFS SLC 40',
    full_name: 'Cape Canaveral Space Force Station Space Launch Complex 40',
    locality: 'Cape Canaveral',
    region: 'Florida',
    status: 'active',
    rockets: ['5e9d0d95eda69973a809d1ec'],
    launches: ['5eb87d46ffd86e000604b388'],
    id: '5e9e4501f509094ba4566f84',
  };
  const populatedLaunch = {
    name: 'Crew-1',
    flight_number: 107,
    date_utc: '2020-11-16T00:27:00.000Z',
    upcoming: false,
    success: true,
    rocket: falcon9,
    launchpad: slc40,
    payloads: [
      { name: 'Crew-1', type: 'Crew Dragon', customers: ['NASA (CCP)'], id: '5eb0e4d0b6c3bb0006eeb253' },
    ],
    capsules: ['5e9e2c5df359188aba3b2676'],
    ships: [
      { name: 'GO Navigator', active: true, id: '5ee68c683c228f36bd5809b5' },
      '5ea6ed30080df4000697c913',
    ],
    crew: [
      { name: 'Michael Hopkins', agency: 'NASA', status: 'active', id: '5f7f1543bf32c864a529b23e' },
      '5f7f158bbf32c864a529b23f',
      { crew: '5f7f15d5bf32c864a529b240', role: 'Pilot' },
      { crew: { name: 'Soichi Noguchi', id: '5f7f1614bf32c864a529b241' }, role: 'Mission Specialist' },
    ],
    fairings: null,
    cores: [
      {
        core: { serial: 'B1061', block: 5, status: 'active', reuse_count: 0, id: '5e9e28a7f3591817f23b2663' },
        flight: 1,
        reused: false,
        landing_attempt: true,
        landing_success: true,
        landing_type: 'ASDS',
        landpad: { name: 'OCISLY', full_name: 'Of Course I Still Love You', id: '5e9e3033383ecbb9e534e7cc' },
      },
    ],
    id: '5fd386aa7faea57d297c86c1',
  };
  const upcoming = {
    name: 'USCV-99',
    upcoming: true,
    success: null,
    rocket: '5e9d0d95eda69973a809d1ec',
    launchpad: null,
    payloads: [],
    capsules: [],
    ships: [],
    crew: [],
    fairings: { reused: null, recovery_attempt: null, recovered: null, ships: [] },
    cores: [{ core: null, flight: null, landpad: null }],
    id: '62dd70d5202306255024d139',
  };
  const populatedPad = {
    ...slc40,
    rockets: [falcon9],
    launches: [{ name: 'Crew-1', id: populatedLaunch.id }],
  };

  it('accepts references as id strings or populated objects, without a warning or failure', async () => {
    const bodies: Record<string, string> = {
      '/v4/launches': JSON.stringify([populatedLaunch, upcoming]),
      '/v4/rockets': JSON.stringify([falcon9]),
      '/v4/launchpads': JSON.stringify([populatedPad, slc40]),
    };
    const server = track(await startServer((r) => ({ body: bodies[r.url] ?? '[]' })));
    const { report, store } = await extract(connector, {
      flags: { base_url: server.url },
      storeDir: await dir(),
    });
    assert.deepEqual(report.failures, []);
    assert.deepEqual(report.warnings, []);
    assert.deepEqual(
      report.objects.map((o) => [o.resource, o.records]),
      [
        ['launches', 2],
        ['rockets', 1],
        ['launchpads', 2],
      ],
    );
    for (const { meta, body } of await landed(store))
      assert.equal(body.toString(), bodies[`/v4/${meta.resource}`]);
    // The id is taken from a populated document; a v5 crew entry names its member under `crew`.
    assert.equal(referenceId(populatedLaunch.rocket), '5e9d0d95eda69973a809d1ec');
    assert.equal(referenceId(upcoming.rocket), '5e9d0d95eda69973a809d1ec');
    assert.equal(referenceId(upcoming.launchpad), null);
    assert.deepEqual(populatedLaunch.crew.map(crewId), [
      '5f7f1543bf32c864a529b23e',
      '5f7f158bbf32c864a529b23f',
      '5f7f15d5bf32c864a529b240',
      '5f7f1614bf32c864a529b241',
    ]);
  });

  it('counts the docs of a query-API page, and warns about a reference that is neither id nor document', () => {
    const page = { docs: [populatedLaunch, upcoming], totalDocs: 2, limit: 10, page: 1, totalPages: 1 };
    assert.deepEqual(inspect('launches', page), { records: 2 });
    const broken = { ...upcoming, rocket: 42, cores: [{ core: { serial: 'B1062' } }] };
    const inspection = inspect('launches', [broken]);
    assert.equal(inspection.records, 1);
    assert.match(
      inspection.warning ?? '',
      /^2 reference\(s\) are neither an id string nor an object with an id: \[0\]\.rocket = 42, \[0\]\.cores\[0\]\.core = \{"serial":"B1062"\}$/,
    );
  });

  it('fails one resource on a 404 and still lands the others', async () => {
    const server = track(
      await startServer((r) =>
        r.url === '/v4/rockets' ? { status: 404, body: 'Not Found' } : { body: '[]' },
      ),
    );
    const { report } = await extract(connector, { flags: { base_url: server.url }, storeDir: await dir() });
    assert.equal(report.objects.length, 2);
    assert.deepEqual(
      report.failures.map((f) => [f.unit, f.status]),
      [['rockets', 404]],
    );
    assert.match(
      report.failures[0]!.message,
      /GET http:\/\/127\.0\.0\.1:\d+\/v4\/rockets: HTTP 404: Not Found/,
    );
  });
});
