import type { Dialect } from '../engine/dialect.ts';
import { UsageError } from '../shared/errors.ts';
import { log } from '../shared/logger.ts';
import {
  type HashColumn,
  type HashingStandard,
  type HashMacros,
  hashDiffPartsSql,
  hashKeyTextSql,
} from '../vault/hashing.ts';
import { RenderError } from './errors.ts';
import { TemplateRenderError } from './jinja/errors.ts';
import { Relation } from './jinja/relation.ts';
import { type JinjaState, TemplateUsageError } from './jinja/state.ts';
import { runtimeFor } from './runtime.ts';
import type { MacroDefinition, ProjectGraph } from './types.ts';

/**
 * The project's own `hash_key` / `hash_diff` macros (DESIGN.md: the hashing standard is overridable
 * by them) as the vault's `HashMacros`. The calling convention is the dbt one of the brief's macros:
 *
 * - `hash_key(expr)` gets ONE SQL expression: the key text the standard would digest (each key column's
 *   canonical text, trimmed, case-folded per `vault.hashing.case`, null/empty as the null token, joined
 *   by the delimiter) and returns the digest expression;
 * - `hash_diff(cols)` gets the LIST of the attributes' canonical texts (trimmed, null/empty as the null
 *   token, declared order) and returns the digest expression.
 *
 * Texts come from the engine's dialect, so a macro stays engine-neutral; `adapter.dispatch` works as in
 * models. Undefined when the project defines neither macro.
 */
export function projectHashMacros(
  graph: ProjectGraph,
  options: { dialect: Dialect; standard: HashingStandard; vars?: Record<string, unknown> },
): HashMacros | undefined {
  const defined = (name: string) => graph.macros.find((m) => m.name === name && !m.builtin);
  const key = defined('hash_key');
  const diff = defined('hash_diff');
  if (!key && !diff) return undefined;
  const { dialect, standard } = options;
  const call = (macro: MacroDefinition, value: string | string[]) =>
    callHashMacro(graph, macro, value, {
      dialect: dialect.name,
      defaultSchema: dialect.defaultSchema,
      literal: (v) => dialect.literal(v),
      vars: options.vars ?? graph.vars ?? {},
    });
  return {
    ...(key
      ? { hashKey: (columns: HashColumn[]) => call(key, hashKeyTextSql(columns, standard, dialect)) }
      : {}),
    ...(diff
      ? { hashDiff: (columns: HashColumn[]) => call(diff, hashDiffPartsSql(columns, standard, dialect)) }
      : {}),
  };
}

function callHashMacro(
  graph: ProjectGraph,
  macro: MacroDefinition,
  value: string | string[],
  ctx: { dialect: string; defaultSchema: string; literal: Dialect['literal']; vars: Record<string, unknown> },
): string {
  const where = `${macro.file}:${macro.line}`;
  const argument = macro.arguments?.[0]?.name;
  if (!argument) {
    throw new UsageError(
      `${where}: macro ${macro.name} takes no argument; the vault calls it with the ` +
        `${Array.isArray(value) ? 'list of attribute texts' : 'key text'} (e.g. {% macro ${macro.name}(expr) %})`,
    );
  }
  const label = `vault hashing macro ${macro.name}`;
  const state: JinjaState = {
    label,
    phase: 'render',
    ref: () => {
      throw new TemplateUsageError(`${macro.name}: ref() has no meaning in a hashing macro`);
    },
    source: () => {
      throw new TemplateUsageError(`${macro.name}: source() has no meaning in a hashing macro`);
    },
    config: () => undefined,
    configGet: (_key, fallback) => fallback,
    variable: (name, fallback) => {
      if (Object.hasOwn(ctx.vars, name)) return ctx.vars[name];
      if (fallback) return fallback.value;
      throw new TemplateUsageError(`var('${name}') has no value (${label})`);
    },
    isIncremental: () => false,
    thisRelation: new Relation(''),
    target: { name: 'vault', type: ctx.dialect, schema: ctx.defaultSchema },
    dialect: ctx.dialect,
    literal: ctx.literal,
    env: process.env,
    log: (message, level) => log()[level](`${label}: ${message}`),
  };
  try {
    const sql = runtimeFor(graph)
      .engine.callMacro(macro.name, { [argument]: value }, macro.file, state)
      .trim();
    if (!sql) throw new TemplateUsageError(`${macro.name} rendered no SQL`);
    return sql;
  } catch (error) {
    if (error instanceof TemplateRenderError || error instanceof TemplateUsageError) {
      const problem = error instanceof TemplateRenderError ? error.problem.message : error.message;
      throw new RenderError(`${where}: ${label}: ${problem}`, macro.name, macro.file, macro.line);
    }
    throw error;
  }
}
