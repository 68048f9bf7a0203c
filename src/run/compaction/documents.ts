import { type Session, SqlError } from '../../engine/dialect.ts';
import type { Engine } from '../../engine/engine.ts';
import type { StagedObject } from './stage.ts';

export type DocumentFact = { documents: number; same: boolean } | { error: string };

/** Bodies compared per query: bounds the documents the engine holds at once. */
const BATCH_FILES = 500;
const BATCH_BYTES = 256 * 1024 * 1024;

/**
 * For each staged object: how many documents the engine's landed-JSON reader finds in its gzip body, and
 * whether the compacted row would read as exactly that document. A batch whose query fails because
 * one body does not parse is split in halves until the body is found; only it gets `error` — the
 * reader skips it today, and it stays JSON so that it is read and skipped the same way tomorrow.
 */
export async function checkDocuments(
  session: Session,
  engine: Engine,
  table: string,
  objects: StagedObject[],
): Promise<Map<string, DocumentFact>> {
  const facts = new Map<string, DocumentFact>();
  let batch: StagedObject[] = [];
  let bytes = 0;
  for (const object of objects) {
    if (batch.length > 0 && (batch.length >= BATCH_FILES || bytes + object.meta.bytes > BATCH_BYTES)) {
      await checkBatch(session, engine, table, batch, facts);
      batch = [];
      bytes = 0;
    }
    batch.push(object);
    bytes += object.meta.bytes;
  }
  if (batch.length > 0) await checkBatch(session, engine, table, batch, facts);
  return facts;
}

async function checkBatch(
  session: Session,
  engine: Engine,
  table: string,
  batch: StagedObject[],
  facts: Map<string, DocumentFact>,
): Promise<void> {
  let rows: { key: string; documents: bigint | number; same: boolean }[];
  try {
    rows = await session.query(
      engine.compaction.documents(
        table,
        batch.map((o) => ({ path: o.path, bytes: o.meta.bytes })),
      ),
    );
  } catch (error) {
    if (!(error instanceof SqlError) || !engine.compaction.isUnreadableBody(error.cause ?? error))
      throw error;
    if (batch.length === 1) {
      facts.set(batch[0]!.key, { error: error.message.replaceAll(batch[0]!.path, batch[0]!.key) });
      return;
    }
    const half = Math.ceil(batch.length / 2);
    await checkBatch(session, engine, table, batch.slice(0, half), facts);
    await checkBatch(session, engine, table, batch.slice(half), facts);
    return;
  }
  for (const row of rows) facts.set(row.key, { documents: Number(row.documents), same: row.same === true });
}
