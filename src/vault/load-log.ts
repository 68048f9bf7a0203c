/**
 * What one row of `vaultline_meta.vault_load_log` says besides the counts: which inputs the load read
 * (`source`) and how far the entity is loaded after it (`high_water_load_ts`). One row per load, so
 * the counts add up per row; the per-source rows read are in `details` (`rows_read:<source>`) and the
 * per-source marks in `vault_load_state`.
 */
import type { Session } from '../engine/dialect.ts';
import { stagingNames } from './run.ts';
import { readHighWaterSql } from './sql/meta.ts';
import type { Relation, VaultEntitySpec } from './types.ts';

/** The relations a load reads, by the names the YAML uses: staging models, or a PIT's parent and satellites. */
export function loadInputs(spec: VaultEntitySpec): string[] {
  return spec.kind === 'pit'
    ? [spec.parent.entity, ...spec.satellites.map((s) => s.name)]
    : stagingNames(spec);
}

/**
 * The newest high-water mark of the entity as it stands inside the load's transaction (after this
 * load's marks were written): the newest staging load_ts loaded so far (a PIT: its newest as-of).
 * Undefined only while nothing was ever loaded.
 */
export async function newestHighWater(
  session: Session,
  metaSchema: string,
  target: Relation,
): Promise<string | undefined> {
  const rows = await session.query<{ high_water: string | null }>(
    readHighWaterSql(session.dialect, metaSchema, target),
  );
  // `YYYY-MM-DD HH:MM:SS[.ffffff]` texts order like the timestamps they spell.
  return rows
    .map((r) => r.high_water)
    .filter((h): h is string => h !== null)
    .sort()
    .at(-1);
}
