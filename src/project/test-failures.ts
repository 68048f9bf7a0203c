import { quoteIdentifier } from './relations.ts';
import type { TestNode } from './types.ts';

/**
 * dbt's `store_failures` for data tests: with `store_failures: true` (YAML `config:`, `{{ config() }}`
 * or a `+store_failures` folder config under `tests:` in vaultline.yml), the run writes every failing
 * row of the test to `<schema>.<test name>`, replaced on each run. dbt's schema is
 * `<target schema>_dbt_test__audit`; vaultline's is fixed, `schema:` in the test's config overrides it.
 */
export const DEFAULT_FAILURES_SCHEMA = 'vaultline_test_failures';

/** Where a test with this resolved config stores its failures, or undefined when it does not. */
export function storeFailuresTarget(
  name: string,
  config: Record<string, unknown>,
): TestNode['storeFailures'] | undefined {
  if (config.store_failures !== true) return undefined;
  const schema = typeof config.schema === 'string' ? config.schema : DEFAULT_FAILURES_SCHEMA;
  return { schema, name };
}

/** `"schema"."name"` of the failures table (as compile spells relations), for run_results.json. */
export function failuresRelationName(target: { schema: string; name: string }): string {
  return `${quoteIdentifier(target.schema)}.${quoteIdentifier(target.name)}`;
}
