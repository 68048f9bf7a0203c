import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseConfig } from '../config/load.ts';
import { formatDiagnostic } from '../shared/diagnostics.ts';
import { redactor } from '../shared/redact.ts';

function problems(yaml: string, env: Record<string, string> = {}): string[] {
  const { diagnostics } = parseConfig(`name: p\n${yaml}`, {
    file: 'vaultline.yml',
    projectDir: '/tmp/p',
    env,
  });
  return diagnostics.map(formatDiagnostic);
}

describe('jobs:, sensors:, alerts: in vaultline.yml', () => {
  test('a valid orchestrator config loads with its defaults and durations in ms', () => {
    const { config, diagnostics } = parseConfig(
      [
        'name: p',
        'jobs:',
        '  daily:',
        '    steps: [extract --all, "build --select tag:marts"]',
        '    schedule: {cron: "0 6 * * *", timezone: Africa/Johannesburg}',
        '    retries: {max: 3, initial: 30s}',
        '    timeout: 1h30m',
        '    alerts: [ops]',
        '  hourly: {steps: [build], schedule: "0 * * * *"}',
        '  wiki:',
        '    steps: ["extract wikimedia --start {{ partition.compact }} --end {{ partition.compact }}"]',
        '    partitions: {by: day, start: "2025-01-01"}',
        'sensors:',
        '  drops: {job: daily, folder: drops/, pattern: "*.json"}',
        'alerts:',
        '  ops: {webhook: "https://hooks.example.org/T/B/secret-path"}',
      ].join('\n'),
      { file: 'vaultline.yml', projectDir: '/tmp/p', env: {} },
    );
    assert.deepEqual(diagnostics, []);
    const daily = config?.jobs.daily;
    assert.equal(daily?.timeout, 5_400_000);
    assert.deepEqual(daily?.retries, {
      max: 3,
      backoff: 'exponential',
      initial: 30_000,
      max_delay: 3_600_000,
      jitter: true,
    });
    assert.equal(daily?.catch_up, 'latest');
    assert.deepEqual(config?.jobs.hourly?.schedule, { cron: '0 * * * *', timezone: 'UTC' });
    assert.equal(config?.sensors.drops?.interval, 30_000);
    assert.deepEqual(config?.alerts.ops?.on, ['failure', 'recovery', 'missed']);
    // The webhook URL is a secret from now on.
    assert.equal(redactor.text('posting to https://hooks.example.org/T/B/secret-path'), 'posting to ***');
  });

  test('every problem is reported with its line and how to fix it', () => {
    const found = problems(
      [
        'jobs:',
        '  daily:',
        '    steps: ["extract --all; rm -rf /", "vaultline build", serve, "build --select {{ partition.date }}"]',
        '    schedule: {cron: "61 * * * *", timezone: Mars/Olympus}',
        '    timeout: soon',
        '    catch_up: sometimes',
        '    alerts: [opz]',
        'sensors:',
        '  s1: {job: daly}',
        'alerts:',
        '  ops: {on: [failure]}',
      ].join('\n'),
    );
    const text = found.join('\n');
    for (const expected of [
      /vaultline.yml:5: jobs\.daily\.schedule\.cron must be a cron expression/,
      /vaultline.yml:5: jobs\.daily\.schedule\.timezone must be an IANA time zone/,
      /vaultline.yml:6: jobs\.daily\.timeout must be a duration such as 30s/,
      /vaultline.yml:7: jobs\.daily\.catch_up must be one of none, latest, all/,
    ])
      assert.match(text, expected);
    // Reference checks run once the shapes are right.
    const refs = problems(
      [
        'jobs:',
        '  daily:',
        '    steps: ["extract --all; rm -rf /", "vaultline build", serve, "build --select {{ partition.date }}"]',
        '    alerts: [opz]',
        'sensors:',
        '  s1: {job: daly}',
        'alerts:',
        '  ops: {on: [failure]}',
      ].join('\n'),
    ).join('\n');
    for (const expected of [
      /jobs\.daily\.steps\.0 ";" is shell syntax/,
      /jobs\.daily\.steps\.1 starts with "vaultline"/,
      /jobs\.daily\.steps\.2 "serve" cannot be a job step/,
      /jobs\.daily\.steps\.3 \{\{ partition\.date \}\} needs the job to be partitioned/,
      /vaultline.yml:5: jobs\.daily\.alerts\.0 names alert "opz".*did you mean "ops"/,
      /vaultline.yml:7: sensors\.s1\.job names job "daly".*did you mean "daily"/,
      /sensors\.s1 watches nothing/,
      /alerts\.ops sends nowhere/,
    ])
      assert.match(refs, expected);
  });

  test('the SMTP password is a secret wherever it shows', () => {
    const { diagnostics } = parseConfig(
      'name: p\nalerts:\n  ops: {email: {to: a@example.org, smtp: "${SMTP_URL}"}}\n',
      {
        file: 'vaultline.yml',
        projectDir: '/tmp/p',
        env: { SMTP_URL: 'smtp://alerts:s3cr%40t-pw@mail.example.org:587' },
      },
    );
    assert.deepEqual(diagnostics, []);
    assert.equal(redactor.text('login with s3cr@t-pw failed'), 'login with *** failed');
  });
});
