import type { Inspection } from '../sdk/types.ts';

/**
 * World Bank v2 bodies are `[meta, rows]`; `rows` is null when the series has no data. Errors come
 * back with status 200 as `[{"message":[{"id","key","value"}]}]`. Older releases put numbers in
 * strings (`"per_page":"50"`, `"value":"57339635"`): paging reads both.
 */
export function inspect(_resource: string, json: unknown): Inspection {
  if (json === undefined) return { records: null };
  const error = errorMessage(json);
  if (error) return { records: 0, error };
  if (!Array.isArray(json) || json.length < 2 || typeof json[0] !== 'object' || json[0] === null) {
    return { records: null, warning: 'unexpected body shape: expected [meta, rows]' };
  }
  const rows = json[1];
  if (rows === null) return { records: 0 };
  if (!Array.isArray(rows))
    return { records: null, warning: 'unexpected body shape: the second element is not a list of rows' };
  return { records: rows.length };
}

/** `World Bank error 120 (Invalid value): The provided parameter value is not valid`, or undefined. */
export function errorMessage(json: unknown): string | undefined {
  if (!Array.isArray(json) || json.length !== 1) return undefined;
  const first = json[0] as { message?: unknown } | null;
  if (!first || typeof first !== 'object' || !Array.isArray(first.message)) return undefined;
  const parts = first.message.map((m: { id?: unknown; key?: unknown; value?: unknown }) =>
    `World Bank error ${String(m?.id ?? '?')} (${String(m?.key ?? 'error')}): ${String(m?.value ?? '')}`.trim(),
  );
  return parts.join('; ') || 'World Bank error (no message)';
}

/** `meta.page` and `meta.pages` as numbers, whether the release sent numbers or strings. */
export function pagePosition(json: unknown): { page: number; pages: number } | undefined {
  if (!Array.isArray(json)) return undefined;
  const meta = json[0] as { page?: unknown; pages?: unknown } | undefined;
  const page = Number(meta?.page);
  const pages = Number(meta?.pages);
  if (!Number.isInteger(page) || !Number.isInteger(pages) || page < 1 || pages < 0) return undefined;
  return { page, pages };
}
