import type nunjucks from 'nunjucks';
import { isSecretName, redactor } from '../../shared/redact.ts';
import { plain, splitArgs } from './args.ts';
import { MacroReturn } from './return-shim.ts';
import { sqlLiteral } from './sql-literal.ts';
import { type JinjaState, TemplateUsageError } from './state.ts';

/**
 * The dbt functions every template and macro can call. They are environment globals that delegate to
 * the render in progress (see state.ts). Names listed here cannot be redefined by a user macro.
 * Also the `sql_literal` filter (sql-literal.ts), quoting through the engine of the render in progress.
 * Adding a function: see src/project/CONTEXT.md "adding a Jinja function".
 */
export const BUILTIN_GLOBALS = [
  'ref',
  'source',
  'config',
  'var',
  'env_var',
  'is_incremental',
  'this',
  'target',
  'execute',
  'log',
  'adapter',
  'return',
  'exceptions',
  'tojson',
  'fromjson',
] as const;

export type MacroLookup = (name: string) => ((...args: unknown[]) => unknown) | undefined;

function stringArg(fn: string, what: string, value: unknown): string {
  if (value instanceof String) return value.toString();
  if (typeof value !== 'string' || value === '') {
    throw new TemplateUsageError(
      `${fn}() needs ${what} as a quoted string (got ${JSON.stringify(plain(value))})`,
    );
  }
  return value;
}

export function installGlobals(
  env: nunjucks.Environment,
  current: () => JinjaState,
  macro: MacroLookup,
): void {
  const add = (name: (typeof BUILTIN_GLOBALS)[number], value: unknown) => env.addGlobal(name, value);
  const getter = (name: (typeof BUILTIN_GLOBALS)[number], get: () => unknown) =>
    Object.defineProperty((env as unknown as { globals: object }).globals, name, {
      get,
      enumerable: true,
      configurable: true,
    });

  add('ref', (...args: unknown[]) => {
    const { positional, kwargs } = splitArgs(args);
    if ('version' in kwargs || 'v' in kwargs) {
      throw new TemplateUsageError(
        'ref() with a model version is not supported',
        'ref the model by its name',
      );
    }
    if (positional.length === 1)
      return current().ref(stringArg('ref', 'the model name', positional[0]), undefined);
    if (positional.length === 2) {
      return current().ref(
        stringArg('ref', 'the model name', positional[1]),
        stringArg('ref', 'the project name', positional[0]),
      );
    }
    throw new TemplateUsageError(
      `ref() takes 1 or 2 arguments (got ${positional.length})`,
      "ref('model_name')",
    );
  });

  add('source', (...args: unknown[]) => {
    const { positional } = splitArgs(args);
    if (positional.length !== 2) {
      throw new TemplateUsageError(
        `source() takes 2 arguments (got ${positional.length})`,
        "source('source_name', 'table_name')",
      );
    }
    return current().source(
      stringArg('source', 'the source name', positional[0]),
      stringArg('source', 'the table name', positional[1]),
    );
  });

  const config = (...args: unknown[]) => {
    const { positional, kwargs } = splitArgs(args);
    const values: Record<string, unknown> = {};
    for (const item of positional) {
      if (item === null || typeof item !== 'object' || Array.isArray(item)) {
        throw new TemplateUsageError(
          'config() takes keyword arguments or a mapping',
          "config(materialized='table', tags=['x'])",
        );
      }
      Object.assign(values, item);
    }
    Object.assign(values, kwargs);
    current().config(plain(values) as Record<string, unknown>);
    return '';
  };
  config.get = (key: unknown, fallback?: unknown) =>
    current().configGet(stringArg('config.get', 'the key', key), fallback === undefined ? null : fallback);
  add('config', config);

  add('var', (...args: unknown[]) => {
    const { positional } = splitArgs(args);
    const name = stringArg('var', 'the variable name', positional[0]);
    return current().variable(name, positional.length >= 2 ? { value: positional[1] } : undefined);
  });

  add('env_var', (...args: unknown[]) => {
    const { positional } = splitArgs(args);
    const state = current();
    const name = stringArg('env_var', 'the variable name', positional[0]);
    const value = state.env[name];
    if (value !== undefined) {
      // A secret read into SQL must not leak through compiled files, logs or errors.
      if (isSecretName(name)) redactor.addSecret(value, `environment variable ${name}`);
      return value;
    }
    if (positional.length >= 2) return positional[1];
    throw new TemplateUsageError(
      `env_var('${name}'): environment variable ${name} is not set (in ${state.label})`,
      `set ${name}, or give a default: env_var('${name}', 'default')`,
    );
  });

  add('is_incremental', () => current().isIncremental());
  getter('this', () => current().thisRelation);
  getter('target', () => current().target);
  getter('execute', () => current().phase === 'render');

  add('log', (...args: unknown[]) => {
    const { positional, kwargs } = splitArgs(args);
    const info = kwargs.info ?? positional[1] ?? false;
    current().log(String(plain(positional[0]) ?? ''), info ? 'info' : 'debug');
    return '';
  });

  const dispatch = (...args: unknown[]) => {
    const { positional, kwargs } = splitArgs(args);
    const name = stringArg('adapter.dispatch', 'the macro name', positional[0] ?? kwargs.macro_name);
    // The namespace (second argument) names a package; vaultline projects have no packages, so the
    // project's own macros are searched: `<dialect>__name`, then `default__name` (dbt's order).
    const dialect = current().dialect;
    const candidates = [`${dialect}__${name}`, `default__${name}`];
    for (const candidate of candidates) {
      const found = macro(candidate);
      if (found) return found;
    }
    throw new TemplateUsageError(
      `adapter.dispatch('${name}') found no macro ${candidates.join(' or ')}`,
      `define {% macro default__${name}(...) %} in a macros/ file`,
    );
  };
  add('adapter', {
    dispatch,
    quote: (identifier: unknown) => `"${String(plain(identifier)).replaceAll('"', '""')}"`,
  });

  add('return', (value: unknown) => {
    throw new MacroReturn(value);
  });

  add('exceptions', {
    raise_compiler_error: (message: unknown) => {
      throw new TemplateUsageError(String(plain(message)));
    },
    warn: (message: unknown) => {
      current().log(String(plain(message)), 'warn');
      return '';
    },
  });

  add('tojson', (value: unknown) => JSON.stringify(plain(value)));

  // The quoting filter for values (DESIGN.md Safety): `{{ var('x') | sql_literal }}`.
  env.addFilter('sql_literal', (value: unknown) => sqlLiteral(value, current().literal));
  add('fromjson', (text: unknown) => JSON.parse(String(plain(text))));
}
