import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createGzip } from 'node:zlib';
import { verifyBody } from '../../landing/body.ts';
import type { LandingMetadata } from '../../landing/metadata.ts';
import type { LandingStore } from '../../landing/store.ts';

/** One object staged for a compacted file. */
export interface StagedObject {
  key: string;
  meta: LandingMetadata;
  /** The verified local gzip body (what the landed-JSON reader reads). */
  path: string;
  /** Size of the gzip body as stored. */
  compressedBytes: number;
}

export interface Staging {
  staged: StagedObject[];
  /** Objects that cannot go into a text column, with the reason: they stay JSON-only. */
  jsonOnly: { key: string; sha256: string; reason: string }[];
  /** The longest staged line, in bytes (sizes the engine's JSON reader). */
  maxLineBytes: number;
}

/** Decodes UTF-8 strictly and keeps a byte order mark: the text must re-encode to the very same bytes. */
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Writes the objects `keys` (in key order) to `file`, gzip-compressed newline-delimited JSON, one line
 * per object: `{"k", "t", "s", "v", "p", "f"}` = landing key, load_ts, sidecar sha256, sidecar
 * valid_json, the exact body text, and the local gzip body path. Each body is fetched through
 * `localPath` and checked against its sidecar's sha256 before it is staged. JSON string escaping keeps
 * every character (the engine hashes the loaded text again before anything is written).
 */
export async function stageObjects(
  store: LandingStore,
  objects: { key: string; size: number }[],
  file: string,
): Promise<Staging> {
  const out: Staging = { staged: [], jsonOnly: [], maxLineBytes: 0 };
  const gzip = createGzip();
  const sink = createWriteStream(file);
  const done = new Promise<void>((resolve, reject) => {
    sink.on('finish', resolve);
    sink.on('error', reject);
    gzip.on('error', reject);
  });
  gzip.pipe(sink);
  try {
    for (const object of objects) {
      const meta = await store.getMeta(object.key);
      const path = await store.localPath(object.key);
      const body = verifyBody(object.key, await readFile(path), meta);
      let text: string;
      try {
        text = utf8.decode(body);
      } catch {
        out.jsonOnly.push({
          key: object.key,
          sha256: meta.sha256,
          reason: 'its bytes are not valid UTF-8, so they cannot be kept exactly in a text column',
        });
        continue;
      }
      const line = `${JSON.stringify({
        k: object.key,
        t: meta.load_ts.replace('T', ' ').replace('Z', ''),
        s: meta.sha256,
        v: meta.valid_json,
        p: text,
        f: path,
      })}\n`;
      out.maxLineBytes = Math.max(out.maxLineBytes, Buffer.byteLength(line));
      if (!gzip.write(line)) await once(gzip, 'drain');
      out.staged.push({ key: object.key, meta, path, compressedBytes: object.size });
    }
  } finally {
    gzip.end();
    await done;
  }
  return out;
}
