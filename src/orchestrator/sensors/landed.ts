import type { VaultlineConfig } from '../../config/schema.ts';
import { isBodyKey, STATE_PREFIX } from '../../landing/keys.ts';
import { openLandingStore } from '../../landing/open-store.ts';
import type { LandingStore } from '../../landing/store.ts';
import type { SensorConfig } from '../config.ts';
import { globMatcher } from './glob.ts';
import { type SensedItem, sensedItem, sortItems } from './items.ts';

export type LandedSensorConfig = NonNullable<SensorConfig['landed']>;

/**
 * The committed landed objects of one source (and resource) in the project's landing store, in key
 * order. Landing keys are write-once, so the key is the whole identity: the etag is the key itself.
 * `pattern` matches the key below `<source>/` (e.g. `earthquakes/**`).
 */
export async function listLanded(
  landed: LandedSensorConfig,
  options: { config?: VaultlineConfig; store?: LandingStore; pattern?: string },
): Promise<SensedItem[]> {
  const store = options.store ?? openLandingStore(requireConfig(options.config));
  const sourcePrefix = `${landed.source}/`;
  const prefix = landed.resource ? `${sourcePrefix}${landed.resource}/` : sourcePrefix;
  const matches = globMatcher(options.pattern);
  const items: SensedItem[] = [];
  for await (const object of store.list(prefix)) {
    // list() shows bodies only; the checks keep that true whatever a store does.
    if (!isBodyKey(object.key) || object.key.startsWith(STATE_PREFIX)) continue;
    if (!matches(object.key.slice(sourcePrefix.length))) continue;
    items.push(sensedItem(object.key, object.size, object.key));
  }
  return sortItems(items);
}

function requireConfig(config: VaultlineConfig | undefined): VaultlineConfig {
  if (!config)
    throw new Error('listLanded needs the project configuration (or a store) to open the landing store');
  return config;
}
