import type { RunError } from './types.ts';

/** The first node of a build's results document that errored or failed: what an alert names. */
export function failedNode(result: unknown): { node: string; message?: string } | undefined {
  if (!result || typeof result !== 'object' || !('results' in result)) return undefined;
  const results = (result as { results?: unknown }).results;
  if (!Array.isArray(results)) return undefined;
  for (const r of results) {
    if (!r || typeof r !== 'object') continue;
    const { status, unique_id, message } = r as { status?: unknown; unique_id?: unknown; message?: unknown };
    if ((status === 'error' || status === 'fail') && typeof unique_id === 'string')
      return { node: unique_id, ...(typeof message === 'string' ? { message } : {}) };
  }
  return undefined;
}

export function stepError(
  step: number,
  command: string,
  result: unknown,
  error: string | undefined,
): RunError {
  const node = failedNode(result);
  const message = error ?? node?.message ?? `step ${step + 1} (${command}) failed`;
  return { step, command, ...(node ? { node: node.node } : {}), message };
}
