import type { Context, Hono } from 'hono';
import {
  ChecksumMismatchError,
  CorruptObjectError,
  InvalidKeyError,
  NotFoundError,
} from '../../landing/errors.ts';
import { assertKeyPart, parseLandingKey } from '../../landing/keys.ts';
import { openLandingStore } from '../../landing/open-store.ts';
import type { LandingStore } from '../../landing/store.ts';
import type { UiDeps } from '../deps.ts';
import { landingSummary, objectRow, objectsOfDay, PREVIEW_BYTES, SUMMARY_DAYS } from '../landing/objects.ts';
import { quarantineRows, rejectRows } from '../landing/warehouse-lists.ts';
import { uiJson } from './json.ts';

const DEFAULT_REJECTS = 200;
const MAX_REJECTS = 5000;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The Landing page's routes:
 *   GET /ui/api/landing/summary                          {location, days_per_resource, resources:[{source,
 *        resource, objects, days:[{date, objects, bytes, compressed_bytes, records, invalid_json}],
 *        older_days, older_objects}]}                    newest dates first, SUMMARY_DAYS per resource
 *   GET /ui/api/landing/objects?source=&resource=&date=  {objects:[{key, bytes, compressed_bytes, records,
 *        status, load_ts, valid_json, parse_error?, no_data?, transport?}]}
 *   GET /ui/api/landing/object?key=                      {meta (the sidecar), object, preview, truncated,
 *        preview_bytes} — the body checked against its sha256; 400 for anything not a landing key
 *   GET /ui/api/landing/quarantine?all=1                 {built, entries:[{key, source, reason, sha256, …}]}
 *   GET /ui/api/landing/rejects?limit=                   {built, limit, rejects:[{key, record_index, column,
 *        json_path, data_type, value, reason, source, run_id, rejected_at}]}
 * The store is read as it is (list, sidecars, get); the warehouse lists through deps.read, and answer
 * empty with built: false before the first build.
 */
export function registerLandingRoutes(app: Hono, deps: UiDeps): void {
  let opened: LandingStore | undefined;
  const store = () => {
    opened ??= openLandingStore(deps.config);
    return opened;
  };

  app.get('/ui/api/landing/summary', async (c) => {
    const resources = await landingSummary(store());
    return uiJson(c, { location: store().location, days_per_resource: SUMMARY_DAYS, resources });
  });

  app.get('/ui/api/landing/objects', async (c) => {
    const source = c.req.query('source') ?? '';
    const resource = c.req.query('resource') ?? '';
    const date = c.req.query('date') ?? '';
    try {
      assertKeyPart('source', source);
      assertKeyPart('resource', resource);
    } catch (error) {
      return uiJson(c, { error: (error as Error).message }, 400);
    }
    if (!DATE.test(date)) return uiJson(c, { error: 'date must be a load date YYYY-MM-DD' }, 400);
    return uiJson(c, {
      source,
      resource,
      date,
      objects: await objectsOfDay(store(), source, resource, date),
    });
  });

  app.get('/ui/api/landing/object', async (c) => {
    const key = c.req.query('key') ?? '';
    // Only a body key as landingKey makes it: no "..", no _state/, _repair/, _claims/, no sidecar.
    if (!parseLandingKey(key))
      return uiJson(
        c,
        {
          error: `not a landing key: "${key.slice(0, 200)}" (expected <source>/<resource>/load_date=YYYY-MM-DD/<ts>_<hash>.json.gz)`,
        },
        400,
      );
    return objectAnswer(c, store(), key);
  });

  app.get('/ui/api/landing/quarantine', async (c) => {
    const all = c.req.query('all') === '1' || c.req.query('all') === 'true';
    const entries = await deps.read((session) => quarantineRows(deps.config, session, all));
    return uiJson(c, { built: entries !== null, entries: entries ?? [] });
  });

  app.get('/ui/api/landing/rejects', async (c) => {
    const asked = Number(c.req.query('limit') ?? DEFAULT_REJECTS);
    if (!Number.isInteger(asked) || asked < 1)
      return uiJson(c, { error: 'limit must be a whole number of at least 1' }, 400);
    const limit = Math.min(asked, MAX_REJECTS);
    const rejects = await deps.read((session) => rejectRows(deps.config, session, limit));
    return uiJson(c, { built: rejects !== null, limit, rejects: rejects ?? [] });
  });
}

/** One object: its sidecar and the first PREVIEW_BYTES of the body, read through get (sha256 checked). */
async function objectAnswer(c: Context, store: LandingStore, key: string): Promise<Response> {
  try {
    const { body, meta } = await store.get(key);
    const truncated = body.byteLength > PREVIEW_BYTES;
    // A cut may fall inside a UTF-8 sequence: the decoder shows it as U+FFFD, which is fine for a preview.
    const preview = body.subarray(0, PREVIEW_BYTES).toString('utf8');
    return uiJson(c, { meta, object: objectRow(meta), preview, truncated, preview_bytes: PREVIEW_BYTES });
  } catch (error) {
    if (error instanceof NotFoundError) return uiJson(c, { error: error.message }, 404);
    if (error instanceof InvalidKeyError) return uiJson(c, { error: error.message }, 400);
    if (error instanceof ChecksumMismatchError || error instanceof CorruptObjectError) {
      const meta = await store.getMeta(key).catch(() => undefined);
      return uiJson(c, { error: error.message, corrupt: true, ...(meta ? { meta } : {}) }, 409);
    }
    throw error;
  }
}
