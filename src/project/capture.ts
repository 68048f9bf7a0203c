import { Relation } from './jinja/relation.ts';
import type { JinjaState } from './jinja/state.ts';

/**
 * Parse-time rendering (dbt's approach): each model and test is rendered once with functions that
 * record what they are asked — ref(), source(), config(), var() — instead of resolving anything.
 * `is_incremental()` is false and `execute` is false, so SQL guarded by them is not needed to find the
 * dependencies; a ref() used only inside `{% if is_incremental() %}` must be declared with a comment
 * `-- depends_on: {{ ref('x') }}` (the render-time check says so).
 */
export interface Captured {
  refs: { name: string; project?: string }[];
  sources: { source: string; table: string }[];
  /** Every config() call's values, in call order. */
  configs: Record<string, unknown>[];
  /** var() names without a value in the project vars and without a default. */
  missingVars: string[];
}

export function captureState(options: {
  label: string;
  vars: Record<string, unknown>;
  target: Record<string, unknown>;
  dialect: string;
  env: Record<string, string | undefined>;
  thisRelation: Relation;
  /** Config known before the template runs (folders, YAML), for config.get(). */
  baseConfig: Record<string, unknown>;
}): { state: JinjaState; captured: Captured } {
  const captured: Captured = { refs: [], sources: [], configs: [], missingVars: [] };
  const state: JinjaState = {
    label: options.label,
    phase: 'parse',
    ref(name, project) {
      captured.refs.push(project === undefined ? { name } : { name, project });
      return new Relation(`"__ref__"."${name}"`, { schema: '__ref__', identifier: name });
    },
    source(source, table) {
      captured.sources.push({ source, table });
      return new Relation(`"__source__"."${source}__${table}"`, {
        schema: '__source__',
        identifier: `${source}__${table}`,
      });
    },
    config(values) {
      captured.configs.push(values);
    },
    configGet(key, fallback) {
      const merged = Object.assign({}, options.baseConfig, ...captured.configs) as Record<string, unknown>;
      return merged[key] ?? fallback;
    },
    variable(name, fallback) {
      if (Object.hasOwn(options.vars, name)) return options.vars[name];
      if (fallback) return fallback.value;
      if (!captured.missingVars.includes(name)) captured.missingVars.push(name);
      return '';
    },
    isIncremental: () => false,
    thisRelation: options.thisRelation,
    target: options.target,
    dialect: options.dialect,
    // A parse-time render is thrown away; the filter still checks its value (misuse is a diagnostic).
    literal: () => 'NULL',
    env: options.env,
    log() {
      // Parse-time renders are not the run: log() speaks when the model actually runs.
    },
  };
  return { state, captured };
}

/** The line where a call such as `ref('x')` appears in a template, else undefined. */
export function callLine(
  text: string,
  fn: 'ref' | 'source' | 'config' | 'var',
  ...args: string[]
): number | undefined {
  const quoted = args.map((a) => `\\s*['"]${a.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}['"]\\s*`);
  const pattern =
    fn === 'ref' && args.length === 1
      ? new RegExp(`\\bref\\s*\\((?:\\s*['"][^'"]*['"]\\s*,)?${quoted[0]}[,)]`)
      : new RegExp(`\\b${fn}\\s*\\(${quoted.join(',')}`);
  const match = pattern.exec(text);
  if (!match) return undefined;
  return text.slice(0, match.index).split('\n').length;
}
