import type { LandedObject } from './types.ts';

/** What one source's extraction did: every landed object, every failed request, every warning. */
export interface SourceReport {
  source: string;
  run_id: string;
  mode: 'live' | 'record' | 'replay';
  base_url: string;
  objects: LandedObject[];
  failures: FailureRecord[];
  warnings: string[];
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
  invalid_json: number;
  failures: number;
}

export function summarize(report: SourceReport): SummaryRow {
  return {
    source: report.source,
    objects: report.objects.length,
    records: report.objects.reduce((sum, o) => sum + (o.records ?? 0), 0),
    bytes: report.objects.reduce((sum, o) => sum + o.bytes, 0),
    invalid_json: report.objects.filter((o) => !o.valid_json).length,
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
      invalid_json: sum.invalid_json + row.invalid_json,
      failures: sum.failures + row.failures,
    }),
    { source: 'total', objects: 0, records: 0, bytes: 0, invalid_json: 0, failures: 0 },
  );
}
