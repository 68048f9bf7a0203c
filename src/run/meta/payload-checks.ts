import type { Session } from '../../engine/dialect.ts';
import { insertValues } from '../sql.ts';
import { metaTable } from './schema.ts';

/**
 * Facts about one landed object read with one records path, found once and kept: landed objects are
 * write-once, so whether a payload parses, its shape and its record count never change.
 */
export interface PayloadCheck {
  key: string;
  /** The records path the object was probed with ('' for whole documents). */
  recordsPath: string;
  sha256: string;
  loadTs: Date;
  bytes: number;
  ok: boolean;
  error?: string;
  structure?: string;
  recordCount: number;
}

type CheckRow = {
  landing_key: string;
  records_path: string;
  sha256: string;
  load_ts: Date;
  bytes: bigint | number;
  ok: boolean;
  error: string | null;
  structure: string | null;
  record_count: bigint | number | null;
};

/** Every check kept for objects under `prefix` probed with `recordsPath`, by landing key. */
export async function loadPayloadChecks(
  session: Session,
  prefix: string,
  recordsPath: string,
): Promise<Map<string, PayloadCheck>> {
  const d = session.dialect;
  const like = `${prefix.replaceAll('\\', '\\\\').replaceAll('%', '\\%').replaceAll('_', '\\_')}%`;
  const rows = await session.query<CheckRow>(
    `SELECT landing_key, records_path, sha256, load_ts, bytes, ok, error, structure, record_count
FROM ${metaTable(d, 'payload_checks')}
WHERE records_path = ${d.literal(recordsPath)} AND landing_key LIKE ${d.literal(like)} ESCAPE '\\'`,
  );
  const out = new Map<string, PayloadCheck>();
  for (const row of rows) {
    out.set(row.landing_key, {
      key: row.landing_key,
      recordsPath: row.records_path,
      sha256: row.sha256,
      loadTs: row.load_ts,
      bytes: Number(row.bytes),
      ok: row.ok,
      error: row.error ?? undefined,
      structure: row.structure ?? undefined,
      recordCount: Number(row.record_count ?? 0),
    });
  }
  return out;
}

export function payloadCheckStatements(session: Session, checks: PayloadCheck[], checkedAt: Date): string[] {
  return insertValues(
    session.dialect,
    metaTable(session.dialect, 'payload_checks'),
    [
      'landing_key',
      'records_path',
      'sha256',
      'load_ts',
      'bytes',
      'ok',
      'error',
      'structure',
      'record_count',
      'checked_at',
    ],
    checks.map((c) => [
      c.key,
      c.recordsPath,
      c.sha256,
      c.loadTs,
      c.bytes,
      c.ok,
      c.error ?? null,
      c.structure ?? null,
      c.recordCount,
      checkedAt,
    ]),
  );
}
