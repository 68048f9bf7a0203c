import type { S3Client } from '@aws-sdk/client-s3';
import type { SensorConfig } from '../config.ts';
import { globMatcher } from './glob.ts';
import { type SensedItem, sensedItem, sortItems } from './items.ts';

export type S3SensorConfig = NonNullable<SensorConfig['s3']>;

type Sdk = typeof import('@aws-sdk/client-s3');
let sdkLoading: Promise<Sdk> | undefined;
// Loaded on first use, as the landing store does: a project without S3 never pays for the SDK.
const loadSdk = (): Promise<Sdk> => {
  sdkLoading ??= import('@aws-sdk/client-s3');
  return sdkLoading;
};

/**
 * The objects under the sensor's prefix, every page of them (ListObjectsV2 with ContinuationToken),
 * in key order. The prefix is a folder: `incoming` and `incoming/` both watch `incoming/…`. Left out:
 * folder markers (keys ending in "/"), keys with a segment starting with "." below the prefix (as the
 * folder sensor leaves dotfiles), and keys whose part below the prefix does not match `pattern`.
 * Credentials come from the AWS default chain unless a `client` is given (tests, or a caller that
 * already has one).
 */
export async function listS3(
  s3: S3SensorConfig,
  options: { pattern?: string; client?: S3Client; pageSize?: number } = {},
): Promise<SensedItem[]> {
  const sdk = await loadSdk();
  const client =
    options.client ??
    new sdk.S3Client({ region: s3.region, endpoint: s3.endpoint, forcePathStyle: s3.force_path_style });
  const prefix = s3.prefix === '' ? '' : `${s3.prefix.replace(/\/+$/, '')}/`;
  const matches = globMatcher(options.pattern);
  const items: SensedItem[] = [];
  try {
    let token: string | undefined;
    do {
      const page = await client.send(
        new sdk.ListObjectsV2Command({
          Bucket: s3.bucket,
          Prefix: prefix,
          ContinuationToken: token,
          MaxKeys: options.pageSize ?? 1000,
        }),
      );
      for (const object of page.Contents ?? []) {
        const key = object.Key;
        if (!key || key.endsWith('/') || !key.startsWith(prefix)) continue;
        const below = key.slice(prefix.length);
        if (below.split('/').some((segment) => segment.startsWith('.'))) continue;
        if (!matches(below)) continue;
        items.push(sensedItem(key, object.Size ?? 0, (object.ETag ?? '').replace(/^"|"$/g, '')));
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  } finally {
    // A client made here holds sockets; one passed in belongs to the caller.
    if (!options.client) client.destroy();
  }
  return sortItems(items);
}
