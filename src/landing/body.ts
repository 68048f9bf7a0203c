import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { createGunzip, gunzipSync } from 'node:zlib';
import { ChecksumMismatchError, CorruptObjectError } from './errors.ts';
import { type LandingMetadata, sha256Hex } from './metadata.ts';

/** Gunzips a stored body and checks it against the sidecar. Shared by every store and by `verify`. */
export function verifyBody(key: string, stored: Buffer, meta: LandingMetadata): Buffer {
  let body: Buffer;
  try {
    body = gunzipSync(stored);
  } catch (error) {
    throw new ChecksumMismatchError(key, meta.sha256, '', `is not valid gzip (${(error as Error).message})`);
  }
  const actual = sha256Hex(body);
  if (actual !== meta.sha256) throw new ChecksumMismatchError(key, meta.sha256, actual);
  return body;
}

/**
 * `verifyBody` for a stored file, streamed: large bodies are hashed without holding them in memory.
 * A missing file is a CorruptObjectError (the caller found its sidecar, so the body should be there).
 */
export async function verifyBodyFile(key: string, path: string, meta: LandingMetadata): Promise<void> {
  const hash = createHash('sha256');
  try {
    await pipeline(createReadStream(path), createGunzip(), async (chunks: AsyncIterable<Buffer>) => {
      for await (const chunk of chunks) hash.update(chunk);
    });
  } catch (error) {
    const err = error as NodeJS.ErrnoException;
    if (err.code === 'ENOENT')
      throw new CorruptObjectError(key, 'the sidecar exists but the body is missing');
    if (typeof err.code === 'string' && err.code.startsWith('Z_')) {
      throw new ChecksumMismatchError(key, meta.sha256, '', `is not valid gzip (${err.message})`);
    }
    throw error;
  }
  const actual = hash.digest('hex');
  if (actual !== meta.sha256) throw new ChecksumMismatchError(key, meta.sha256, actual);
}
