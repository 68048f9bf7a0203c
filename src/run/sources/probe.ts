import { type Session, SqlError } from '../../engine/dialect.ts';
import type { Engine } from '../../engine/engine.ts';
import type { LandingStore } from '../../landing/store.ts';
import type { PayloadCheck } from '../meta/payload-checks.ts';

/** Engine messages that mean "this payload cannot be read", as opposed to a failing warehouse. */
const UNREADABLE = [/Invalid Input Error/i, /not a GZIP stream/i, /Malformed JSON/i, /Conversion Error/i];

/**
 * Finds the facts about one landed object for one records path: readable or not (and why), its
 * records' shape and count. A payload the connector already marked `valid_json: false` is not opened.
 * Failures of the store (missing object, checksum mismatch) or of the warehouse are thrown, not
 * recorded: they are not properties of the payload.
 */
export async function probeObject(input: {
  session: Session;
  engine: Engine;
  store: LandingStore;
  key: string;
  recordsPath: string | undefined;
}): Promise<PayloadCheck> {
  const { session, engine, store, key, recordsPath } = input;
  const meta = await store.getMeta(key);
  const base = {
    key,
    recordsPath: recordsPath ?? '',
    sha256: meta.sha256,
    loadTs: new Date(meta.load_ts),
    bytes: meta.bytes,
    recordCount: 0,
  };
  if (!meta.valid_json) {
    const why = meta.parse_error ? `: ${meta.parse_error}` : '';
    return { ...base, ok: false, error: `not valid JSON when landed (sidecar valid_json: false${why})` };
  }
  const path = await store.localPath(key);
  const sql = engine.landedJson.probe({ key, path, loadTs: base.loadTs, bytes: meta.bytes }, recordsPath);
  let row: { structure: string | null; records: unknown; documents: unknown; missing: unknown } | undefined;
  try {
    [row] = await session.query<{
      structure: string | null;
      records: unknown;
      documents: unknown;
      missing: unknown;
    }>(sql);
  } catch (error) {
    if (error instanceof SqlError && UNREADABLE.some((p) => p.test(error.message))) {
      return { ...base, ok: false, error: `does not parse: ${error.message.replaceAll(path, key)}` };
    }
    throw error;
  }
  const documents = Number(row?.documents ?? 0);
  const missing = Number(row?.missing ?? 0);
  if (documents === 0)
    return { ...base, ok: false, error: 'does not parse: the payload holds no JSON document' };
  if (missing > 0) {
    return {
      ...base,
      ok: false,
      error: `records path ${recordsPath} is missing or not an array in ${missing} of ${documents} document(s)`,
    };
  }
  return {
    ...base,
    ok: true,
    structure: row?.structure ?? undefined,
    recordCount: Number(row?.records ?? 0),
  };
}
