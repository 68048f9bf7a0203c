/** Nunjucks passes Python-style keyword arguments as a trailing object marked `__keywords`. */
export function splitArgs(args: readonly unknown[]): {
  positional: unknown[];
  kwargs: Record<string, unknown>;
} {
  const last = args[args.length - 1];
  if (last !== null && typeof last === 'object' && (last as { __keywords?: unknown }).__keywords === true) {
    const { __keywords: _marker, ...kwargs } = last as Record<string, unknown>;
    return { positional: args.slice(0, -1), kwargs };
  }
  return { positional: [...args], kwargs: {} };
}

/** Marks an object as keyword arguments for a call into a compiled macro. */
export function keywordArgs(values: Record<string, unknown>): Record<string, unknown> {
  return { ...values, __keywords: true };
}

/** Plain JS values from template values: nunjucks SafeStrings and our Relations become strings. */
export function plain(value: unknown): unknown {
  if (value instanceof String) return value.toString();
  if (
    value !== null &&
    typeof value === 'object' &&
    'val' in value &&
    value.constructor?.name === 'SafeString'
  ) {
    return String((value as { val: unknown }).val);
  }
  if (Array.isArray(value)) return value.map(plain);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) if (key !== '__keywords') out[key] = plain(inner);
    return out;
  }
  return value;
}
