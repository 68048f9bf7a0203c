import type { ExtractContext, Page, SourceRequest } from './types.ts';

/**
 * Paging helpers. `paginate` fetches (and lands) `first`, then whatever `next` says follows each page,
 * until `next` returns undefined. A next-function that needs the body calls `ctx.fail` when the body is
 * not JSON, so a page that cannot be read stops its series as a reported failure, never silently.
 */
export type NextPage = (page: Page, pageNumber: number) => SourceRequest | undefined;

export async function paginate(
  ctx: ExtractContext,
  first: SourceRequest,
  next: NextPage,
  options: { maxPages?: number } = {},
): Promise<Page[]> {
  const pages: Page[] = [];
  let request: SourceRequest | undefined = first;
  for (let number = 1; request; number++) {
    const page = await ctx.fetch(request);
    pages.push(page);
    if (page.noData) break;
    request = next(page, number);
    if (request && options.maxPages !== undefined && number >= options.maxPages) {
      ctx.fail(
        page,
        `stopped after ${options.maxPages} page(s) while the API reports more; raise --max-pages to fetch them`,
      );
    }
  }
  return pages;
}

/** The parsed body, or a reported failure saying paging cannot go on. */
export function jsonForPaging(ctx: ExtractContext, page: Page): unknown {
  if (!page.validJson) {
    ctx.fail(
      page,
      'the body is not valid JSON, so the next page cannot be determined; later pages were not fetched',
    );
  }
  return page.json;
}

/** Page-number paging with a total page count in the body (World Bank `meta.pages`). */
export function nextByPageCount(
  ctx: ExtractContext,
  options: { pageParam: string; read: (json: unknown) => { page: number; pages: number } | undefined },
): NextPage {
  return (page) => {
    const position = options.read(jsonForPaging(ctx, page));
    if (!position) ctx.fail(page, 'the body does not say which page this is and how many there are');
    if (position.page >= position.pages) return undefined;
    return { ...page.request, query: { ...page.request.query, [options.pageParam]: position.page + 1 } };
  };
}

/** RFC 8288 `Link` header paging (GitHub): follows rel="next" until there is none. */
export function nextByLinkHeader(ctx: ExtractContext): NextPage {
  return (page) => {
    const next = parseLinkHeader(page.headers.link)?.next;
    return next ? ctx.requestFromUrl(page.request.resource, next) : undefined;
  };
}

/** Offset paging: the next offset is this one plus the records received, until a short page. */
export function nextByOffset(
  ctx: ExtractContext,
  options: { offsetParam: string; limit: number; count: (json: unknown) => number | undefined },
): NextPage {
  return (page) => {
    const count = options.count(jsonForPaging(ctx, page));
    if (count === undefined) ctx.fail(page, 'the body does not hold a list of records');
    if (count < options.limit) return undefined;
    const offset = Number(page.request.query?.[options.offsetParam] ?? 0) + count;
    return { ...page.request, query: { ...page.request.query, [options.offsetParam]: offset } };
  };
}

/** `<url>; rel="next", <url>; rel="last"` → { next: url, last: url }. */
export function parseLinkHeader(value: string | undefined): Record<string, string> | undefined {
  if (!value) return undefined;
  const out: Record<string, string> = {};
  for (const match of value.matchAll(/<([^>]*)>\s*((?:;\s*[^;,]+)*)/g)) {
    const url = match[1]!;
    const rel = /;\s*rel\s*=\s*"?([^";]+)"?/i.exec(match[2] ?? '')?.[1];
    if (rel) for (const name of rel.trim().split(/\s+/)) out[name.toLowerCase()] = url;
  }
  return out;
}
