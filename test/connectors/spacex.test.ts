import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { after, describe, it } from 'node:test';
import { connector } from '../../src/connectors/spacex/connector.ts';
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
