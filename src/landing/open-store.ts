import { projectPath } from '../config/load.ts';
import type { VaultlineConfig } from '../config/schema.ts';
import { LocalStore } from './local-store.ts';
import { S3Store } from './s3-store.ts';
import type { LandingStore } from './store.ts';

/** The landing store a project's configuration names. */
export function openLandingStore(config: VaultlineConfig): LandingStore {
  const landing = config.landing;
  if (landing.type === 'local') return new LocalStore(projectPath(config, landing.path));
  return new S3Store({
    bucket: landing.bucket,
    prefix: landing.prefix,
    region: landing.region,
    endpoint: landing.endpoint,
    forcePathStyle: landing.force_path_style,
    sse: landing.sse,
    kmsKeyId: landing.kms_key_id,
    cacheDir: projectPath(config, landing.cache_path),
  });
}
