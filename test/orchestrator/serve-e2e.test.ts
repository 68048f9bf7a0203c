import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { describeRun, vaultline } from '../helpers/cli.ts';
import { copyExample } from '../helpers/example-project.ts';
import { type SmtpReceiver, startSmtpReceiver } from '../helpers/smtp-receiver.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver.ts';
import { until as untilWithin } from './helpers/project.ts';

const until = <T>(probe: () => T | undefined | false | Promise<T | undefined | false>, what: string) =>
  untilWithin(probe, what, 240_000);

/**
 * `vaultline serve` on the example project, as a user runs it: a run triggered over HTTP, `vaultline
 * build` from a second process submitted to the server (not refused on the warehouse lock), run history
 * read while a build runs (over the API and by `vaultline runs` from a third process), a failing job's
 * alert received by a local webhook and a local SMTP server, and SIGTERM ending the server cleanly.
 */
const BIN = new URL('../../bin/vaultline.js', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'vaultline-serve-'));
let server: ChildProcess | undefined;
let webhook: WebhookReceiver | undefined;
let smtp: SmtpReceiver | undefined;

after(async () => {
  if (server && server.exitCode === null) server.kill('SIGKILL');
  await webhook?.close();
  await smtp?.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Info {
  url: string;
  token: string;
  pid: number;
}

test('serve: HTTP trigger, a submitted build, history during a build, failure alerts, clean SIGTERM', {
  timeout: 600_000,
}, async () => {
  webhook = await startWebhookReceiver();
  smtp = await startSmtpReceiver();
  copyExample(dir);
  // A model that builds normally and fails when the broken job asks it to, so the example's daily
  // build stays green while a failure alert can be provoked.
  writeFileSync(
    join(dir, 'models', 'zz_breakable.sql'),
    "select {% if var('break', false) %} * from no_such_table {% else %} 1 as ok {% endif %}\n",
  );
  const yml = readFileSync(join(dir, 'vaultline.yml'), 'utf8');
  writeFileSync(
    join(dir, 'vaultline.yml'),
    `${yml.replace(
      /^jobs:\n/m,
      `jobs:\n  broken:\n    steps: ["build --select zz_breakable --vars '{break: true}'"]\n    alerts: [ops]\n`,
    )}
alerts:
  ops:
    webhook: \${ALERT_WEBHOOK_URL}
    email: {to: data@example.org, smtp: "\${SMTP_URL}"}
    on: [failure, recovery]
serve: {port: 0}
`,
  );
  const env = { ALERT_WEBHOOK_URL: webhook.url, SMTP_URL: smtp.url };
  const { NODE_OPTIONS: _ignored, ...inherited } = process.env;
  const child = spawn(process.execPath, [BIN, 'serve', '--no-schedule'], {
    cwd: dir,
    env: { ...inherited, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server = child;
  let serverLog = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    serverLog += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    serverLog += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const infoPath = join(dir, '.vaultline', 'orchestrator', 'server.json');
  const info = await until(() => {
    if (child.exitCode !== null) throw new Error(`serve exited ${child.exitCode}:\n${serverLog}`);
    return existsSync(infoPath) ? (JSON.parse(readFileSync(infoPath, 'utf8')) as Info) : undefined;
  }, 'server.json');
  const api = async <T>(path: string, init: RequestInit = {}): Promise<{ status: number; body: T }> => {
    const response = await fetch(`${info.url}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${info.token}`, 'content-type': 'application/json', ...init.headers },
    });
    return { status: response.status, body: (await response.json()) as T };
  };

  // Without the token the API answers nothing but health.
  assert.equal((await fetch(`${info.url}/api/runs`)).status, 401);

  const triggered = await api<{ run: string }>('/api/jobs/daily/run', { method: 'POST', body: '{}' });
  assert.equal(triggered.status, 202);
  const daily = triggered.body.run;
  await until(async () => {
    const run = (await api<{ status: string; steps: Array<{ status: string }> }>(`/api/runs/${daily}`)).body;
    return run.status === 'running' ? run : undefined;
  }, 'the daily run to start');

  // A second process: `vaultline build` finds the server and submits the build instead of meeting the lock.
  const submitted = vaultline(['build'], { cwd: dir, env });
  // History is readable while the daily run is running: over the API, and straight from the store by
  // a third process.
  const listing = await api<{ runs: Array<{ id: string; status: string }> }>('/api/runs');
  assert.equal(listing.body.runs.find((r) => r.id === daily)?.status, 'running');
  const runsCli = await vaultline(['runs'], { cwd: dir, env });
  assert.equal(runsCli.code, 0, describeRun(runsCli));
  assert.ok(runsCli.out.includes(daily), describeRun(runsCli));

  const dailyRun = await until(async () => {
    const run = (
      await api<{ status: string; steps: Array<{ status: string; result?: unknown }> }>(`/api/runs/${daily}`)
    ).body;
    return ['success', 'failed', 'cancelled'].includes(run.status) ? run : undefined;
  }, 'the daily run to finish');
  assert.equal(dailyRun.status, 'success', JSON.stringify(dailyRun).slice(0, 2000));
  assert.deepEqual(
    dailyRun.steps.map((s) => s.status),
    ['success', 'success'],
  );

  const build = await submitted;
  assert.equal(build.code, 0, describeRun(build));
  assert.match(build.stderr, /submitting `build`/);
  assert.match(build.out, /PASS|SUCCESS|OK/i, describeRun(build));
  const cliRun = (
    await api<{ runs: Array<{ job: string; status: string; trigger: { kind: string } }> }>('/api/runs')
  ).body.runs.find((r) => r.trigger.kind === 'cli');
  assert.equal(cliRun?.status, 'success');

  // A failing job: one alert on the webhook and one mail, naming the job, the run, the step and the node.
  const broken = (await api<{ run: string }>('/api/jobs/broken/run', { method: 'POST', body: '{}' })).body
    .run;
  const [hook] = await webhook.waitFor(1, 240_000);
  const [mail] = await smtp.waitFor(1, 240_000);
  const text = String((hook?.body as { text?: string } | undefined)?.text);
  for (const expected of ['broken', broken, 'zz_breakable', 'no_such_table', 'Step 1'])
    assert.ok(text.includes(expected), `the webhook text names ${expected}:\n${text}`);
  assert.match(mail?.subject ?? '', /broken failed/);
  assert.ok(mail?.text.includes(broken), mail?.text);

  // SIGTERM: the server stops cleanly and removes its discovery file.
  child.kill('SIGTERM');
  assert.equal(await exited, 0, serverLog);
  assert.equal(existsSync(infoPath), false, 'server.json removed');

  // Secrets: neither the webhook URL nor the SMTP password is in the server's output or the run history.
  const history = readdirSync(join(dir, '.vaultline', 'orchestrator', 'runs'))
    .map((name) => readFileSync(join(dir, '.vaultline', 'orchestrator', 'runs', name), 'utf8'))
    .join('\n');
  for (const secret of [webhook.url, new URL(webhook.url).pathname, smtp.password]) {
    assert.ok(!serverLog.includes(secret), `server output leaks ${secret}`);
    assert.ok(!history.includes(secret), `run history leaks ${secret}`);
  }
});
