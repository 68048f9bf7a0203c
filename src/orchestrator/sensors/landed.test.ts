import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { parseConfig } from '../../config/load.ts';
import type { VaultlineConfig } from '../../config/schema.ts';
import { metaInput } from '../../landing/conformance.ts';
import { landingKey } from '../../landing/keys.ts';
import { openLandingStore } from '../../landing/open-store.ts';
import type { LandingStore } from '../../landing/store.ts';
import type { SensorConfig } from '../config.ts';
import { pollSensor } from './poll.ts';
import { POLL_TIME, runHistory, tempProject } from './test-project.ts';

describe('landed sensor (local landing store)', () => {
  let project: ReturnType<typeof tempProject>;
  let config: VaultlineConfig;
  let store: LandingStore;
  beforeEach(() => {
    project = tempProject();
    const parsed = parseConfig('name: demo\n', { file: 'vaultline.yml', projectDir: project.dir, env: {} });
    assert.ok(parsed.config);
    config = parsed.config;
    store = openLandingStore(config);
  });
  afterEach(() => project.remove());

  let minute = 0;
  async function land(source: string, resource: string): Promise<string> {
    const loadTs = new Date(Date.UTC(2026, 2, 1, 10, minute++));
    const request = { method: 'GET', url: `https://api.example.com/${resource}?page=${minute}` };
    const key = landingKey({ source, resource, loadTs, request });
    await store.put(key, Buffer.from(`{"n":${minute}}`), metaInput({ source, resource, loadTs, request }));
    return key;
  }

  const sensor = (landed: SensorConfig['landed'], pattern?: string): SensorConfig => ({
    job: 'build',
    landed,
    ...(pattern ? { pattern } : {}),
    interval: 30_000,
    enabled: true,
  });

  test('each newly landed object of the source starts one run; sidecars and state never do', async () => {
    const history = runHistory();
    const deps = (seconds: number) => ({
      projectDir: project.dir,
      config,
      stateDir: project.stateDir,
      now: new Date(POLL_TIME.getTime() + seconds * 1000),
      trigger: history.trigger,
      alreadyTriggered: history.alreadyTriggered,
    });
    const watched = sensor({ source: 'usgs' });
    const first = [await land('usgs', 'earthquakes'), await land('usgs', 'stations')];
    await land('other', 'earthquakes');
    await store.putState('usgs/earthquakes', { cursor: 1 });
    const one = await pollSensor('quakes', watched, deps(0));
    assert.equal(one.error, undefined);
    assert.deepEqual(
      one.newItems.map((item) => item.path),
      first.sort(),
    );
    for (const item of one.newItems) {
      assert.equal(item.etag, item.path);
      assert.ok(item.size > 0);
    }

    assert.deepEqual((await pollSensor('quakes', watched, deps(30))).newItems, []);
    const later = await land('usgs', 'earthquakes');
    assert.deepEqual(
      (await pollSensor('quakes', watched, deps(60))).newItems.map((item) => item.path),
      [later],
    );
    assert.equal(history.runs.length, 3);
  });

  test('a resource narrows it, and the pattern matches below the source', async () => {
    const quakes = await land('usgs', 'earthquakes');
    const stations = await land('usgs', 'stations');
    const history = runHistory();
    const deps = {
      projectDir: project.dir,
      config,
      stateDir: project.stateDir,
      now: POLL_TIME,
      trigger: history.trigger,
    };
    const byResource = await pollSensor('r', sensor({ source: 'usgs', resource: 'earthquakes' }), deps);
    assert.deepEqual(
      byResource.newItems.map((item) => item.path),
      [quakes],
    );
    const byPattern = await pollSensor('p', sensor({ source: 'usgs' }, 'stations/**'), deps);
    assert.deepEqual(
      byPattern.newItems.map((item) => item.path),
      [stations],
    );
  });
});
