import assert from 'node:assert/strict';
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import fc from 'fast-check';
import { linesBackward, parseLines } from './ndjson.ts';

const dir = mkdtempSync(join(tmpdir(), 'vaultline-ndjson-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function backward(text: string, chunk: number): string[] {
  const path = join(dir, 'f.ndjson');
  writeFileSync(path, text);
  const fd = openSync(path, 'r');
  try {
    return [...linesBackward(fd, chunk)].flat().map((b) => b.toString('utf8'));
  } finally {
    closeSync(fd);
  }
}

test('reading backwards gives the same complete lines as reading forwards, reversed, for any chunk size', () => {
  const line = fc.oneof(
    fc.constant(''),
    fc.string({ maxLength: 40 }).map((s) => JSON.stringify({ s })),
  );
  fc.assert(
    fc.property(
      fc.array(line, { maxLength: 30 }),
      fc.string({ maxLength: 20 }),
      fc.integer({ min: 1, max: 64 }),
      (lines, tail, chunk) => {
        const torn = tail.replaceAll('\n', '');
        const text = lines.map((l) => `${l}\n`).join('') + torn;
        const forward = parseLines<unknown>(text).map((v) => JSON.stringify(v));
        const back = backward(text, chunk).map((l) => JSON.stringify(JSON.parse(l)));
        assert.deepEqual(back, forward.reverse());
      },
    ),
    { numRuns: 300 },
  );
});

test('a torn tail is not a line, however long', () => {
  assert.deepEqual(backward(`{"a":1}\n{"b":${'2'.repeat(500)}`, 16), ['{"a":1}']);
  assert.deepEqual(backward('no newline at all', 4), []);
  assert.deepEqual(backward('', 4), []);
});
