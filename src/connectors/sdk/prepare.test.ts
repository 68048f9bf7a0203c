import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { tempProject } from '../../../test/connectors/helpers.ts';
import { connector as spacex } from '../spacex/connector.ts';
import { prepareJob } from './prepare.ts';
import { unknownSourceDiagnostics } from './settings.ts';

const cleanups: (() => Promise<void>)[] = [];
after(() => Promise.all(cleanups.map((c) => c())));
async function project(yaml: string) {
  const p = await tempProject(yaml);
  cleanups.push(p.cleanup);
  return p;
}

describe('preparing a source', () => {
  it('takes the base URL from the flag, then VAULTLINE_<SOURCE>_BASE_URL, then vaultline.yml, then the real service', async () => {
    const { config, dir } = await project('connectors:\n  spacex:\n    base_url: http://config.test/\n');
    const base = (flags: Record<string, unknown>, env: Record<string, string>) =>
      prepareJob(spacex, { config, flags, env, cwd: dir }).job!.baseUrl;
    assert.equal(
      base({ base_url: 'http://flag.test' }, { VAULTLINE_SPACEX_BASE_URL: 'http://env.test' }),
      'http://flag.test',
    );
    assert.equal(base({}, { VAULTLINE_SPACEX_BASE_URL: 'http://env.test' }), 'http://env.test');
    assert.equal(base({}, {}), 'http://config.test', 'trailing slash dropped');
    assert.equal(
      prepareJob(spacex, { flags: {}, env: {}, cwd: dir }).job!.baseUrl,
      'https://api.spacexdata.com',
    );
  });

  it('rejects a base URL that is not http(s), naming where it came from', () => {
    const prepared = prepareJob(spacex, {
      flags: {},
      env: { VAULTLINE_SPACEX_BASE_URL: 'ftp://x' },
      cwd: '/',
    });
    assert.match(
      prepared.problems[0]!,
      /^spacex: VAULTLINE_SPACEX_BASE_URL: "ftp:\/\/x" is not an http\(s\) URL/,
    );
  });

  it('resolves replay folders from vaultline.yml against the project, from flags against the working folder', async () => {
    const { config, dir } = await project('connectors:\n  spacex:\n    replay: cassettes\n');
    assert.deepEqual(prepareJob(spacex, { config, flags: {}, env: {}, cwd: '/elsewhere' }).job!.mode, {
      kind: 'replay',
      dir: join(dir, 'cassettes'),
    });
    assert.deepEqual(
      prepareJob(spacex, { config, flags: { replay: 'tapes' }, env: {}, cwd: '/elsewhere' }).job!.mode,
      {
        kind: 'replay',
        dir: '/elsewhere/tapes',
      },
    );
    assert.deepEqual(
      prepareJob(spacex, { config, flags: { record: 'tapes' }, env: {}, cwd: '/w' }).job!.mode,
      { kind: 'record', dir: '/w/tapes' },
      'a --record flag beats replay: in the config',
    );
    assert.match(
      prepareJob(spacex, { flags: { record: 'a', replay: 'b' }, env: {}, cwd: '/' }).problems[0]!,
      /--record and --replay cannot be used together/,
    );
  });

  it('refuses --base-url with replay (from vaultline.yml or --replay): it would be ignored', async () => {
    const { config, dir } = await project('connectors:\n  spacex:\n    replay: cassettes\n');
    const fromConfig = prepareJob(spacex, {
      config,
      flags: { base_url: 'http://127.0.0.1:9' },
      env: {},
      cwd: dir,
    });
    assert.equal(fromConfig.job, undefined);
    assert.match(
      fromConfig.problems.join('\n'),
      /spacex: --base-url cannot be used with replay \(.*vaultline\.yml:\d+ connectors\.spacex\.replay\)/,
    );
    const fromFlag = prepareJob(spacex, {
      flags: { base_url: 'http://127.0.0.1:9', replay: 'tapes' },
      env: {},
      cwd: dir,
    });
    assert.match(fromFlag.problems.join('\n'), /--base-url cannot be used with replay \(--replay\)/);
    // A base URL from the environment or vaultline.yml is a setting, not a request: replay still runs.
    assert.ok(
      prepareJob(spacex, {
        flags: { replay: 'tapes' },
        env: { VAULTLINE_SPACEX_BASE_URL: 'http://x.test' },
        cwd: dir,
      }).job,
    );
  });

  it('names unknown sources and unknown keys with their line and a suggestion', async () => {
    const { config } = await project(
      'connectors:\n  usgs: {}\n  wordbank:\n    countries: [ZA]\n  spacex:\n    resource: [rockets]\n',
    );
    const sources = unknownSourceDiagnostics(config, ['worldbank', 'usgs', 'spacex']);
    assert.deepEqual(
      sources.map((d) => [d.line, d.message, d.hint]),
      [[4, '"wordbank" is not a known source', 'did you mean "worldbank"?']],
    );
    const keys = prepareJob(spacex, { config, flags: {}, env: {}, cwd: '/' }).diagnostics;
    assert.deepEqual(
      keys.map((d) => [d.line, d.message, d.hint]),
      [[7, 'resource is not an option of the spacex connector', 'did you mean "resources"?']],
    );
  });
});
