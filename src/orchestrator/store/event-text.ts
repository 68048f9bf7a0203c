import { redactor } from '../../shared/redact.ts';
import type { RunEvent } from '../types.ts';

/** One log line (or error text) on disk is at most this many bytes of UTF-8, marker included. */
export const MAX_TEXT_BYTES = 64 * 1024;

/** `text` cut to `max` bytes of UTF-8 with a marker saying how long it was. */
export function capText(text: string, max = MAX_TEXT_BYTES): string {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= max) return text;
  const marker = ` … [truncated: ${bytes.length} bytes in all]`;
  // A cut inside a multi-byte character decodes to U+FFFD: dropped, so the kept text stays clean.
  const kept = bytes
    .subarray(0, max - Buffer.byteLength(marker))
    .toString('utf8')
    .replace(/\uFFFD+$/, '');
  return kept + marker;
}

/**
 * What a step's result keeps on disk. A run results document carries every node's compiled SQL
 * (half a megabyte for the example project); target/compiled has it, so history keeps it only for
 * nodes that failed, where it helps the reader of `runs show`.
 */
export function compactResult(result: unknown): unknown {
  if (!isObject(result) || !Array.isArray(result.results)) return result;
  return {
    ...result,
    results: result.results.map((node: unknown) => {
      if (!isObject(node)) return node;
      const failed = node.status === 'error' || node.status === 'fail';
      const { compiled_sql, ...rest } = node;
      if (failed) return compiled_sql === undefined ? rest : { ...rest, compiled_sql };
      if (isObject(rest.error)) {
        const { failed_sql: _sql, ...error } = rest.error;
        return { ...rest, error };
      }
      return rest;
    }),
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * The event as it is written: every string redacted (secret values anywhere, secret-named fields
 * masked), log lines and errors capped, step results compacted. Secrets never reach the disk.
 */
export function eventForDisk(event: RunEvent): RunEvent {
  const safe = redactor.object(
    event.type === 'step_finished' && event.result !== undefined
      ? { ...event, result: compactResult(event.result) }
      : event,
  );
  switch (safe.type) {
    case 'log':
      return { ...safe, text: capText(safe.text) };
    case 'step_finished':
      return safe.error === undefined ? safe : { ...safe, error: capText(safe.error) };
    case 'run_finished':
      return safe.error === undefined
        ? safe
        : { ...safe, error: { ...safe.error, message: capText(safe.error.message) } };
    default:
      return safe;
  }
}
