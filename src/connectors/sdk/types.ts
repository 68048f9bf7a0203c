import type { OptionSpec, OptionValues } from './options.ts';

/**
 * What a source is: its options, its default base URL and pacing, how to read record counts out of
 * its bodies, and the requests an extraction makes. Sources never touch HTTP, files or the landing
 * store directly: they go through the ExtractContext, which retries, paces, records, replays and lands.
 */
export interface Connector<O = unknown> {
  /** Source name: CLI subcommand, `connectors.<name>` key, first part of every landing key. */
  name: string;
  /** Bumped when what the connector requests or how it counts changes; written into every sidecar. */
  version: string;
  /** One line for --help, e.g. "World Bank Indicators API v2". */
  title: string;
  /** The real service; overridden by --base-url, VAULTLINE_<SOURCE>_BASE_URL or `base_url:`. */
  defaultBaseUrl: string;
  /** Default pace when calling the network (requests per second). */
  requestsPerSecond: number;
  /** Live calls need HTTP_CONTACT in the User-Agent (Wikimedia). */
  requiresContact?: boolean;
  /** Appended to rate-limit failures (e.g. "set GITHUB_TOKEN for a higher limit"). */
  rateLimitHint?: string;
  /** Resource names this source lands under (`<source>/<resource>/…`). */
  resources: readonly string[];
  options: readonly OptionSpec[];
  /** Typed options from resolved values; returns problems for combinations a single option cannot check. */
  parseOptions(values: OptionValues): { options: O; problems: string[] };
  /** Headers every request carries (authentication). Values from secret options are already redacted in logs. */
  headers?(options: O): Record<string, string>;
  /**
   * Record count of a body, whether a 2xx body is really an error (World Bank `[{"message":…}]`) and
   * whether it means "no data" (World Bank `[meta, null]`). `json` is undefined when the body is not
   * valid JSON.
   */
  inspect(resource: string, json: unknown, status: number): Inspection;
  /**
   * A non-2xx answer that means "no data here" rather than failure (Wikimedia 404 for an empty range):
   * returns the reason (written into the sidecar as `no_data`) and the body is landed, with 0 records,
   * and reported as a note; returns undefined for real failures.
   */
  noData?(resource: string, status: number, json: unknown): string | undefined;
  extract(ctx: ExtractContext, options: O): Promise<void>;
  /** The connection test: one cheap request, nothing landed; returns what it found. */
  check(ctx: ExtractContext, options: O): Promise<string>;
}

export interface Inspection {
  records: number | null;
  /** The body says the request failed although the status is 2xx. */
  error?: string;
  /** Something an auditor should know (e.g. a count in the body disagreeing with the records). */
  warning?: string;
  /**
   * A 2xx body that says "there is no data for this request" (World Bank `[meta, null]`): the reason,
   * written into the sidecar as `no_data`; the object counts 0 records and paging stops there.
   */
  noData?: string;
}

export type QueryValue = string | number | undefined;

export interface SourceRequest {
  resource: string;
  /** Path below the base URL, starting with `/`; path segments already percent-encoded. */
  path: string;
  /** Query parameters in the order they are sent; undefined values are left out. */
  query?: Record<string, QueryValue>;
  headers?: Record<string, string>;
}

export interface LandedObject {
  key: string;
  resource: string;
  /** Redacted URL of the request. */
  url: string;
  status: number;
  bytes: number;
  records: number | null;
  sha256: string;
  valid_json: boolean;
  /** Why the body is not valid JSON (the sidecar's parse_error), when it is not. */
  parse_error?: string;
  /** The API said there is no data for this request (the sidecar's no_data). */
  no_data?: string;
  /** The body is an error returned with a 2xx status (what inspect found); a failure of the run too. */
  error?: string;
}

export interface Page {
  request: SourceRequest;
  url: string;
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  /** Parsed body; undefined when the body is not valid JSON. */
  json: unknown;
  validJson: boolean;
  records: number | null;
  /** The landed object (undefined for `probe`, which lands nothing). */
  landed?: LandedObject;
  /** Set when the answer means "no data" (Connector.noData for non-2xx, Inspection.noData for 2xx). */
  noData?: string;
}

export interface Cursor<T> {
  get(): Promise<T | undefined>;
  put(value: T): Promise<void>;
}

export interface ExtractContext {
  readonly source: string;
  readonly runId: string;
  /** False when replaying cassettes. */
  readonly live: boolean;
  /** GET, land the body byte-exact with its sidecar, and return it parsed. Throws RequestFailedError. */
  fetch(request: SourceRequest): Promise<Page>;
  /** GET without landing (connection tests). */
  probe(request: SourceRequest): Promise<Page>;
  /**
   * Runs one independent piece of work (one indicator, one article); a RequestFailedError inside it is
   * recorded as a failure of the run and the other pieces go on.
   */
  unit(label: string, work: () => Promise<void>): Promise<void>;
  /** Stops a unit: the page's body cannot be used (wrong shape, not JSON where paging needs JSON). */
  fail(page: Page, message: string): never;
  warn(message: string): void;
  /** Something worth telling that is not a problem (a "no data" answer). */
  note(message: string): void;
  /** An absolute URL from the API (a Link header) as a request below the configured base URL. */
  requestFromUrl(resource: string, url: string): SourceRequest;
  /** A watermark kept in the landing store under `_state/<source>/<name>/`. */
  cursor<T>(name: string): Cursor<T>;
}
