import { didYouMean } from '../../shared/did-you-mean.ts';
import { UsageError } from '../../shared/errors.ts';
import { METHOD_NAMES } from './methods.ts';

/**
 * dbt's node selection syntax. An argument list (`--select a b`, or `--select "a b"`) is a union of
 * space-separated tokens; a token is an intersection of comma-separated atoms; an atom is
 *   [@][N+][method[.arg]:]value[+N]
 * e.g. `stg_items`, `+dim_items`, `path:models/staging+`, `2+tag:marts`, `config.materialized:table`,
 * `@source:demo`.
 */
export interface SelectorAtom {
  raw: string;
  method: string;
  /** `config.materialized` → ['materialized']. */
  methodArgs: string[];
  value: string;
  /** True when no method was written (`stg_items`, `models/staging`): fqn, or path when it looks like one. */
  implicitMethod: boolean;
  /** Ancestors to add: undefined none, a depth, or Infinity for `+x`. */
  parents?: number;
  /** Descendants to add: undefined none, a depth, or Infinity for `x+`. */
  children?: number;
  /** `@x`: x, its descendants, and every ancestor of those. */
  childrensParents: boolean;
}

export interface SelectorToken {
  raw: string;
  atoms: SelectorAtom[];
}

/** dbt methods vaultline does not have, with why (so the error is not just "unknown"). */
const UNSUPPORTED: Record<string, string> = {
  state: 'there is no saved manifest to compare with',
  result: 'there are no previous run results to select from yet',
  exposure: 'vaultline has no exposures',
  metric: 'vaultline has no metrics',
  semantic_model: 'vaultline has no semantic models',
  saved_query: 'vaultline has no saved queries',
  unit_test: 'vaultline has no unit tests',
  group: 'vaultline has no groups',
  access: 'vaultline has no model access levels',
  version: 'vaultline has no model versions',
  source_status: 'vaultline has no source freshness results',
  wildcard: 'use * inside a value instead',
};

export class SelectorError extends UsageError {}

const ATOM = /^(@)?(?:(\d*)\+)?(?:([A-Za-z_][A-Za-z0-9_.]*):)?(.+?)(?:\+(\d*))?$/;

export function parseSelection(args: readonly string[]): SelectorToken[] {
  const tokens: SelectorToken[] = [];
  for (const arg of args) {
    for (const raw of arg.split(/\s+/).filter(Boolean)) {
      tokens.push({
        raw,
        atoms: raw
          .split(',')
          .filter(Boolean)
          .map((atom) => parseAtom(atom, raw)),
      });
    }
  }
  return tokens;
}

export function parseAtom(raw: string, token = raw): SelectorAtom {
  const match = ATOM.exec(raw);
  if (!match)
    throw new SelectorError(`cannot read the selector "${raw}"${token !== raw ? ` (in "${token}")` : ''}`);
  const [, at, parentDepth, methodText, value, childDepth] = match;
  if (at && parentDepth !== undefined) {
    throw new SelectorError(`"${raw}": @ already includes every ancestor; write @x or +x, not both`);
  }
  const depth = (text: string | undefined) =>
    text === undefined ? undefined : text === '' ? Infinity : Number(text);
  let method = 'fqn';
  let methodArgs: string[] = [];
  const implicitMethod = methodText === undefined;
  if (methodText !== undefined) {
    const [base, ...rest] = methodText.split('.');
    method = base!;
    methodArgs = rest;
    checkMethod(method, methodArgs, raw);
  } else if (value!.includes('/') || /\.(sql|csv|ya?ml)$/.test(value!)) {
    method = 'path';
  }
  return {
    raw,
    method,
    methodArgs,
    value: value!,
    implicitMethod,
    parents: depth(parentDepth),
    children: depth(childDepth),
    childrensParents: at !== undefined,
  };
}

function checkMethod(method: string, args: string[], raw: string): void {
  if (METHOD_NAMES.includes(method)) {
    if (method === 'config' && args.length === 0) {
      throw new SelectorError(`"${raw}": config needs the key to compare, e.g. config.materialized:table`);
    }
    if (method !== 'config' && args.length > 0) {
      throw new SelectorError(`"${raw}": the ${method} method takes no ".${args.join('.')}"`);
    }
    return;
  }
  const why = UNSUPPORTED[method];
  if (why) throw new SelectorError(`"${raw}": the ${method}: method is not supported (${why})`);
  const suggestion = didYouMean(method, METHOD_NAMES);
  throw new SelectorError(
    `"${raw}": unknown selector method "${method}:"${suggestion ? ` — did you mean ${suggestion}:?` : ''} (methods: ${METHOD_NAMES.map((m) => `${m}:`).join(', ')})`,
  );
}
