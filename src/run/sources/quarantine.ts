import type { Session } from '../../engine/dialect.ts';
import { redactor } from '../../shared/redact.ts';
import { metaTable } from '../meta/schema.ts';
import { insertValues, valueLiteral } from '../sql.ts';

/**
 * The quarantine (vaultline_meta.quarantine): landed objects a source could not read, with the reason.
 * A quarantined object is never read again and never blocks the objects after it; it is listed in
 * every run summary of its source until released (`vaultline landing quarantine release`), after
 * which the next build reads it again (and quarantines it again if it still cannot be read).
 */
export interface QuarantineEntry {
  sourceUniqueId: string;
  key: string;
  sha256?: string;
  reason: string;
  quarantinedAt: Date;
  runId: string;
  releasedAt?: Date;
}

/** An entry as --json and the UI show it (snake_case, ISO times). */
export function quarantineJson(e: QuarantineEntry) {
  return {
    key: e.key,
    source: e.sourceUniqueId,
    reason: e.reason,
    sha256: e.sha256 ?? null,
    quarantined_at: e.quarantinedAt.toISOString(),
    run_id: e.runId,
    released_at: e.releasedAt?.toISOString() ?? null,
  };
}

type Row = {
  source_unique_id: string;
  landing_key: string;
  sha256: string | null;
  reason: string;
  quarantined_at: Date;
  run_id: string;
  released_at: Date | null;
};

function entryOf(r: Row): QuarantineEntry {
  return {
    sourceUniqueId: r.source_unique_id,
    key: r.landing_key,
    ...(r.sha256 !== null ? { sha256: r.sha256 } : {}),
    reason: r.reason,
    quarantinedAt: r.quarantined_at,
    runId: r.run_id,
    ...(r.released_at !== null ? { releasedAt: r.released_at } : {}),
  };
}

/** Objects of one source in quarantine now (not released), by landing key. */
export async function quarantinedObjects(
  session: Session,
  sourceUniqueId: string,
): Promise<Map<string, QuarantineEntry>> {
  const d = session.dialect;
  const rows = await session.query<Row>(
    `SELECT * FROM ${metaTable(d, 'quarantine')} WHERE source_unique_id = ${d.literal(sourceUniqueId)} AND released_at IS NULL ORDER BY quarantined_at, landing_key`,
  );
  return new Map(rows.map((r) => [r.landing_key, entryOf(r)]));
}

/** Every entry (all sources), newest first; released ones only with `includeReleased`. */
export async function listQuarantine(
  session: Session,
  options: { includeReleased?: boolean; prefix?: string } = {},
): Promise<QuarantineEntry[]> {
  const d = session.dialect;
  const where: string[] = [];
  if (!options.includeReleased) where.push('released_at IS NULL');
  if (options.prefix) where.push(`starts_with(landing_key, ${d.literal(options.prefix)})`);
  const rows = await session.query<Row>(
    `SELECT * FROM ${metaTable(d, 'quarantine')}${where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY quarantined_at DESC, landing_key`,
  );
  return rows.map(entryOf);
}

export function quarantineStatements(session: Session, entries: QuarantineEntry[]): string[] {
  return insertValues(
    session.dialect,
    metaTable(session.dialect, 'quarantine'),
    ['source_unique_id', 'landing_key', 'sha256', 'reason', 'quarantined_at', 'run_id', 'released_at'],
    // The reason is an error message, which may quote a secret (a reader's message, an S3 error's URL).
    entries.map((e) => [
      e.sourceUniqueId,
      e.key,
      e.sha256 ?? null,
      redactor.text(e.reason),
      e.quarantinedAt,
      e.runId,
      null,
    ]),
  );
}

/** Releases quarantined objects (every source's entries for those keys); returns how many were released. */
export async function releaseQuarantined(session: Session, keys: string[], at: Date): Promise<number> {
  if (keys.length === 0) return 0;
  const d = session.dialect;
  const table = metaTable(d, 'quarantine');
  const list = keys.map((k) => d.literal(k)).join(', ');
  return session.transaction(async (tx) => {
    const [row] = await tx.query<{ n: bigint | number }>(
      `SELECT count(*) AS n FROM ${table} WHERE released_at IS NULL AND landing_key IN (${list})`,
    );
    await tx.execute(
      `UPDATE ${table} SET released_at = ${valueLiteral(d, at)} WHERE released_at IS NULL AND landing_key IN (${list})`,
    );
    // Their partitions must be listed again by the next build, or it would not see them.
    const partitions = [...new Set(keys.map((k) => k.slice(0, k.lastIndexOf('/') + 1)))];
    await tx.execute(
      `DELETE FROM ${metaTable(d, 'listed_partitions')} WHERE partition_prefix IN (${partitions.map((p) => d.literal(p)).join(', ')})`,
    );
    return Number(row?.n ?? 0);
  });
}
