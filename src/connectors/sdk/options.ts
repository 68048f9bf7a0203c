import { didYouMean } from '../../shared/did-you-mean.ts';
import { redactor } from '../../shared/redact.ts';

/**
 * Typed connector options. Each option is declared once — config key, CLI flag, environment
 * variable, type, default, secret — and resolved with one precedence everywhere:
 * flag > environment variable > vaultline.yml (`connectors.<source>.<key>`) > default.
 * Secret values are registered with the redactor the moment they are read.
 */
export type OptionType = 'string' | 'strings' | 'integer' | 'number' | 'boolean' | 'custom';

export interface OptionSpec {
  /** Key under `connectors.<source>` in vaultline.yml, snake_case (`per_page`, `indicators`). */
  key: string;
  /** CLI flag without dashes (`per-page`); none for secrets, which never go on a command line. */
  flag?: string;
  /** Other flags that mean the same (`wiki-project` for wikimedia's `--project`), shown in --help. */
  flagAliases?: readonly string[];
  type: OptionType;
  description: string;
  /** Shown in --help, e.g. `<code>`. */
  placeholder?: string;
  default?: unknown;
  required?: boolean;
  /** Required only when calling the live service (an API key): replay needs no credentials. */
  requiredLive?: boolean;
  secret?: boolean;
  env?: string;
  choices?: readonly string[];
  pattern?: RegExp;
  /** What `pattern` means, for the error message: "a date like 2025-01-31". */
  patternHint?: string;
  min?: number;
  max?: number;
  /** For `custom` options (structured config such as weather `locations`): a problem, or undefined. */
  validate?: (value: unknown) => string | undefined;
}

export type Origin = 'flag' | 'env' | 'config' | 'default';

/** Labels naming where a value came from, for error messages (`--per-page`, `vaultline.yml:12 …`). */
export interface OptionInputs {
  /** Values from CLI flags, by option key. */
  flags: Record<string, unknown>;
  env: Record<string, string | undefined>;
  /** `connectors.<source>` from vaultline.yml. */
  config: Record<string, unknown>;
  configLabel: (key: string) => string;
  /** True when the run calls the network (live or record): `requiredLive` options are then required. */
  live: boolean;
}

export class OptionValues {
  constructor(
    private readonly values: ReadonlyMap<string, unknown>,
    readonly origins: ReadonlyMap<string, Origin>,
  ) {}

  has(key: string): boolean {
    return this.values.get(key) !== undefined;
  }
  raw(key: string): unknown {
    return this.values.get(key);
  }
  optionalString(key: string): string | undefined {
    const value = this.values.get(key);
    return value === undefined ? undefined : String(value);
  }
  string(key: string): string {
    return this.required(key, this.optionalString(key));
  }
  strings(key: string): string[] {
    const value = this.values.get(key);
    return Array.isArray(value) ? value.map(String) : [];
  }
  optionalNumber(key: string): number | undefined {
    const value = this.values.get(key);
    return typeof value === 'number' ? value : undefined;
  }
  number(key: string): number {
    return this.required(key, this.optionalNumber(key));
  }
  boolean(key: string): boolean {
    return this.values.get(key) === true;
  }

  private required<T>(key: string, value: T | undefined): T {
    if (value === undefined)
      throw new Error(`option ${key} has no value (the resolver should have reported it)`);
    return value;
  }
}

/** Resolves every option; returns the values and every problem found (not just the first). */
export function resolveOptions(
  specs: readonly OptionSpec[],
  inputs: OptionInputs,
): { values: OptionValues; problems: string[] } {
  const values = new Map<string, unknown>();
  const origins = new Map<string, Origin>();
  const problems: string[] = [];
  for (const spec of specs) {
    const candidates: [Origin, unknown, string][] = [
      ['flag', spec.flag ? inputs.flags[spec.key] : undefined, `--${spec.flag}`],
      ['env', spec.env ? inputs.env[spec.env] : undefined, spec.env ?? ''],
      ['config', inputs.config[spec.key], inputs.configLabel(spec.key)],
      ['default', spec.default, `the default of ${spec.key}`],
    ];
    const found = candidates.find(
      ([, raw]) => raw !== undefined && raw !== '' && !(Array.isArray(raw) && raw.length === 0),
    );
    if (!found) {
      if (spec.required || (spec.requiredLive && inputs.live))
        problems.push(missingMessage(spec, inputs.configLabel));
      continue;
    }
    const [origin, raw, label] = found;
    if (spec.secret && typeof raw === 'string')
      redactor.addSecret(raw, `connector option ${spec.key} (${label})`);
    const coerced = coerce(spec, raw, origin);
    if (
      typeof coerced === 'object' &&
      coerced !== null &&
      'problem' in coerced &&
      typeof coerced.problem === 'string'
    ) {
      problems.push(`${label}: ${coerced.problem}`);
      continue;
    }
    const value = (coerced as { value: unknown }).value;
    const invalid = check(spec, value);
    if (invalid) {
      problems.push(`${label}: ${invalid}`);
      continue;
    }
    values.set(spec.key, value);
    origins.set(spec.key, origin);
  }
  return { values: new OptionValues(values, origins), problems };
}

function missingMessage(spec: OptionSpec, configLabel: (key: string) => string): string {
  const ways = [
    spec.flag ? `--${spec.flag}` : undefined,
    spec.env ? `the environment variable ${spec.env}` : undefined,
    configLabel(spec.key),
  ].filter(Boolean);
  const why =
    spec.requiredLive && !spec.required ? ' to call the live API (replaying cassettes needs none)' : '';
  return `${spec.key} is required${why}: ${spec.description}; give it with ${ways.join(', or ')}`;
}

type Coerced = { value: unknown } | { problem: string };

function coerce(spec: OptionSpec, raw: unknown, origin: Origin): Coerced {
  const shown = spec.secret ? '***' : JSON.stringify(raw);
  switch (spec.type) {
    case 'string':
      if (typeof raw === 'string') return { value: raw.trim() };
      if (typeof raw === 'number' && origin === 'config') return { value: String(raw) };
      return { problem: `must be a text value (got ${shown})` };
    case 'strings': {
      const items = Array.isArray(raw) ? raw : [raw];
      const out: string[] = [];
      for (const item of items) {
        if (typeof item !== 'string' && typeof item !== 'number')
          return { problem: `must be a list of text values (got ${shown})` };
        for (const part of String(item).split(',')) if (part.trim() !== '') out.push(part.trim());
      }
      return out.length > 0 ? { value: out } : { problem: 'must name at least one value' };
    }
    case 'integer': {
      const n =
        typeof raw === 'number'
          ? raw
          : typeof raw === 'string' && /^\s*-?\d+\s*$/.test(raw)
            ? Number(raw)
            : Number.NaN;
      return Number.isInteger(n) ? { value: n } : { problem: `must be a whole number (got ${shown})` };
    }
    case 'number': {
      const n =
        typeof raw === 'number'
          ? raw
          : typeof raw === 'string' && raw.trim() !== ''
            ? Number(raw)
            : Number.NaN;
      return Number.isFinite(n) ? { value: n } : { problem: `must be a number (got ${shown})` };
    }
    case 'boolean':
      if (typeof raw === 'boolean') return { value: raw };
      if (typeof raw === 'string' && /^(true|1|yes)$/i.test(raw)) return { value: true };
      if (typeof raw === 'string' && /^(false|0|no)$/i.test(raw)) return { value: false };
      return { problem: `must be true or false (got ${shown})` };
    case 'custom':
      return { value: raw };
  }
}

function check(spec: OptionSpec, value: unknown): string | undefined {
  const items = Array.isArray(value) ? value : [value];
  for (const item of items) {
    if (spec.choices && !spec.choices.includes(String(item))) {
      const near = didYouMean(String(item), spec.choices);
      return `${JSON.stringify(item)} is not one of ${spec.choices.join(', ')}${near ? ` (did you mean "${near}"?)` : ''}`;
    }
    if (spec.pattern && !spec.pattern.test(String(item))) {
      return `${spec.secret ? '***' : JSON.stringify(item)} is not ${spec.patternHint ?? `in the form ${spec.pattern}`}`;
    }
    if (typeof item === 'number') {
      if (spec.min !== undefined && item < spec.min) return `must be at least ${spec.min} (got ${item})`;
      if (spec.max !== undefined && item > spec.max) return `must be at most ${spec.max} (got ${item})`;
    }
  }
  return spec.validate?.(value);
}
