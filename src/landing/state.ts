import { compactLoadTs, STATE_PREFIX } from './keys.ts';

/**
 * Connector state (cursors, watermarks) in the store itself, so the warehouse can be rebuilt from the
 * store alone. State is write-once too: every save is a new object `_state/<name>/<ts>_<rand>.json`
 * and reads take the newest, which also leaves the history of every cursor for an audit.
 */
export const STATE_SUFFIX = '.json';

const STATE_NAME = /^[a-z0-9][a-z0-9_./-]*$/;

export function nextStateKey(name: string, now: Date): string {
  if (!STATE_NAME.test(name) || name.includes('..')) {
    throw new Error(`invalid state name "${name}": use lowercase letters, digits, "_", "-", "." and "/"`);
  }
  const nonce = Math.floor(Math.random() * 0xffff)
    .toString(16)
    .padStart(4, '0');
  return `${STATE_PREFIX}${name}/${compactLoadTs(now)}_${nonce}${STATE_SUFFIX}`;
}
