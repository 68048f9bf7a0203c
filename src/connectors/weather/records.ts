import type { Inspection } from '../sdk/types.ts';

/**
 * Open-Meteo answers with parallel arrays: `hourly.time[]` beside one array per variable (and the same
 * under `daily`). A record is one time step; every variable array must be as long as `time`.
 */
export function inspect(_resource: string, json: unknown): Inspection {
  if (json === undefined) return { records: null };
  const body = json as Record<string, unknown> | null;
  if (!body || typeof body !== 'object' || Array.isArray(body))
    return { records: null, warning: 'unexpected body shape: expected an object' };
  let records = 0;
  const problems: string[] = [];
  for (const block of ['hourly', 'daily', 'minutely_15'] as const) {
    const series = body[block] as Record<string, unknown> | undefined;
    if (!series || typeof series !== 'object') continue;
    const time = series.time;
    if (!Array.isArray(time)) {
      problems.push(`${block}.time is missing`);
      continue;
    }
    records += time.length;
    for (const [name, values] of Object.entries(series)) {
      if (name !== 'time' && (!Array.isArray(values) || values.length !== time.length)) {
        problems.push(
          `${block}.${name} has ${Array.isArray(values) ? values.length : 'no'} value(s) for ${time.length} time step(s)`,
        );
      }
    }
  }
  return problems.length > 0 ? { records, warning: problems.join('; ') } : { records };
}
