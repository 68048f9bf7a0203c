/**
 * The human part of an error body, for failure messages: APIs put it in `message`, `detail`,
 * `title`, `error` or `errors[]` (and the World Bank in `[{"message":[{"key","value"}]}]`).
 * Falls back to the start of the body as text. Never longer than `max` characters.
 */
export function bodyMessage(body: Uint8Array, max = 300): string {
  const text = Buffer.from(body).toString('utf8');
  let found: string | undefined;
  try {
    found = messageIn(JSON.parse(text));
  } catch {
    /* not JSON: use the text */
  }
  const message = (found ?? text).replace(/\s+/g, ' ').trim();
  if (message === '') return '(empty body)';
  return message.length > max ? `${message.slice(0, max)}…` : message;
}

function messageIn(value: unknown, depth = 0): string | undefined {
  if (depth > 3 || value === null || value === undefined) return undefined;
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) {
    const parts = value
      .map((item) => messageIn(item, depth + 1))
      .filter((part): part is string => part !== undefined);
    return parts.length > 0 ? parts.join('; ') : undefined;
  }
  if (typeof value !== 'object') return undefined;
  const record = value as Record<string, unknown>;
  // World Bank: {"id":"120","key":"Invalid value","value":"The provided parameter value is not valid"}
  if (typeof record.key === 'string' && typeof record.value === 'string')
    return `${record.key}: ${record.value}`;
  for (const name of ['detail', 'message', 'title', 'error', 'reason', 'errors', 'description']) {
    const inner = messageIn(record[name], depth + 1);
    if (inner) return inner;
  }
  return undefined;
}
