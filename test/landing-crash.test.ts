import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, describe, test } from 'node:test';
import { setImmediate as nextTick, setTimeout as sleep } from 'node:timers/promises';
import { landingKey, metaKeyFor } from '../src/landing/keys.ts';
import { LocalStore } from '../src/landing/local-store.ts';
import { verifyStore } from '../src/landing/verify.ts';

/**
 * A write killed half-way (SIGKILL, so no cleanup code runs) must leave no visible object and no
 * sidecar: the sidecar is the commit point and is written only after the body is complete and linked.
 */
const FIXTURE = new URL('./fixtures/crash-writer.ts', import.meta.url).pathname;
const ROOT = new URL('..', import.meta.url).pathname;

function startWriter(args: string[]): {
  child: ChildProcess;
  lines: AsyncIterator<string>;
  exited: Promise<NodeJS.Signals | number>;
} {
  const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE, ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<NodeJS.Signals | number>((resolve) =>
    child.on('exit', (code, signal) => resolve(signal ?? code ?? -1)),
  );
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  return { child, lines, exited };
}

async function expectLine(lines: AsyncIterator<string>, expected: string): Promise<void> {
  const { value, done } = await lines.next();
  assert.equal(done ? undefined : value, expected);
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

describe('crash safety of LocalStore.put', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vaultline-crash-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('SIGKILL while a 50 MB body is being written leaves no object, no sidecar, nothing committed', async (t) => {
    // The kill is aimed at the moment the temp file appears; if the writer still finished (or got past
    // the link) before the signal landed, try again with a new key. Whatever happens, the assertions
    // below hold; the loop only makes sure the case under test — a partial body — actually occurred.
    for (let attempt = 1; ; attempt++) {
      const root = join(dir, `single-${attempt}`);
      const key = landingKey({
        source: 'crash',
        resource: 'big',
        loadTs: new Date(Date.UTC(2026, 10, 22, 12, 0, 0, attempt)),
        request: { method: 'GET', url: 'https://api.example.com/big' },
      });
      const folder = join(root, ...dirname(key).split('/'));
      const writer = startWriter(['single', root, key, '50']);
      await expectLine(writer.lines, 'ready');
      await expectLine(writer.lines, 'writing');
      // Kill once the temp file holds some, but (almost certainly) not all, of the body.
      let temp: string | undefined;
      for (;;) {
        temp ??= existsSync(folder)
          ? readdirSync(folder).find((name) => name.startsWith('.tmp-'))
          : undefined;
        if (temp && (statSync(join(folder, temp), { throwIfNoEntry: false })?.size ?? 1) > 0) break;
        // Sleep, not spin: the writer needs the CPU to compress the body first.
        await sleep(1);
      }
      writer.child.kill('SIGKILL');
      const ended = await writer.exited;

      const store = new LocalStore(root);
      assert.deepEqual(await collect(store.list()), [], 'no object is visible');
      assert.equal(existsSync(join(root, ...metaKeyFor(key).split('/'))), false, 'no sidecar');
      assert.equal(await store.exists(key), false);
      const report = await verifyStore(store);
      assert.equal(report.checked, 0, 'nothing committed');
      assert.ok(
        report.problems.every((p) => p.kind === 'body_without_sidecar'),
        JSON.stringify(report.problems),
      );

      const tempPath = join(folder, temp);
      const partial =
        ended === 'SIGKILL' && existsSync(tempPath) && !existsSync(join(root, ...key.split('/')));
      if (partial) {
        // The debris is a partial temp file that no listing shows; a later write of the key is still possible.
        const size = statSync(tempPath).size;
        assert.ok(size > 0 && size < 50 * 1024 * 1024, `the temp file is partial (${size} bytes)`);
        assert.deepEqual(await collect(store.listEntries()), []);
        t.diagnostic(
          `killed mid-write on attempt ${attempt}: ${statSync(tempPath).size} bytes of the temp file written`,
        );
        return;
      }
      assert.ok(
        attempt < 5,
        `the kill never landed mid-write in ${attempt} attempts (last: ${String(ended)})`,
      );
    }
  });

  test('SIGKILL at arbitrary points of a stream of writes: every landed object survives intact, nothing half-done is visible', async () => {
    for (const [round, killAfter] of [3, 8, 15].entries()) {
      const root = join(dir, `loop-${round}`);
      const writer = startWriter(['loop', root, '256']);
      await expectLine(writer.lines, 'ready');
      const landed: string[] = [];
      while (landed.length < killAfter) {
        const { value, done } = await writer.lines.next();
        assert.ok(!done, 'the writer stopped early');
        landed.push(String(value).replace(/^landed /, ''));
      }
      // A varying number of event-loop turns later, so the kill hits different steps of the next put.
      for (let i = 0; i < round * 7; i++) await nextTick();
      writer.child.kill('SIGKILL');
      assert.equal(await writer.exited, 'SIGKILL');

      const store = new LocalStore(root);
      const listed = (await collect(store.list())).map((o) => o.key);
      for (const key of landed) assert.ok(listed.includes(key), `acknowledged write ${key} is missing`);
      assert.ok(listed.length <= landed.length + 1, 'at most the in-flight write committed');
      for (const key of listed) await store.get(key); // every visible object verifies
      const report = await verifyStore(store);
      assert.equal(report.checked, listed.length);
      const kinds = report.problems.map((p) => p.kind);
      assert.ok(
        kinds.length <= 1 && kinds.every((k) => k === 'body_without_sidecar'),
        `round ${round}: ${JSON.stringify(report.problems)}`,
      );
    }
  });
});
