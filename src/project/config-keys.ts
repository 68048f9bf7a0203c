import { z } from 'zod';
import { didYouMean } from '../shared/did-you-mean.ts';

/**
 * The config keys each resource type accepts, wherever they are set: a `+key` folder config in
 * vaultline.yml, `config:` in a properties YAML, or `{{ config(key=…) }}` in SQL. An unknown key is an
 * error with a "did you mean": a misspelt `materialised` silently ignored would build the wrong thing.
 */
const tags = z.union([z.string().min(1), z.array(z.string().min(1))]);
const identifier = z.string().regex(/^[A-Za-z_][A-Za-z0-9_$]*$/, 'use letters, digits and "_"');

const common = {
  tags,
  enabled: z.boolean(),
  meta: z.record(z.string(), z.unknown()),
};

export const CONFIG_KEYS = {
  model: {
    ...common,
    materialized: z.enum(['view', 'table', 'incremental', 'ephemeral']),
    schema: identifier,
    alias: identifier,
    unique_key: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
    incremental_strategy: z.enum(['append', 'merge', 'delete+insert']),
    on_schema_change: z.enum(['ignore', 'fail', 'append_new_columns']),
    full_refresh: z.boolean().nullable(),
  },
  seed: {
    ...common,
    schema: identifier,
    alias: identifier,
    column_types: z.record(z.string(), z.string().min(1)),
  },
  test: {
    ...common,
    severity: z
      .string()
      .transform((s) => s.toLowerCase())
      .pipe(z.enum(['error', 'warn'])),
    where: z.string().min(1),
    /** Keep every failing row in a table `<schema>.<test name>` (src/project/test-failures.ts). */
    store_failures: z.boolean(),
    /** The schema of that table (default vaultline_test_failures). */
    schema: identifier,
  },
  source: {
    ...common,
  },
} as const;

export type ConfigResource = keyof typeof CONFIG_KEYS;

export interface ConfigProblem {
  key: string;
  message: string;
  hint?: string;
}

/** dbt spells some keys with dashes in old projects; tell them, rather than "unknown key". */
const RENAMED: Record<string, string> = { 'unique-key': 'unique_key', materialization: 'materialized' };

/** Validates one config mapping; returns the accepted values (normalised) and every problem. */
export function checkConfig(
  resource: ConfigResource,
  values: Record<string, unknown>,
): { config: Record<string, unknown>; problems: ConfigProblem[] } {
  const keys = CONFIG_KEYS[resource] as Record<string, z.ZodType>;
  const config: Record<string, unknown> = {};
  const problems: ConfigProblem[] = [];
  for (const [key, value] of Object.entries(values)) {
    const schema = keys[key];
    if (!schema) {
      const suggestion = RENAMED[key] ?? didYouMean(key, Object.keys(keys));
      problems.push({
        key,
        message: `unknown ${resource} config "${key}"`,
        hint: suggestion ? `did you mean "${suggestion}"?` : `known: ${Object.keys(keys).join(', ')}`,
      });
      continue;
    }
    const parsed = schema.safeParse(value);
    if (parsed.success) {
      config[key] = parsed.data;
      continue;
    }
    problems.push({ key, ...describe(key, value, schema) });
  }
  return { config, problems };
}

function describe(key: string, value: unknown, schema: z.ZodType): { message: string; hint?: string } {
  const options = enumOptions(schema);
  const got = JSON.stringify(value);
  if (options) {
    const suggestion = typeof value === 'string' ? didYouMean(value, options) : undefined;
    return {
      message: `config ${key} must be one of ${options.join(', ')} (got ${got})`,
      hint: suggestion ? `did you mean "${suggestion}"?` : undefined,
    };
  }
  const issue = (schema.safeParse(value) as { error?: z.ZodError }).error?.issues[0];
  return { message: `config ${key} is not valid (got ${got})${issue ? `: ${issue.message}` : ''}` };
}

function enumOptions(schema: z.ZodType): string[] | undefined {
  const def = (schema as unknown as { _zod: { def: { type: string; entries?: object; out?: z.ZodType } } })
    ._zod.def;
  if (def.type === 'enum' && def.entries) return Object.keys(def.entries);
  if (def.type === 'pipe' && def.out) return enumOptions(def.out);
  return undefined;
}

/** `tags` may be a string or a list; folder, YAML and config() tags accumulate (as in dbt). */
export function tagList(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((t): t is string => typeof t === 'string');
  return [];
}

/** Later layers override earlier ones, except tags, which accumulate. */
export function mergeConfigs(...layers: Record<string, unknown>[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const allTags: string[] = [];
  for (const layer of layers) {
    for (const [key, value] of Object.entries(layer)) {
      if (key === 'tags') {
        for (const tag of tagList(value)) if (!allTags.includes(tag)) allTags.push(tag);
      } else out[key] = value;
    }
  }
  if (allTags.length > 0) out.tags = allTags;
  return out;
}
