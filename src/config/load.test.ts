// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} here is vaultline.yml syntax, not a JS template
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { formatDiagnostic } from '../shared/diagnostics.ts';
import { DiagnosticsError, UsageError } from '../shared/errors.ts';
import { redactor } from '../shared/redact.ts';
import { findProjectDir, loadConfig, parseConfig, projectPath } from './load.ts';

/** Parses `text` as vaultline.yml and returns the formatted diagnostics. */
function problems(text: string, env: Record<string, string> = {}): string[] {
  const { config, diagnostics } = parseConfig(text, { file: 'vaultline.yml', projectDir: '/p', env });
  if (diagnostics.length > 0) assert.equal(config, undefined);
  return diagnostics.map(formatDiagnostic);
}

describe('parseConfig: a valid file', () => {
  test('a minimal file gets every default', () => {
    const { config, diagnostics } = parseConfig('name: demo\n', {
      file: 'vaultline.yml',
      projectDir: '/p',
      env: {},
    });
    assert.deepEqual(diagnostics, []);
    assert.ok(config);
    assert.equal(config.name, 'demo');
    assert.deepEqual(config.landing, { type: 'local', path: '.vaultline/raw' });
    assert.deepEqual(config.warehouse, { type: 'duckdb', path: '.vaultline/warehouse.duckdb' });
    assert.deepEqual(config.vars, {});
    assert.deepEqual(config.model_paths, ['models']);
    assert.equal(config.projectDir, '/p');
    assert.equal(config.configFile, join('/p', 'vaultline.yml'));
    assert.equal(
      projectPath(config, config.landing.type === 'local' ? config.landing.path : ''),
      '/p/.vaultline/raw',
    );
  });

  test('an s3 landing with interpolation and defaults', () => {
    const text = [
      'name: demo',
      'landing:',
      '  type: s3',
      '  bucket: ${BUCKET}',
      '  prefix: ${PREFIX:-raw}',
      '  endpoint: http://127.0.0.1:9000',
      '  force_path_style: true',
      '  sse: aws:kms',
      '  kms_key_id: alias/raw',
    ].join('\n');
    const { config, diagnostics } = parseConfig(text, {
      file: 'vaultline.yml',
      projectDir: '/p',
      env: { BUCKET: 'raw-vault' },
    });
    assert.deepEqual(diagnostics, []);
    assert.deepEqual(config?.landing, {
      type: 's3',
      bucket: 'raw-vault',
      prefix: 'raw',
      region: 'us-east-1',
      endpoint: 'http://127.0.0.1:9000',
      force_path_style: true,
      sse: 'aws:kms',
      kms_key_id: 'alias/raw',
      cache_path: '.vaultline/cache',
    });
  });

  test('a secret from the environment is registered with the redactor and its path recorded', () => {
    const { config } = parseConfig('name: demo\nconnectors:\n  github:\n    token: ${GITHUB_TOKEN}\n', {
      file: 'vaultline.yml',
      projectDir: '/p',
      env: { GITHUB_TOKEN: 'ghp-load-test-5150' },
    });
    assert.deepEqual(config?.secretPaths, ['connectors.github.token']);
    assert.equal(redactor.text('x ghp-load-test-5150 y'), 'x *** y');
    // Connector settings keep the keys their connector declares; the connector validates them.
    assert.equal(
      (config?.connectors.github as Record<string, unknown> | undefined)?.token,
      'ghp-load-test-5150',
    );
  });
});

describe('parseConfig: every problem at once, each as vaultline.yml:LINE', () => {
  test('unknown key (with did-you-mean), wrong type and s3 without bucket in one file', () => {
    const text = [
      'name: demo', // 1
      'landing:', // 2
      '  type: s3', // 3
      '  prefx: raw', // 4
      'warehouse:', // 5
      '  type: duckdb', // 6
      '  threads: four', // 7
    ].join('\n');
    assert.deepEqual(problems(text), [
      'vaultline.yml:3: landing.bucket is required (a string)',
      'vaultline.yml:4: landing.prefx is not a known key (did you mean "prefix"?)',
      'vaultline.yml:7: warehouse.threads must be a number (got "four")',
    ]);
  });

  test('landing.type must be one of local, s3 (got "s4")', () => {
    const text = ['# comment', 'name: demo', '', 'landing:', '  path: x', '', '  type: s4'].join('\n');
    assert.deepEqual(problems(text), ['vaultline.yml:7: landing.type must be one of local, s3 (got "s4")']);
  });

  test('unknown top-level key: did you mean, or the allowed keys when nothing is close', () => {
    const [typo, far] = problems('name: demo\nlandng:\n  type: local\ncolour: blue\n');
    assert.equal(typo, 'vaultline.yml:2: landng is not a known key (did you mean "landing"?)');
    assert.match(
      far ?? '',
      /^vaultline\.yml:4: colour is not a known key \(allowed: name, .*landing, warehouse, vars/,
    );
  });

  test('an unknown key inside the local landing section names the local keys', () => {
    assert.deepEqual(problems('name: demo\nlanding:\n  type: local\n  pth: raw\n'), [
      'vaultline.yml:4: landing.pth is not a known key (did you mean "path"?)',
    ]);
  });

  test('enum, boolean, URL and name problems say what is allowed', () => {
    const text = [
      'name: 9lives', // 1
      'landing:', // 2
      '  type: s3', // 3
      '  bucket: b', // 4
      '  sse: aes', // 5
      '  force_path_style: "yes"', // 6
      '  endpoint: not a url', // 7
    ].join('\n');
    assert.deepEqual(problems(text), [
      'vaultline.yml:1: name must use letters, digits and "_", starting with a letter (got "9lives")',
      'vaultline.yml:5: landing.sse must be one of AES256, aws:kms (got "aes")',
      'vaultline.yml:6: landing.force_path_style must be a boolean (got "yes")',
      'vaultline.yml:7: landing.endpoint must be a valid url (got "not a url")',
    ]);
  });

  test('a missing name is reported at the top', () => {
    assert.deepEqual(problems('landing:\n  type: local\n'), ['vaultline.yml:1: name is required (a string)']);
  });

  test('a missing environment variable names the variable once, and not again as a schema problem', () => {
    assert.deepEqual(problems('name: demo\nlanding:\n  type: s3\n  bucket: ${RAW_BUCKET}\n'), [
      'vaultline.yml:4: landing.bucket: environment variable RAW_BUCKET is not set (set it, or give a default with ${RAW_BUCKET:-default})',
    ]);
  });

  test('YAML syntax errors give their line', () => {
    assert.deepEqual(problems('name: demo\nlanding:\n  type: local\n path: x\nvars: {}\n'), [
      'vaultline.yml:4: YAML syntax: All mapping items must start at the same column',
    ]);
    assert.deepEqual(problems('name: demo\n\tvars: {}\n'), [
      'vaultline.yml:2: YAML syntax: Tabs are not allowed as indentation',
    ]);
    const [dup] = problems('name: demo\nvars: {}\nname: again\n');
    assert.match(dup ?? '', /^vaultline\.yml:3: YAML syntax: .*unique/i);
  });

  test('a file that is not a mapping', () => {
    assert.deepEqual(problems('- a\n- b\n'), [
      'vaultline.yml:1: must be a mapping of settings (name:, landing:, …)',
    ]);
  });

  test('an empty file is missing its name', () => {
    assert.deepEqual(problems(''), ['vaultline.yml:1: name is required (a string)']);
  });
});

describe('loadConfig and findProjectDir', () => {
  let dir: string;
  before(async () => {
    dir = await realpath(await mkdtemp(join(tmpdir(), 'vaultline-config-')));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('findProjectDir walks up to the folder holding vaultline.yml', async () => {
    const project = join(dir, 'find');
    await mkdir(join(project, 'models', 'staging'), { recursive: true });
    await writeFile(join(project, 'vaultline.yml'), 'name: find\n');
    assert.equal(findProjectDir(join(project, 'models', 'staging')), project);
    assert.equal(findProjectDir(project), project);
    assert.equal(findProjectDir(dir), undefined);
  });

  test('loadConfig without a vaultline.yml is a usage error that says how to fix it', () => {
    assert.throws(
      () => loadConfig(join(dir, 'nothing-here'), {}),
      (error: unknown) =>
        error instanceof UsageError && error.exitCode === 2 && /vaultline init/.test(error.message),
    );
  });

  test('loadConfig throws a DiagnosticsError (exit 2) listing every problem with file:line', async () => {
    const project = join(dir, 'bad');
    await mkdir(project, { recursive: true });
    await writeFile(
      join(project, 'vaultline.yml'),
      'name: bad\nlanding:\n  type: s3\nwarehouse:\n  type: duckdb\n  threads: x\n',
    );
    assert.throws(
      () => loadConfig(project, {}),
      (error: unknown) => {
        assert.ok(error instanceof DiagnosticsError);
        assert.equal(error.exitCode, 2);
        assert.equal(error.diagnostics.length, 2);
        assert.match(error.message, /vaultline\.yml:3: landing\.bucket is required/);
        assert.match(error.message, /vaultline\.yml:6: warehouse\.threads must be a number/);
        return true;
      },
    );
  });

  test('loadConfig returns the config with where it came from', async () => {
    const project = join(dir, 'good');
    await mkdir(project, { recursive: true });
    await writeFile(join(project, 'vaultline.yml'), 'name: good\nvars:\n  start: ${START:-2026-01-01}\n');
    const config = loadConfig(project, {});
    assert.equal(config.projectDir, project);
    assert.equal(config.configFile, join(project, 'vaultline.yml'));
    assert.deepEqual(config.vars, { start: '2026-01-01' });
  });
});
