import { createCipheriv, createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { IncomingHttpHeaders, IncomingMessage, Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * A throwaway S3-compatible server (s3rver) on 127.0.0.1 with a random port and its own temp folder,
 * for tests of anything that talks to S3. Objects live as plain files under `directory`, so a test can
 * tamper with a stored object behind the store's back (see `objectFile`).
 */
export interface S3rverHandle {
  endpoint: string;
  bucket: string;
  region: string;
  directory: string;
  /** Dummy credentials: s3rver accepts any; the AWS chain must not be consulted in tests. */
  credentials: { accessKeyId: string; secretAccessKey: string };
  /** The file in which s3rver keeps the bytes of object `key` (full object key, prefix included). */
  objectFile(key: string): string;
  /**
   * Writes object `key` straight into s3rver's folder, bypassing HTTP: seeding thousands of objects
   * this way takes a fraction of a second instead of many seconds.
   */
  writeObject(key: string, bytes: Uint8Array): Promise<void>;
  /** Every request the server received, in order (s3rver ignores some headers; tests can check they were sent). */
  requests: RecordedRequest[];
  close(): Promise<void>;
}

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
}

interface S3rverInstance {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
  httpServer?: Server;
}
type S3rverConstructor = new (options: Record<string, unknown>) => S3rverInstance;

const require = createRequire(import.meta.url);

/** s3rver encrypts ListObjectsV2 continuation tokens with DES, which OpenSSL 3 keeps in its legacy provider. */
function assertLegacyProvider(): void {
  try {
    createCipheriv('des', Buffer.alloc(8), Buffer.alloc(8));
  } catch {
    throw new Error(
      's3rver paging needs NODE_OPTIONS=--openssl-legacy-provider; run the tests with `node scripts/test.js` (it sets it)',
    );
  }
}

export async function startS3rver(options: { bucket?: string } = {}): Promise<S3rverHandle> {
  assertLegacyProvider();
  const bucket = options.bucket ?? 'vaultline-test';
  const directory = await mkdtemp(join(tmpdir(), 'vaultline-s3rver-'));
  const S3rver = require('s3rver') as S3rverConstructor;
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: [{ name: bucket }],
  });
  const address = await server.run();
  const objectFile = (key: string) => join(directory, bucket, `${key}._S3rver_object`);
  const requests: RecordedRequest[] = [];
  server.httpServer?.on('request', (req: IncomingMessage) => {
    requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
  });
  return {
    requests,
    endpoint: `http://127.0.0.1:${address.port}`,
    bucket,
    region: 'us-east-1',
    directory,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    objectFile,
    async writeObject(key, bytes) {
      const file = objectFile(key);
      await mkdir(dirname(file), { recursive: true });
      // s3rver computes a missing .md5 on first read; writing it here keeps large listings fast.
      await Promise.all([
        writeFile(file, bytes),
        writeFile(`${file}.md5`, createHash('md5').update(bytes).digest('hex')),
      ]);
    },
    async close() {
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
