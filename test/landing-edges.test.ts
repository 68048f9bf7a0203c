/**
 * The landing store's edges, end to end through bin/vaultline.js on copies of test/projects/basic:
 * symlinks inside the store refused by every command (exit 2, naming the link), invalid and over-long
 * keys (exit 2, naming the key), and `landing repair` after a writer was killed mid-stream.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  renameSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { landingKey } from '../src/landing/keys.ts';
import { type CliRun, describeRun, vaultline } from './helpers/cli.ts';

const fixture = new URL('./projects/basic/', import.meta.url).pathname;
const CRASH_WRITER = new URL('./fixtures/crash-writer.ts', import.meta.url).pathname;
const ROOT = new URL('..', import.meta.url).pathname;

const scratch = mkdtempSync(join(tmpdir(), 'vaultline-edges-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

let projects = 0;
function project(): { dir: string; raw: string; cli: (...args: string[]) => Promise<CliRun> } {
  const dir = join(scratch, `p${++projects}`);
  cpSync(fixture, dir, { recursive: true, filter: (src) => !/\/(\.vaultline|target)(\/|$)/.test(src) });
  return { dir, raw: join(dir, '.vaultline/raw'), cli: (...args) => vaultline(args, { cwd: dir }) };
}

const expectCode = (run: CliRun, code: number) => assert.equal(run.code, code, describeRun(run));

function refusesLink(run: CliRun, link: string) {
  expectCode(run, 2);
  assert.ok(run.stderr.includes(`symlink inside the landing store`), describeRun(run));
  assert.ok(run.stderr.includes(link), describeRun(run));
}

describe('symlinks inside the landing store', () => {
  test('a symlinked source folder: land, landing ls/cat/verify and build all refuse it, and nothing is written outside', async () => {
    const p = project();
    const landed = await p.cli(
      'land',
      'payloads/items-2026-01-01.json',
      '--source',
      'demo',
      '--resource',
      'items',
    );
    expectCode(landed, 0);
    const key = landed.out.trim();
    const outside = join(scratch, 'outside-demo');
    renameSync(join(p.raw, 'demo'), outside);
    symlinkSync(outside, join(p.raw, 'demo'));
    const link = join(p.raw, 'demo');

    const [land, ls, lsPrefix, cat, verify, build] = await Promise.all([
      p.cli('land', 'payloads/items-2026-01-02.json', '--source', 'demo', '--resource', 'items'),
      p.cli('landing', 'ls'),
      p.cli('landing', 'ls', 'demo/items/'),
      p.cli('landing', 'cat', key),
      p.cli('landing', 'verify'),
      p.cli('build'),
    ]);
    for (const run of [land, ls, lsPrefix, cat, verify]) refusesLink(run, link);
    assert.notEqual(build.code, 0, describeRun(build));
    assert.ok(`${build.out}${build.stderr}`.includes(link), describeRun(build));
    const files = readdirSync(join(outside, 'items'), { recursive: true }).map(String);
    assert.equal(
      files.filter((f) => f.endsWith('.json.gz')).length,
      1,
      'the second land wrote nothing outside',
    );
  });

  test('a symlinked body file: landing cat, ls, verify and build refuse it', async () => {
    const p = project();
    const landed = await p.cli(
      'land',
      'payloads/items-2026-01-01.json',
      '--source',
      'demo',
      '--resource',
      'items',
    );
    expectCode(landed, 0);
    const key = landed.out.trim();
    const body = join(p.raw, ...key.split('/'));
    const outside = join(scratch, 'outside-body.json.gz');
    renameSync(body, outside);
    symlinkSync(outside, body);
    const [cat, ls, verify, build] = await Promise.all([
      p.cli('landing', 'cat', key),
      p.cli('landing', 'ls'),
      p.cli('landing', 'verify'),
      p.cli('build'),
    ]);
    for (const run of [cat, ls, verify]) refusesLink(run, body);
    assert.notEqual(build.code, 0, describeRun(build));
    assert.ok(`${build.out}${build.stderr}`.includes(body), describeRun(build));
  });
});

describe('keys the store cannot hold', () => {
  test('an invalid key exits 2 naming the key (not its sidecar); an over-long one gets a clear error, not ENAMETOOLONG', async () => {
    const p = project();
    const long = `demo/items/load_date=2026-01-01/${'x'.repeat(300)}.json.gz`;
    const [outside, tooLong, source] = await Promise.all([
      p.cli('landing', 'cat', '../../etc/passwd.json.gz'),
      p.cli('landing', 'cat', long),
      p.cli('land', 'payloads/items-2026-01-01.json', '--source', 's'.repeat(300), '--resource', 'items'),
    ]);
    expectCode(outside, 2);
    assert.match(
      outside.stderr,
      /invalid landing key "\.\.\/\.\.\/etc\/passwd\.json\.gz": it has a "\.\." segment/,
    );
    assert.ok(!outside.stderr.includes('.meta.json'), describeRun(outside));
    expectCode(tooLong, 2);
    assert.match(tooLong.stderr, /file systems allow at most 255/);
    assert.ok(!tooLong.stderr.includes('ENAMETOOLONG'), describeRun(tooLong));
    assert.notEqual(source.code, 0);
    assert.match(source.stderr, /at most 100 are allowed/);
  });
});

describe('vaultline landing repair', () => {
  test('after a writer is killed mid-stream: verify fails, repair moves the debris (old first, then all), verify passes, every landed object survives', {
    timeout: 120_000,
  }, async () => {
    const p = project();
    // A writer killed at an arbitrary point of a stream of writes (test/landing-crash.test.ts).
    const writer = spawn(process.execPath, ['--import', 'tsx', CRASH_WRITER, 'loop', p.raw, '64'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const lines = createInterface({ input: writer.stdout })[Symbol.asyncIterator]();
    assert.equal((await lines.next()).value, 'ready');
    const landed: string[] = [];
    while (landed.length < 5) landed.push(String((await lines.next()).value).replace(/^landed /, ''));
    const exited = new Promise((resolve) => writer.on('exit', resolve));
    writer.kill('SIGKILL');
    await exited;

    // What a kill between body and sidecar, and a kill inside a temp file, leave — an hour ago.
    const orphan = landingKey({
      source: 'crash',
      resource: 'items',
      loadTs: new Date(Date.UTC(2026, 0, 1)),
      request: { method: 'GET', url: 'https://x/orphan' },
    });
    const orphanPath = join(p.raw, ...orphan.split('/'));
    const folder = dirname(join(p.raw, ...landed[0]!.split('/')));
    const temp = join(folder, '.tmp-0123456789abcdef');
    mkdirSync(dirname(orphanPath), { recursive: true });
    writeFileSync(orphanPath, gzipSync(Buffer.from('[1]')));
    writeFileSync(temp, Buffer.alloc(5000, 1));
    const hourAgo = new Date(Date.now() - 3_600_000);
    for (const path of [orphanPath, temp]) utimesSync(path, hourAgo, hourAgo);

    const verify = await p.cli('landing', 'verify');
    expectCode(verify, 1);
    assert.match(verify.out, /body_without_sidecar: .*landing repair/);

    const dry = await p.cli('--json', 'landing', 'repair', '--dry-run');
    expectCode(dry, 0);
    const planned = JSON.parse(dry.out) as { moved: { key: string; kind: string }[]; dryRun: boolean };
    assert.equal(planned.dryRun, true);
    assert.ok(
      planned.moved.some((e) => e.key === orphan && e.kind === 'body_without_sidecar'),
      dry.out,
    );
    expectCode(await p.cli('landing', 'verify'), 1); // a dry run moves nothing

    const [old, bad] = await Promise.all([
      p.cli('--json', 'landing', 'repair'),
      p.cli('landing', 'repair', '--older-than', 'soon'),
    ]);
    expectCode(old, 0);
    expectCode(bad, 2);
    assert.match(bad.stderr, /--older-than must be a duration/);
    const first = JSON.parse(old.out) as {
      moved: { key: string; kind: string; bytes: number; to: string }[];
      bytes: number;
      folder: string;
    };
    // The default grace period (10 minutes) moves the hour-old debris, never the writer's fresh one.
    assert.deepEqual(first.moved.map((e) => e.kind).sort(), ['body_without_sidecar', 'temp']);
    assert.equal(
      first.bytes,
      first.moved.reduce((n, e) => n + e.bytes, 0),
    );
    assert.ok(first.moved.every((e) => e.to.startsWith(first.folder) && e.to.endsWith(e.key)));

    // The rest: whatever the kill left (a temp file or a body without sidecar, or nothing).
    const all = await p.cli('landing', 'repair', '--older-than', '0');
    expectCode(all, 0);
    const moved = Number(/moved (\d+) entr(?:y|ies) \(.*\) into _repair\//.exec(all.out)?.[1] ?? 'NaN');
    assert.ok(moved >= 0, describeRun(all));
    const [after, ls] = await Promise.all([p.cli('landing', 'verify'), p.cli('--json', 'landing', 'ls')]);
    expectCode(after, 0);
    const listed = (JSON.parse(ls.out) as { key: string }[]).map((o) => o.key);
    for (const key of landed) assert.ok(listed.includes(key), `acknowledged write ${key} survived repair`);
    assert.ok(!listed.some((k) => k.startsWith('_repair/')));
    assert.equal(
      readdirSync(join(p.raw, '_repair')).length,
      moved > 0 ? 2 : 1,
      'one folder per repair that moved',
    );
  });
});
