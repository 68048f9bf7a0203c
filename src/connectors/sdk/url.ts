import { redactor } from '../../shared/redact.ts';
import type { QueryValue, SourceRequest } from './types.ts';

/**
 * URLs are built in one canonical way (query in the order given, `,` and `:` left readable), so a
 * request always has the same identity — the key its cassette is stored and found under.
 */
function encodeQueryPart(value: string): string {
  return encodeURIComponent(value).replace(/%2C/gi, ',').replace(/%3A/gi, ':');
}

export function queryString(query: Record<string, QueryValue> | undefined): string {
  const parts: string[] = [];
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value === undefined) continue;
    parts.push(`${encodeQueryPart(name)}=${encodeQueryPart(String(value))}`);
  }
  return parts.length > 0 ? `?${parts.join('&')}` : '';
}

export function pathAndQuery(request: Pick<SourceRequest, 'path' | 'query'>): string {
  const path = request.path.startsWith('/') ? request.path : `/${request.path}`;
  return `${path}${queryString(request.query)}`;
}

/** A base URL without its trailing slash, so `base + "/path"` never doubles or drops one. */
export function normalizeBaseUrl(base: string): string {
  return base.replace(/\/+$/, '');
}

export function buildUrl(base: string, request: Pick<SourceRequest, 'path' | 'query'>): string {
  return `${normalizeBaseUrl(base)}${pathAndQuery(request)}`;
}

/** `GET /v2/…?…` with secrets redacted: what cassettes match on (independent of the base URL). */
export function requestIdentity(method: string, request: Pick<SourceRequest, 'path' | 'query'>): string {
  const redacted = redactor
    .url(`http://identity.invalid${pathAndQuery(request)}`)
    .slice('http://identity.invalid'.length);
  return `${method.toUpperCase()} ${redacted}`;
}

/**
 * An absolute URL the API handed back (a Link header) as a path and query below one of `bases`
 * (the configured base URL first, then the service's default, since a mirror may echo the real
 * host). Undefined when it points somewhere else: following it could leak headers to another host.
 */
export function relativeRequest(
  url: string,
  bases: readonly string[],
): Pick<SourceRequest, 'path' | 'query'> | undefined {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return undefined;
  }
  for (const base of bases) {
    const parsedBase = new URL(normalizeBaseUrl(base));
    const basePath = parsedBase.pathname.replace(/\/+$/, '');
    if (target.origin !== parsedBase.origin) continue;
    if (basePath && target.pathname !== basePath && !target.pathname.startsWith(`${basePath}/`)) continue;
    const query: Record<string, string> = {};
    for (const [name, value] of target.searchParams) query[name] = value;
    return { path: target.pathname.slice(basePath.length) || '/', query };
  }
  return undefined;
}
