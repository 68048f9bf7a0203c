import { type Session, SqlError } from '../../engine/dialect.ts';
import type { Engine } from '../../engine/engine.ts';
import type { LandingMetadata } from '../../landing/metadata.ts';
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
  const base = baseCheck(key, meta, recordsPath);
  if (!meta.valid_json) return notValidJson(base, meta);
  const path = await store.localPath(key);
  const sql = engine.landedJson.probe({ key, path, loadTs: base.loadTs, bytes: meta.bytes }, recordsPath);
  let row: ProbeRow | undefined;
  try {
    [row] = await session.query<ProbeRow>(sql);
  } catch (error) {
    if (error instanceof SqlError && UNREADABLE.some((p) => p.test(error.message))) {
      return { ...base, ok: false, error: `does not parse: ${error.message.replaceAll(path, key)}` };
    }
    throw error;
  }
  return judge(base, row, recordsPath);
}

/** Keys probed per query of a compacted file (an IN list; the file is scanned once per batch). */
const COMPACTED_BATCH = 2000;

/**
 * The same facts as probeObject, for objects read from one compacted Parquet file: one query per
 * batch of objects instead of one per object (each query scans the file). The sidecar is still read
 * for every object — it, not the compacted row, says whether the payload was valid JSON when landed —
 * and `rowPath` checks each row against it before the row is used.
 */
export async function probeCompactedObjects(input: {
  session: Session;
  engine: Engine;
  store: LandingStore;
  keys: string[];
  recordsPath: string | undefined;
  /** The verified local Parquet path for an object whose row has the sidecar's sha256 (else throws). */
  rowPath: (key: string, sidecarSha256: string) => Promise<string>;
}): Promise<PayloadCheck[]> {
  const { session, engine, store, recordsPath } = input;
  const out = new Map<string, PayloadCheck>();
  const toRead = new Map<string, { key: string; base: CheckBase }[]>();
  for (const key of input.keys) {
    const meta = await store.getMeta(key);
    const base = baseCheck(key, meta, recordsPath);
    if (!meta.valid_json) {
      out.set(key, notValidJson(base, meta));
      continue;
    }
    const path = await input.rowPath(key, meta.sha256);
    const group = toRead.get(path);
    if (group) group.push({ key, base });
    else toRead.set(path, [{ key, base }]);
  }
  for (const [path, objects] of toRead) {
    for (let i = 0; i < objects.length; i += COMPACTED_BATCH) {
      const batch = objects.slice(i, i + COMPACTED_BATCH);
      const rows = await session.query<ProbeRow & { key: string }>(
        engine.landedJson.probeCompacted({ path, keys: batch.map((o) => o.key) }, recordsPath),
      );
      const byKey = new Map(rows.map((r) => [r.key, r]));
      for (const { key, base } of batch) out.set(key, judge(base, byKey.get(key), recordsPath));
    }
  }
  return input.keys.map((key) => out.get(key)!);
}

type ProbeRow = { structure: string | null; records: unknown; documents: unknown; missing: unknown };
type CheckBase = Omit<PayloadCheck, 'ok' | 'error' | 'structure'>;

function baseCheck(key: string, meta: LandingMetadata, recordsPath: string | undefined): CheckBase {
  return {
    key,
    recordsPath: recordsPath ?? '',
    sha256: meta.sha256,
    loadTs: new Date(meta.load_ts),
    bytes: meta.bytes,
    recordCount: 0,
  };
}

function notValidJson(base: CheckBase, meta: LandingMetadata): PayloadCheck {
  const why = meta.parse_error ? `: ${meta.parse_error}` : '';
  return { ...base, ok: false, error: `not valid JSON when landed (sidecar valid_json: false${why})` };
}

/** Turns the probe's counts into a check: readable, or skipped with the reason. */
function judge(base: CheckBase, row: ProbeRow | undefined, recordsPath: string | undefined): PayloadCheck {
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
