import { type Clock, systemClock } from '../shared/clock.ts';
import { redactor } from '../shared/redact.ts';
import { AlreadyExistsError } from './errors.ts';
import { landingKey } from './keys.ts';
import type { LandingMetadata, LandingMetadataInput } from './metadata.ts';
import type { LandingStore } from './store.ts';

export interface LandRequest extends Omit<LandingMetadataInput, 'loadTs'> {
  body: Uint8Array;
}

/**
 * Lands one payload under a fresh key. Keys embed the load timestamp to the millisecond; if another
 * writer took the same key in the same millisecond, the next clock reading gives a new key — the
 * store's write-once refusal is what makes this safe, so no payload is ever overwritten or lost.
 */
export async function landPayload(
  store: LandingStore,
  request: LandRequest,
  clock: Clock = systemClock,
): Promise<LandingMetadata> {
  const { body, ...meta } = request;
  for (let attempt = 0; ; attempt++) {
    let loadTs = clock.now();
    if (attempt > 0) loadTs = new Date(loadTs.getTime() + attempt);
    const key = landingKey({
      source: meta.source,
      resource: meta.resource,
      loadTs,
      request: {
        method: meta.request.method,
        url: redactor.url(meta.request.url),
        params: redactor.object(meta.request.params ?? {}),
      },
    });
    try {
      return await store.put(key, body, { ...meta, loadTs });
    } catch (error) {
      if (error instanceof AlreadyExistsError && attempt < 50) continue;
      throw error;
    }
  }
}

/** Record count of a JSON payload when it is obvious: a top-level array's length; otherwise null. */
export function topLevelRecordCount(value: unknown): number | null {
  return Array.isArray(value) ? value.length : null;
}
