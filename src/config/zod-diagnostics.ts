import type { z } from 'zod';
import type { Diagnostic } from '../shared/diagnostics.ts';
import { didYouMean } from '../shared/did-you-mean.ts';
import type { PositionedYaml } from './yaml-positions.ts';

/**
 * Turns zod issues into `file:line: key.path: what is wrong (what is allowed)` diagnostics, with a
 * "did you mean" for unknown keys. Shared by every YAML file vaultline reads.
 */
export function zodIssuesToDiagnostics(
  issues: readonly z.core.$ZodIssue[],
  options: { file: string; yaml: PositionedYaml; schema: z.ZodType; data: unknown; pathPrefix?: string },
): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const issue of issues) {
    const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
    const dotted = [options.pathPrefix, ...path.map(String)].filter(Boolean).join('.');
    if (issue.code === 'unrecognized_keys') {
      const known = knownKeysAt(options.schema, path, options.data);
      for (const key of issue.keys) {
        const suggestion = didYouMean(key, known);
        const keyPath = dotted ? `${dotted}.${key}` : key;
        out.push({
          file: options.file,
          line: options.yaml.lineOfKey(path, key),
          message: `${keyPath} is not a known key`,
          hint: suggestion
            ? `did you mean "${suggestion}"?`
            : known.length
              ? `allowed: ${known.join(', ')}`
              : undefined,
          severity: 'error',
        });
      }
      continue;
    }
    out.push({
      file: options.file,
      line: options.yaml.lineOf(path),
      message: `${dotted || '(top level)'} ${describeIssue(issue, valueAt(options.data, path))}`,
      severity: 'error',
    });
  }
  return out.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
}

function describeIssue(issue: z.core.$ZodIssue, value: unknown): string {
  const got = value === undefined ? '' : ` (got ${JSON.stringify(value)})`;
  switch (issue.code) {
    case 'invalid_union': {
      const options = (issue as { options?: unknown[] }).options;
      if (Array.isArray(options)) return `must be one of ${options.join(', ')}${got}`;
      // A schema's own message (what the allowed forms are) says more than zod's "Invalid input".
      if (!issue.message.startsWith('Invalid')) return `${issue.message}${got}`;
      return `is not valid${got}`;
    }
    case 'invalid_value':
      return `must be one of ${issue.values.map((v) => String(v)).join(', ')}${got}`;
    case 'invalid_type':
      if (value === undefined) return `is required (${article(typeName(issue.expected))})`;
      return `must be ${article(typeName(issue.expected))}${got}`;
    case 'invalid_format':
      // A schema's own message ("must use letters, …") says more than the format's name.
      if (!issue.message.startsWith('Invalid')) return `${issue.message}${got}`;
      if (issue.format === 'regex' && 'pattern' in issue) return `must match ${String(issue.pattern)}${got}`;
      return `must be a valid ${issue.format}${got}`;
    case 'too_small':
      return `is too small: ${issue.message.replace(/^Too small: /, '')}${got}`;
    default:
      return `${issue.message}${got}`;
  }
}

function typeName(expected: string): string {
  return expected === 'record' ? 'mapping' : expected;
}

/** "an array", "an object", "a string": the messages are read by people. */
export function article(noun: string): string {
  return `${/^[aeiou]/i.test(noun) ? 'an' : 'a'} ${noun}`;
}

function valueAt(data: unknown, path: readonly (string | number)[]): unknown {
  let current = data;
  for (const segment of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[segment];
  }
  return current;
}

/** The keys an object schema allows at `path`, looking through defaults, optionals and unions. */
export function knownKeysAt(schema: z.ZodType, path: readonly (string | number)[], data: unknown): string[] {
  let current: unknown = schema;
  let value = data;
  for (let i = 0; i <= path.length; i++) {
    current = unwrap(current, value);
    if (i === path.length) break;
    const segment = path[i]!;
    const def = defOf(current);
    value =
      value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[segment] : undefined;
    if (def?.type === 'object') current = (def.shape as Record<string, unknown>)[String(segment)];
    else if (def?.type === 'record') current = def.valueType;
    else if (def?.type === 'array') current = def.element;
    else return [];
  }
  const def = defOf(current);
  return def?.type === 'object' ? Object.keys(def.shape as object) : [];
}

// biome-ignore lint/suspicious/noExplicitAny: walking zod's internal definitions
function defOf(schema: unknown): any {
  return schema && typeof schema === 'object' && '_zod' in schema
    ? (schema as { _zod: { def: unknown } })._zod.def
    : undefined;
}

function unwrap(schema: unknown, value: unknown): unknown {
  let current = schema;
  for (let guard = 0; guard < 20; guard++) {
    const def = defOf(current);
    if (!def) return current;
    if (
      def.type === 'default' ||
      def.type === 'optional' ||
      def.type === 'nullable' ||
      def.type === 'prefault'
    ) {
      current = def.innerType;
    } else if (def.type === 'union') {
      const discriminator = def.discriminator as string | undefined;
      const options = def.options as unknown[];
      const wanted =
        discriminator && value && typeof value === 'object'
          ? (value as Record<string, unknown>)[discriminator]
          : undefined;
      current =
        options.find((option) => {
          const shape = defOf(option)?.shape as Record<string, unknown> | undefined;
          const literal = shape && discriminator ? defOf(shape[discriminator]) : undefined;
          return literal?.values?.includes(wanted);
        }) ?? options[0];
    } else return current;
  }
  return current;
}
