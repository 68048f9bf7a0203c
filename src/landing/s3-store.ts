import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { CopyObjectCommandInput, PutObjectCommandInput, S3Client } from '@aws-sdk/client-s3';
import {
  type ArtifactSource,
  artifactMismatch,
  assertArtifactKey,
  hashBytes,
  type StoredArtifact,
} from './artifacts.ts';
import { verifyBody } from './body.ts';
import { AlreadyExistsError, CorruptObjectError, InvalidKeyError, NotFoundError } from './errors.ts';
import {
  assertListPrefix,
  assertRepairFolder,
  assertStoreKey,
  assertWritableKey,
  CLAIMS_PREFIX,
  isBodyKey,
  isHiddenKey,
  isMetaKey,
  META_SUFFIX,
  metaKeyFor,
  STATE_PREFIX,
} from './keys.ts';
import { entryKind } from './local-store.ts';
import { buildMetadata, type LandingMetadata, type LandingMetadataInput } from './metadata.ts';
import { type ClaimOps, withClaim } from './s3-claims.ts';
import { isStateKeyOf, nextStateKey, parseState, statePrefix } from './state.ts';
import type { DebrisEntry, LandingStore, ListedObject, RawEntry } from './store.ts';

/** S3's limit on an object key, in UTF-8 bytes. */
const MAX_OBJECT_KEY_BYTES = 1024;

/**
 * Written with `If-None-Match: *` twice at a store's first write: a server that answers the second
 * PUT with 412 honours conditional writes. It lives in `_claims/`, which no listing shows.
 */
const PROBE_KEY = `${CLAIMS_PREFIX}.if-none-match-probe`;

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
 * (`If-None-Match: *`, answered 412 when the key exists: AWS S3 since 2024, MinIO since mid-2024). At
 * its first write a store probes whether the server honours the header; where it does not (s3rver,
 * older MinIO), every write-once put runs under a claim (s3-claims.ts), which excludes writers of one
 * key across processes too. Writers of one key inside this process are serialised either way.
 */
export class S3Store implements LandingStore {
  readonly location: string;
  private connecting?: Promise<{ sdk: Sdk; client: S3Client }>;
  private readonly prefix: string;
  private readonly inFlight = new Map<string, Promise<unknown>>();
  private probing?: Promise<boolean>;

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

  /** The object key for `key`, after checking its shape and S3's length limit (sidecar included). */
  private objectKey(key: string, options: { debris?: boolean } = {}): string {
    assertStoreKey(key, options);
    const objectKey = `${this.prefix}${key}`;
    const longest = isMetaKey(key) || options.debris ? objectKey : `${objectKey}${META_SUFFIX}`;
    const bytes = Buffer.byteLength(longest);
    if (bytes > MAX_OBJECT_KEY_BYTES) {
      throw new InvalidKeyError(
        key,
        `its object key in ${this.location} takes ${bytes} bytes${longest === objectKey ? '' : ' with the sidecar suffix'}; S3 allows at most ${MAX_OBJECT_KEY_BYTES}`,
      );
    }
    return objectKey;
  }

  /** The object-key prefix for a listing prefix (which may be empty or end in "/"). */
  private prefixKey(prefix: string): string {
    assertListPrefix(prefix);
    return `${this.prefix}${prefix}`;
  }

  async put(key: string, body: Uint8Array, input: LandingMetadataInput): Promise<LandingMetadata> {
    const compressed = gzipSync(body);
    const meta = buildMetadata(key, body, compressed.byteLength, input);
    const taken = async () => (await this.headExists(metaKeyFor(key))) || (await this.headExists(key));
    return this.writeOnce(key, taken, async () => {
      // A stray sidecar (from a hand edit or a restore) must not be paired with a new body.
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

  /**
   * Runs a write-once `work` for `key`: serialised within this process, and across processes by the
   * server's conditional PUT — or, where the server ignores it, by a claim on the key (s3-claims.ts).
   */
  private writeOnce<T>(key: string, taken: () => Promise<boolean>, work: () => Promise<T>): Promise<T> {
    assertWritableKey(key);
    this.objectKey(key);
    return this.exclusively(key, async () =>
      (await this.conditionalWrites()) ? work() : withClaim(this.claimOps(), key, taken, work),
    );
  }

  /**
   * Whether the server honours `If-None-Match: *`, probed once per store: two conditional PUTs of
   * PROBE_KEY; the second (or the first, when an earlier probe left the object) must answer 412.
   */
  conditionalWrites(): Promise<boolean> {
    this.probing ??= (async () => {
      for (let i = 0; i < 2; i++) {
        try {
          await this.send(this.putInput(PROBE_KEY, Buffer.from('probe\n'), 'text/plain', true));
        } catch (error) {
          if (isPreconditionFailed(error)) return true;
          throw error;
        }
      }
      return false;
    })();
    this.probing.catch(() => {
      this.probing = undefined; // a network error is not an answer: probe again next time
    });
    return this.probing;
  }

  private claimOps(): ClaimOps {
    return {
      location: this.location,
      put: async (key) => {
        await this.send(this.putInput(key, Buffer.alloc(0), 'application/octet-stream', false));
      },
      list: async (prefix) => {
        const keys: string[] = [];
        for await (const object of this.listRaw(prefix)) keys.push(object.key);
        return keys;
      },
      delete: (key) => this.deleteObject(key),
    };
  }

  private async send(input: PutObjectCommandInput): Promise<void> {
    const { sdk, client } = await this.s3();
    await client.send(new sdk.PutObjectCommand(input));
  }

  private async deleteObject(key: string): Promise<void> {
    const { sdk, client } = await this.s3();
    await client.send(
      new sdk.DeleteObjectCommand({ Bucket: this.options.bucket, Key: `${this.prefix}${key}` }),
    );
  }

  /** A PutObject request for `key` with the store's SSE settings and an MD5 of the bytes. */
  private putInput(
    key: string,
    bytes: Uint8Array,
    contentType: string,
    conditional: boolean,
    metadata?: Record<string, string>,
  ): PutObjectCommandInput {
    const input: PutObjectCommandInput = {
      Bucket: this.options.bucket,
      Key: `${this.prefix}${key}`,
      Body: bytes,
      ContentType: contentType,
      Metadata: metadata,
      ContentMD5: createHash('md5').update(bytes).digest('base64'),
      ...(conditional ? { IfNoneMatch: '*' } : {}),
    };
    this.addEncryption(input);
    return input;
  }

  private addEncryption(input: { ServerSideEncryption?: string; SSEKMSKeyId?: string }): void {
    if (this.options.sse) {
      input.ServerSideEncryption = this.options.sse;
      if (this.options.sse === 'aws:kms' && this.options.kmsKeyId) input.SSEKMSKeyId = this.options.kmsKeyId;
    }
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
    const input = this.putInput(key, bytes, contentType, true, metadata);
    for (let attempt = 1; ; attempt++) {
      try {
        await this.send(input);
        return;
      } catch (error) {
        if (!isS3Error(error)) throw error;
        const status = error.$metadata.httpStatusCode;
        if (isPreconditionFailed(error)) throw new AlreadyExistsError(key, this.location);
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
      if (isHiddenKey(object.key, prefix)) continue;
      if (pending && object.key === metaKeyFor(pending.key)) yield pending;
      pending = isBodyKey(object.key) ? object : undefined;
    }
  }

  async *listEntries(prefix = ''): AsyncIterable<RawEntry> {
    for await (const object of this.listRaw(prefix)) {
      if (isHiddenKey(object.key, prefix)) continue;
      yield { ...object, kind: entryKind(object.key) };
    }
  }

  /** Write claims (s3-claims.ts) of keys under `prefix`: a writer killed while it held one leaves it. */
  async *listDebris(prefix = ''): AsyncIterable<DebrisEntry> {
    for await (const object of this.listRaw(`${CLAIMS_PREFIX}${prefix}`)) {
      if (object.key !== PROBE_KEY) yield { ...object, kind: 'claim' };
    }
  }

  /** Copy to `<folder><key>` (refused if that exists), then delete the original: S3 has no rename. */
  async moveToRepair(key: string, folder: string): Promise<void> {
    assertRepairFolder(folder);
    const debris = key.startsWith(CLAIMS_PREFIX);
    const from = debris ? `${this.prefix}${key}` : this.objectKey(key);
    const to = `${folder}${key}`;
    this.objectKey(to, { debris: true });
    if (await this.headExists(to)) throw new AlreadyExistsError(to, this.location);
    const { sdk, client } = await this.s3();
    const copy: CopyObjectCommandInput = {
      Bucket: this.options.bucket,
      Key: `${this.prefix}${to}`,
      // encodeURI leaves "/" and "=" (load_date=) as they are, which both AWS and s3rver accept.
      CopySource: encodeURI(`${this.options.bucket}/${from}`),
    };
    this.addEncryption(copy);
    await client.send(new sdk.CopyObjectCommand(copy));
    await this.deleteObject(key);
  }

  private async *listRaw(prefix: string): AsyncIterable<ListedObject> {
    const { sdk, client } = await this.s3();
    let token: string | undefined;
    do {
      const page = await client.send(
        new sdk.ListObjectsV2Command({
          Bucket: this.options.bucket,
          Prefix: this.prefixKey(prefix),
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
    await this.writeOnce(
      key,
      () => this.headExists(key),
      () => this.putOnce(key, bytes, contentType, { sha256: stored.sha256 }),
    );
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
    await this.writeOnce(
      key,
      () => this.headExists(key),
      () => this.putOnce(key, Buffer.from(`${JSON.stringify(value, null, 2)}\n`), 'application/json'),
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

function isPreconditionFailed(error: unknown): boolean {
  return isS3Error(error) && (error.$metadata.httpStatusCode === 412 || error.name === 'PreconditionFailed');
}

function isNotFound(error: unknown): boolean {
  if (!isS3Error(error)) return false;
  return error.$metadata.httpStatusCode === 404 || error.name === 'NotFound' || error.name === 'NoSuchKey';
}
