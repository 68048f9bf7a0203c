import type { Inspection } from '../sdk/types.ts';

/**
 * SpaceX API v4 list endpoints answer a JSON array. Launches refer to rockets and launchpads by id
 * (`rocket`, `launchpad`), launchpads to rockets and launches (`rockets[]`, `launches[]`).
 */
export function inspect(_resource: string, json: unknown): Inspection {
  if (json === undefined) return { records: null };
  if (!Array.isArray(json)) return { records: null, warning: 'unexpected body shape: expected a list' };
  return { records: json.length };
}
