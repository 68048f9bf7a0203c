import { parse } from 'yaml';
import { UsageError } from '../shared/errors.ts';

/**
 * `--vars '{key: value}'` (YAML or JSON, as dbt takes it) for run, build, compile, test, show.
 * Throws UsageError (exit 2) when the text is not a mapping.
 */
export function parseVarsOption(text: string | undefined): Record<string, unknown> {
  if (text === undefined || text.trim() === '') return {};
  let value: unknown;
  try {
    value = parse(text);
  } catch (error) {
    throw new UsageError(`--vars is not valid YAML or JSON: ${(error as Error).message.split('\n')[0]}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new UsageError(
      `--vars must be a mapping, e.g. --vars '{start_date: "2026-01-01"}' (got ${JSON.stringify(value)})`,
    );
  }
  return value as Record<string, unknown>;
}

/** Project vars (vaultline.yml), overridden key by key by --vars. */
export function mergeVars(
  projectVars: Record<string, unknown> | undefined,
  cliVars: Record<string, unknown>,
): Record<string, unknown> {
  return { ...(projectVars ?? {}), ...cliVars };
}
