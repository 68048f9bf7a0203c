import type { Inspection } from '../sdk/types.ts';

/**
 * USGS summary feeds are GeoJSON FeatureCollections. `metadata.count` should equal the features
 * delivered; when it does not, the landed object says so (an auditor compares the two).
 */
export function inspect(_resource: string, json: unknown): Inspection {
  if (json === undefined) return { records: null };
  const body = json as { type?: unknown; features?: unknown; metadata?: { count?: unknown } } | null;
  const features = body?.features;
  if (body?.type !== 'FeatureCollection' || !Array.isArray(features)) {
    return {
      records: null,
      warning: 'unexpected body shape: expected a GeoJSON FeatureCollection with features[]',
    };
  }
  const records = features.length;
  const count = body?.metadata?.count;
  if (typeof count === 'number' && count !== records) {
    return { records, warning: `metadata.count says ${count} but the body holds ${records} feature(s)` };
  }
  return { records };
}
