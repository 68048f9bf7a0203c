import { gunzipSync } from 'node:zlib';
import { ChecksumMismatchError } from './errors.ts';
import { type LandingMetadata, sha256Hex } from './metadata.ts';

/** Gunzips a stored body and checks it against the sidecar. Shared by every store and by `verify`. */
export function verifyBody(key: string, stored: Buffer, meta: LandingMetadata): Buffer {
  let body: Buffer;
  try {
    body = gunzipSync(stored);
  } catch (error) {
    throw new ChecksumMismatchError(key, meta.sha256, `(not gzip: ${(error as Error).message})`);
  }
  const actual = sha256Hex(body);
  if (actual !== meta.sha256) throw new ChecksumMismatchError(key, meta.sha256, actual);
  return body;
}

