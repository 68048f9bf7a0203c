import type { LandingStore } from '../../landing/store.ts';
import type { Cursor } from './types.ts';

/**
 * Watermarks live in the landing store itself (`_state/<source>/<name>/…`), write-once with history,
 * so the whole warehouse — including where each incremental extract stopped — rebuilds from the store.
 * Names are lower-cased: state names allow lowercase only, and the APIs here are case-insensitive.
 */
export function stateName(source: string, name: string): string {
  return `${source}/${name}`
    .toLowerCase()
    .replace(/[^a-z0-9_./-]+/g, '_')
    .replace(/\.{2,}/g, '.');
}

export function storeCursor<T>(store: LandingStore, source: string, name: string): Cursor<T> {
  const full = stateName(source, name);
  return {
    get: () => store.getState<T>(full),
    put: (value) => store.putState(full, value),
  };
}
