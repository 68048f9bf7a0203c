import { createHash } from 'node:crypto';

/**
 * dbt-style names for generic tests: `<test>_<model>_<column>[__<argument values>]`, `source_` in
 * front for tests on sources, e.g. `not_null_stg_items_item_id`,
 * `accepted_values_stg_items_category_code__tools__garden`. Names longer than 63 characters are cut
 * and given a hash of the full name, so they stay unique and fit identifier limits.
 */
export const MAX_TEST_NAME = 63;

export function genericTestName(input: {
  testName: string;
  targetName: string;
  onSource: boolean;
  column?: string;
  args: Record<string, unknown>;
}): string {
  const parts = [`${input.onSource ? 'source_' : ''}${input.testName}`, input.targetName];
  if (input.column !== undefined) parts.push(input.column);
  const suffix = flattenArgs(input.args).join('__');
  const full = sanitize(suffix ? `${parts.join('_')}__${suffix}` : parts.join('_'));
  if (full.length <= MAX_TEST_NAME) return full;
  return `${full.slice(0, MAX_TEST_NAME - 11)}_${shortHash(full, 10)}`;
}

export function shortHash(text: string, length = 6): string {
  return createHash('md5').update(text).digest('hex').slice(0, length);
}

function flattenArgs(args: Record<string, unknown>): string[] {
  const out: string[] = [];
  const add = (value: unknown) => {
    if (value === null || value === undefined) return;
    if (Array.isArray(value)) value.forEach(add);
    else if (typeof value === 'object') Object.values(value).forEach(add);
    else out.push(String(value));
  };
  // dbt orders by argument name and spells ref('x') as ref_x_.
  for (const key of Object.keys(args).sort()) if (key !== 'column_name') add(args[key]);
  return out.map((value) =>
    value.replace(
      /^\s*(ref|source)\s*\(([^)]*)\)\s*$/,
      (_m, fn: string, inner: string) => `${fn}_${inner.replace(/['"\s]/g, '').replace(/,/g, '_')}_`,
    ),
  );
}

function sanitize(name: string): string {
  return name.replace(/[^A-Za-z0-9_]/g, '_');
}
