import { fstatSync, readSync } from 'node:fs';
import { writeAll } from './safe-fs.ts';

/**
 * NDJSON the way a crash leaves it: every complete line is a record; a last line without its newline
 * (a kill -9 mid-write) and any line that does not parse are skipped, never an error.
 */
export function parseLines<T>(text: string): T[] {
  const out: T[] = [];
  const end = text.endsWith('\n') ? text.length : text.lastIndexOf('\n') + 1;
  for (const line of text.slice(0, end).split('\n')) {
    const parsed = parseLine<T>(line);
    if (parsed !== undefined) out.push(parsed);
  }
  return out;
}

/** One complete line, or undefined when it is empty or does not parse. */
export function parseLine<T>(line: string): T | undefined {
  if (line === '') return undefined;
  try {
    return JSON.parse(line) as T;
  } catch {
    // A torn line followed by a newline written by the next append: skipped like the torn tail.
    return undefined;
  }
}

/**
 * Appends one line with one write. When the file does not end in a newline (a torn line left by a
 * killed writer), the line starts on a new one so that it stays whole and parseable. The check is
 * made on every append, not once at open: another process may have been killed since.
 */
export function appendLine(fd: number, json: string): void {
  const size = fstatSync(fd).size;
  let torn = false;
  if (size > 0) {
    const last = Buffer.alloc(1);
    readSync(fd, last, 0, 1, size - 1);
    torn = last[0] !== 0x0a;
  }
  writeAll(fd, Buffer.from(`${torn ? '\n' : ''}${json}\n`, 'utf8'));
}

/**
 * The complete lines of an open file from the end backwards, one chunk's worth at a time (each
 * array newest line first). A torn tail (no newline yet) is skipped; a line longer than a chunk is
 * carried over to the next read, so chunks only bound how much is read at once.
 */
export function* linesBackward(fd: number, chunkBytes = 256 * 1024): Generator<Buffer[]> {
  let position = fstatSync(fd).size;
  let carry = Buffer.alloc(0);
  let sawTail = false;
  while (position > 0) {
    const length = Math.min(chunkBytes, position);
    position -= length;
    const chunk = Buffer.allocUnsafe(length);
    let read = 0;
    while (read < length) read += readSync(fd, chunk, read, length - read, position + read);
    let bytes = Buffer.concat([chunk, carry]);
    if (!sawTail) {
      // Everything after the last newline is a line still being written (or torn): not a line yet.
      const lastNewline = bytes.lastIndexOf(0x0a);
      if (lastNewline < 0) {
        carry = Buffer.alloc(0);
        continue;
      }
      bytes = bytes.subarray(0, lastNewline + 1);
      sawTail = true;
    }
    const lines: Buffer[] = [];
    let end = bytes.length;
    // (lastIndexOf counts a negative offset from the end: guarded.)
    const previousNewline = () => (end - 2 < 0 ? -1 : bytes.lastIndexOf(0x0a, end - 2));
    for (let at = previousNewline(); ; at = previousNewline()) {
      if (at < 0 && position > 0) break;
      const line = bytes.subarray(at + 1, end - 1);
      if (line.length > 0) lines.push(line);
      end = at + 1;
      if (at < 0) break;
    }
    carry = Buffer.from(bytes.subarray(0, end));
    yield lines;
  }
}
