import { CorruptObjectError } from './errors.ts';
import { compactLoadTs, STATE_PREFIX } from './keys.ts';

/**
 * Connector state (cursors, watermarks) in the store itself, so the warehouse can be rebuilt from the
 * store alone. State is write-once too: every save is a new object `_state/<name>/<ts>_<rand>.json`
 * and reads take the newest, which also leaves the history of every cursor for an audit.
 */
export const STATE_SUFFIX = '.json';

const STATE_NAME = /^[a-z0-9][a-z0-9_./-]*$/;

/** Last timestamp handed out: two saves in one millisecond still sort in the order they were made. */
let lastStateMs = Number.NEGATIVE_INFINITY;

export function assertStateName(name: string): void {
  if (!STATE_NAME.test(name) || name.includes('..') || name.includes('//') || name.endsWith('/')) {
    throw new Error(`invalid state name "${name}": use lowercase letters, digits, "_", "-", "." and "/"`);
  }
}

/**
 * A new key for state `name`. Timestamps never repeat or go back within a process, so "newest" is the
 * last key in key order; the random nonce keeps two processes saving in one millisecond apart.
 */
export function nextStateKey(name: string, now: Date): string {
  assertStateName(name);
  lastStateMs = Math.max(now.getTime(), lastStateMs + 1);
  const nonce = Math.floor(Math.random() * 0x10000)
    .toString(16)
    .padStart(4, '0');
  return `${STATE_PREFIX}${name}/${compactLoadTs(new Date(lastStateMs))}_${nonce}${STATE_SUFFIX}`;
}

export function statePrefix(name: string): string {
  assertStateName(name);
  return `${STATE_PREFIX}${name}/`;
}

/** True for a state object of exactly `name` (not of a nested name such as `name/child`). */
export function isStateKeyOf(name: string, key: string): boolean {
  const prefix = `${STATE_PREFIX}${name}/`;
  return key.startsWith(prefix) && key.endsWith(STATE_SUFFIX) && !key.slice(prefix.length).includes('/');
}

/** Parses a stored state object, naming its key when it is not JSON. */
export function parseState<T>(key: string, bytes: Buffer): T {
  try {
    return JSON.parse(bytes.toString('utf8')) as T;
  } catch (error) {
    throw new CorruptObjectError(key, `state object is not valid JSON (${(error as Error).message})`, error);
  }
}
