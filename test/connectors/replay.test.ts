import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { CONNECTORS } from '../../src/connectors/registry.ts';
import type { Cassette } from '../../src/connectors/sdk/cassette.ts';
import { cassetteFileName } from '../../src/connectors/sdk/cassette.ts';
import { prepareJob } from '../../src/connectors/sdk/prepare.ts';
import { summarize } from '../../src/connectors/sdk/report.ts';
import { runJob } from '../../src/connectors/sdk/run.ts';
import { LocalStore } from '../../src/landing/local-store.ts';
import { BUNDLED, exampleConnectorsYaml, extract, tempProject } from './helpers.ts';

const cleanups: (() => Promise<void>)[] = [];
after(() => Promise.all(cleanups.map((c) => c())));

const noNetwork = (async () => {
  throw new Error('replay must not touch the network');
}) as unknown as typeof fetch;

/** What the bundled cassettes hold for the example's configuration (first run). */
const EXPECTED: Record<string, { objects: number; records: number }> = {
  worldbank: { objects: 12, records: 60 },
  weather: { objects: 2, records: 50 },
  wikimedia: { objects: 3, records: 20 },
  github: { objects: 2, records: 8 },
  openaq: { objects: 2, records: 8 },
  usgs: { objects: 2, records: 14 },
  spacex: { objects: 3, records: 18 },
};

describe('replaying the bundled cassettes', () => {
  it('extracts all seven sources with no network and no environment, twice (github incrementally)', async () => {
    const project = await tempProject(await exampleConnectorsYaml());
    cleanups.push(project.cleanup);
    const store = new LocalStore(join(project.dir, 'raw'));
    const run = async (runId: string) => {
      const rows: Record<string, { objects: number; records: number; failures: number }> = {};
      for (const connector of CONNECTORS) {
        const prepared = prepareJob(connector, {
          config: project.config,
          flags: {},
          env: {},
          cwd: project.dir,
        });
        assert.deepEqual(prepared.problems, [], connector.name);
        assert.equal(prepared.job!.mode.kind, 'replay');
        const row = summarize(await runJob(prepared.job!, { store, runId, fetchImpl: noNetwork }));
        rows[connector.name] = { objects: row.objects, records: row.records, failures: row.failures };
      }
      return rows;
    };
    const first = await run('run-1');
    for (const [source, expected] of Object.entries(EXPECTED))
      assert.deepEqual(first[source], { ...expected, failures: 0 }, source);
    const second = await run('run-2');
    assert.deepEqual(
      second.github,
      { objects: 1, records: 1, failures: 0 },
      'since = newest commit date landed by run 1',
    );
    assert.deepEqual(second.worldbank, first.worldbank);
  });

  it('fails a request with no cassette, naming its URL, and lands nothing for it', async () => {
    const project = await tempProject('');
    cleanups.push(project.cleanup);
    const worldbank = CONNECTORS.find((c) => c.name === 'worldbank')!;
    const { report } = await extract(worldbank, {
      flags: {
        indicators: ['SP.POP.TOTL'],
        countries: ['FR'],
        date: '2015:2024',
        per_page: '5',
        replay: BUNDLED,
      },
      storeDir: project.dir,
      deps: { fetchImpl: noNetwork },
    });
    assert.equal(report.objects.length, 0);
    assert.match(
      report.failures[0]!.message,
      /no cassette for GET https:\/\/api\.worldbank\.org\/v2\/country\/FR\/indicator\/SP\.POP\.TOTL\?format=json&date=2015:2024&per_page=5&page=1/,
    );
  });
});

describe('the bundled cassette files', () => {
  it('are named by the hash of the request they hold, carry honest sizes and no secrets', async () => {
    let count = 0;
    for (const source of CONNECTORS.map((c) => c.name)) {
      for (const name of await readdir(join(BUNDLED, source))) {
        count++;
        const cassette = JSON.parse(await readFile(join(BUNDLED, source, name), 'utf8')) as Cassette;
        assert.equal(cassette.source, source, name);
        assert.equal(name, cassetteFileName(`GET ${cassette.request.path}`), `${source}/${name}`);
        assert.equal(
          Number(cassette.response.headers['content-length']),
          Buffer.byteLength(cassette.response.body),
          name,
        );
        for (const [header, value] of Object.entries(cassette.request.headers)) {
          if (/key|authorization|token/i.test(header)) assert.equal(value, '***', `${name}: ${header}`);
        }
        assert.doesNotThrow(() => JSON.parse(cassette.response.body), name);
      }
    }
    assert.equal(count, 29);
  });
});
