import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { PutObjectCommandInput, S3Client } from '@aws-sdk/client-s3';
import {
  type ArtifactSource,
  artifactMismatch,
  assertArtifactKey,
  hashBytes,
  type StoredArtifact,
} from './artifacts.ts';
import { verifyBody } from './body.ts';
import { AlreadyExistsError, CorruptObjectError, NotFoundError } from './errors.ts';
import { isBodyKey, META_SUFFIX, metaKeyFor, STATE_PREFIX } from './keys.ts';
import { entryKind } from './local-store.ts';
import { buildMetadata, type LandingMetadata, type LandingMetadataInput } from './metadata.ts';
import { isStateKeyOf, nextStateKey, parseState, statePrefix } from './state.ts';
import type { LandingStore, ListedObject, RawEntry } from './store.ts';

// vaultline pins its SDK version, so the SDK's notice that future versions will need Node 22 is noise on
// every command; a user who sets the variable themselves keeps their choice.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/**
 * The AWS SDK is loaded on first use: it costs a quarter of a second of start-up, which every command
 * of a project with a local landing store would otherwise pay.
 */
type Sdk = typeof import('@aws-sdk/client-s3');
let sdkLoading: Promise<Sdk> | undefined;
const loadSdk = (): Promise<Sdk> => {
  sdkLoading ??= import('@aws-sdk/client-s3');
  return sdkLoading;
};

export interface S3StoreOptions {
  bucket: string;
  prefix?: string;
  region?: string;
  endpoint?: string;
  forcePathStyle?: boolean;
  sse?: 'AES256' | 'aws:kms';
  kmsKeyId?: string;
  /** Local folder for bodies downloaded for DuckDB (see DESIGN.md: httpfs is not available offline). */
  cacheDir: string;
  /** Credentials come from the standard AWS chain unless given (tests pass dummy ones for s3rver). */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** Objects per ListObjectsV2 page (S3's maximum, 1000, by default). */
  pageSize?: number;
}

/**
 * A landing store in an S3 bucket (or an S3-compatible server). Write-once uses a conditional PUT
 * (`If-None-Match: *`); servers that ignore the header are covered by a HEAD check before each PUT and
 * by serialising writers of one key inside this process. Against such a server, two *processes* racing
 * for the same key within milliseconds are not excluded — keys carry millisecond timestamps and request
 * hashes, so that needs two extractions of the same request in the same millisecond.
 */
export class S3Store implements LandingStore {
  readonly location: string;
  private connecting?: Promise<{ sdk: Sdk; client: S3Client }>;
  private readonly prefix: string;
  private readonly inFlight = new Map<string, Promise<unknown>>();

  constructor(private readonly options: S3StoreOptions) {
    this.prefix = options.prefix ? `${options.prefix.replace(/\/+$/, '')}/` : '';
    this.location = `s3://${options.bucket}/${this.prefix}`;
  }

  private s3(): Promise<{ sdk: Sdk; client: S3Client }> {
    this.connecting ??= loadSdk().then((sdk) => ({
      sdk,
      client: new sdk.S3Client({
        region: this.options.region ?? 'us-east-1',
        endpoint: this.options.endpoint,
        forcePathStyle: this.options.forcePathStyle ?? false,
        credentials: this.options.credentials,
      }),
    }));
    return this.connecting;
  }

  private objectKey(key: string): string {
    if (key.includes('..') || key.startsWith('/')) throw new Error(`invalid landing key: ${key}`);
    return `${this.prefix}${key}`;
  }

  async put(key: string, body: Uint8Array, input: LandingMetadataInput): Promise<LandingMetadata> {
    return this.exclusively(key, async () => {
      const compressed = gzipSync(body);
      const meta = buildMetadata(key, body, compressed.byteLength, input);
      if (await this.headExists(metaKeyFor(key))) throw new AlreadyExistsError(key, this.location);
      await this.putOnce(key, compressed, 'application/gzip', { sha256: meta.sha256 });
      await this.putOnce(
        metaKeyFor(key),
        Buffer.from(`${JSON.stringify(meta, null, 2)}\n`),
        'application/json',
      );
      return meta;
    });
  }

  /** Serialises writers of one key within this process, so the HEAD check cannot race itself. */
  private async exclusively<T>(key: string, work: () => Promise<T>): Promise<T> {
    while (this.inFlight.has(key)) await this.inFlight.get(key)!.catch(() => undefined);
    const running = work();
    this.inFlight.set(key, running);
    try {
      return await running;
    } finally {
      this.inFlight.delete(key);
    }
  }

  private async putOnce(
    key: string,
    bytes: Uint8Array,
    contentType: string,
    metadata?: Record<string, string>,
  ) {
    if (await this.headExists(key)) throw new AlreadyExistsError(key, this.location);
    const input: PutObjectCommandInput = {
      Bucket: this.options.bucket,
      Key: this.objectKey(key),
      Body: bytes,
      ContentType: contentType,
      IfNoneMatch: '*',
      Metadata: metadata,
      ContentMD5: createHash('md5').update(bytes).digest('base64'),
    };
    if (this.options.sse) {
      input.ServerSideEncryption = this.options.sse;
      if (this.options.sse === 'aws:kms' && this.options.kmsKeyId) input.SSEKMSKeyId = this.options.kmsKeyId;
    }
    const { sdk, client } = await this.s3();
    for (let attempt = 1; ; attempt++) {
      try {
        await client.send(new sdk.PutObjectCommand(input));
        return;
      } catch (error) {
        if (!isS3Error(error)) throw error;
        const status = error.$metadata.httpStatusCode;
        if (status === 412 || error.name === 'PreconditionFailed')
          throw new AlreadyExistsError(key, this.location);
        // S3 answers 409 ConditionalRequestConflict while another conditional write of the key is in
        // flight; AWS says to retry, and the retry then gets 412 if the other writer won.
        if ((status === 409 || error.name === 'ConditionalRequestConflict') && attempt < 5) continue;
        throw error;
      }
    }
  }

  private async headExists(key: string): Promise<boolean> {
    const { sdk, client } = await this.s3();
    try {
      await client.send(new sdk.HeadObjectCommand({ Bucket: this.options.bucket, Key: this.objectKey(key) }));
      return true;
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
  }

  private async getBytes(key: string): Promise<Buffer | undefined> {
    const { sdk, client } = await this.s3();
    try {
      const response = await client.send(
        new sdk.GetObjectCommand({ Bucket: this.options.bucket, Key: this.objectKey(key) }),
      );
      if (!response.Body) return Buffer.alloc(0);
      return Buffer.from(await response.Body.transformToByteArray());
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async getMeta(key: string): Promise<LandingMetadata> {
    const bytes = await this.getBytes(metaKeyFor(key));
    if (!bytes) throw new NotFoundError(key, this.location);
    try {
      return JSON.parse(bytes.toString('utf8')) as LandingMetadata;
    } catch (error) {
      throw new CorruptObjectError(key, `sidecar ${key}${META_SUFFIX} is not valid JSON`, error);
    }
  }

  async get(key: string): Promise<{ body: Buffer; meta: LandingMetadata }> {
    const meta = await this.getMeta(key);
    const stored = await this.getBytes(key);
    if (!stored) throw new CorruptObjectError(key, 'the sidecar exists but the body is missing');
    return { body: verifyBody(key, stored, meta), meta };
  }

  async exists(key: string): Promise<boolean> {
    return (await this.headExists(metaKeyFor(key))) && (await this.headExists(key));
  }

  async *list(prefix = ''): AsyncIterable<ListedObject> {
    // A page of keys is sorted, and a body's sidecar sorts right after it: hold each body until the
    // next entry shows whether its sidecar exists (an uncommitted body is not listed).
    let pending: ListedObject | undefined;
    for await (const object of this.listRaw(prefix)) {
      if (!prefix.startsWith(STATE_PREFIX) && object.key.startsWith(STATE_PREFIX)) continue;
      if (pending && object.key === metaKeyFor(pending.key)) yield pending;
      pending = isBodyKey(object.key) ? object : undefined;
    }
  }

  async *listEntries(prefix = ''): AsyncIterable<RawEntry> {
    for await (const object of this.listRaw(prefix))
      yield { key: object.key, size: object.size, kind: entryKind(object.key) };
  }

  private async *listRaw(prefix: string): AsyncIterable<ListedObject> {
    const { sdk, client } = await this.s3();
    let token: string | undefined;
    do {
      const page = await client.send(
        new sdk.ListObjectsV2Command({
          Bucket: this.options.bucket,
          Prefix: this.objectKey(prefix),
          ContinuationToken: token,
          MaxKeys: this.options.pageSize ?? 1000,
        }),
      );
      for (const item of page.Contents ?? []) {
        if (!item.Key) continue;
        yield {
          key: item.Key.slice(this.prefix.length),
          size: item.Size ?? 0,
          lastModified: item.LastModified ?? new Date(0),
        };
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  async readEntry(key: string): Promise<Buffer> {
    const bytes = await this.getBytes(key);
    if (!bytes) throw new NotFoundError(key, this.location, 'entry');
    return bytes;
  }

  async localPath(key: string): Promise<string> {
    const path = join(this.options.cacheDir, ...key.split('/'));
    const meta = await this.getMeta(key);
    if (existsSync(path)) {
      // A cached copy is trusted only while it still matches the sidecar's checksum.
      try {
        verifyBody(key, await readFile(path), meta);
        return path;
      } catch {
        /* stale or damaged cache entry: download again */
      }
    }
    const stored = await this.getBytes(key);
    if (!stored) throw new CorruptObjectError(key, 'the sidecar exists but the body is missing');
    verifyBody(key, stored, meta);
    await mkdir(dirname(path), { recursive: true });
    // A unique temp name per call: two readers filling the cache at once must not share one file.
    const temp = `${path}.${process.pid}-${randomBytes(6).toString('hex')}.tmp`;
    await writeFile(temp, stored);
    await rename(temp, path);
    return path;
  }

  bodyPath(key: string): Promise<string> {
    return this.localPath(key);
  }

  /**
   * Artifacts are uploaded in one PUT from memory (a file source is read first): compacted months are
   * far below S3's 5 GB single-PUT limit. The returned sha256 is of the bytes sent; a MD5 header lets
   * S3 refuse a body damaged in transit.
   */
  async putArtifact(key: string, source: ArtifactSource): Promise<StoredArtifact> {
    assertArtifactKey(key);
    const bytes = source instanceof Uint8Array ? source : await readFile(source.file);
    const contentType = key.endsWith('.json') ? 'application/json' : 'application/octet-stream';
    const stored = hashBytes(bytes);
    await this.exclusively(key, () => this.putOnce(key, bytes, contentType, { sha256: stored.sha256 }));
    return { key, ...stored };
  }

  async getArtifact(key: string): Promise<Buffer> {
    assertArtifactKey(key);
    const bytes = await this.getBytes(key);
    if (!bytes) throw new NotFoundError(key, this.location, 'artifact');
    return bytes;
  }

  /** A cache copy under cache_path, trusted only while it hashes to `sha256`; else downloaded again. */
  async artifactPath(key: string, sha256: string): Promise<string> {
    assertArtifactKey(key);
    const path = join(this.options.cacheDir, ...key.split('/'));
    if (existsSync(path) && hashBytes(await readFile(path)).sha256 === sha256) return path;
    const stored = await this.getBytes(key);
    if (!stored) throw new NotFoundError(key, this.location, 'artifact');
    const actual = hashBytes(stored).sha256;
    if (actual !== sha256) throw artifactMismatch(key, sha256, actual);
    await mkdir(dirname(path), { recursive: true });
    const temp = `${path}.${process.pid}-${randomBytes(6).toString('hex')}.tmp`;
    await writeFile(temp, stored);
    await rename(temp, path);
    return path;
  }

  async putState(name: string, value: unknown): Promise<void> {
    const key = nextStateKey(name, new Date());
    await this.exclusively(key, () =>
      this.putOnce(key, Buffer.from(`${JSON.stringify(value, null, 2)}\n`), 'application/json'),
    );
  }

  async getState<T = unknown>(name: string): Promise<T | undefined> {
    let newest: string | undefined;
    for await (const entry of this.listRaw(statePrefix(name)))
      if (isStateKeyOf(name, entry.key)) newest = entry.key;
    if (!newest) return undefined;
    const bytes = await this.getBytes(newest);
    if (!bytes) throw new NotFoundError(newest, this.location, 'state object');
    return parseState<T>(newest, bytes);
  }
}

/** An error answered by S3 (the SDK's S3ServiceException), told apart without loading the SDK. */
function isS3Error(error: unknown): error is Error & { $metadata: { httpStatusCode?: number } } {
  return error instanceof Error && typeof (error as { $metadata?: unknown }).$metadata === 'object';
}

function isNotFound(error: unknown): boolean {
  if (!isS3Error(error)) return false;
  return error.$metadata.httpStatusCode === 404 || error.name === 'NotFound' || error.name === 'NoSuchKey';
}
