import type { LandedObject } from './types.ts';

/** What one source's extraction did: every landed object, every failed request, every warning and note. */
export interface SourceReport {
  source: string;
  run_id: string;
  mode: 'live' | 'record' | 'replay';
  base_url: string;
  /** `connectors.<source>.max_invalid_bodies`: landed bodies not valid JSON tolerated before exit 1. */
  max_invalid_bodies: number;
  objects: LandedObject[];
  failures: FailureRecord[];
  warnings: string[];
  /** Things worth telling that are not problems: "no data" answers. */
  notes: string[];
}

export interface FailureRecord {
  /** The independent piece of work that stopped, e.g. `ZA/SP.POP.TOTL`. */
  unit: string;
  url: string;
  status: number | null;
  message: string;
  /** Set when the failing body was landed (an error body returned with status 200). */
  landed_key: string | null;
}

export interface SummaryRow {
  source: string;
  objects: number;
  records: number;
  bytes: number;
  /** Objects whose answer was "no data" (sidecar `no_data`): 0 records, never a failure. */
  no_data: number;
  /** Objects whose body is not valid JSON (sidecar `valid_json: false`). */
  invalid_json: number;
  /** Landed bodies builds will skip: not valid JSON, or an error body returned with a 2xx. */
  skipped: number;
  failures: number;
}

/** A landed body that builds will not read records from, and why. */
export interface SkippedBody {
  key: string;
  reason: string;
}

export function skippedBodies(report: SourceReport): SkippedBody[] {
  const out: SkippedBody[] = [];
  for (const o of report.objects) {
    if (!o.valid_json)
      out.push({ key: o.key, reason: `not valid JSON: ${o.parse_error ?? 'unknown error'}` });
    else if (o.error) out.push({ key: o.key, reason: `an error body with HTTP ${o.status}: ${o.error}` });
  }
  return out;
}

/**
 * Why this source's run must exit 1, or nothing: any failed request, or more landed bodies that are
 * not valid JSON than `max_invalid_bodies` allows. "No data" answers are never a reason.
 */
export function verdict(report: SourceReport): { failed: boolean; invalidTolerated: boolean } {
  const invalid = report.objects.filter((o) => !o.valid_json).length;
  const tooMany = invalid > report.max_invalid_bodies;
  return { failed: report.failures.length > 0 || tooMany, invalidTolerated: invalid > 0 && !tooMany };
}

export function summarize(report: SourceReport): SummaryRow {
  return {
    source: report.source,
    objects: report.objects.length,
    records: report.objects.reduce((sum, o) => sum + (o.records ?? 0), 0),
    bytes: report.objects.reduce((sum, o) => sum + o.bytes, 0),
    no_data: report.objects.filter((o) => o.no_data !== undefined).length,
    invalid_json: report.objects.filter((o) => !o.valid_json).length,
    skipped: skippedBodies(report).length,
    failures: report.failures.length,
  };
}

export function totals(rows: readonly SummaryRow[]): SummaryRow {
  return rows.reduce(
    (sum, row) => ({
      source: 'total',
      objects: sum.objects + row.objects,
      records: sum.records + row.records,
      bytes: sum.bytes + row.bytes,
      no_data: sum.no_data + row.no_data,
      invalid_json: sum.invalid_json + row.invalid_json,
      skipped: sum.skipped + row.skipped,
      failures: sum.failures + row.failures,
    }),
    {
      source: 'total',
      objects: 0,
      records: 0,
      bytes: 0,
      no_data: 0,
      invalid_json: 0,
      skipped: 0,
      failures: 0,
    },
  );
}
