import { landPayload } from '../../landing/land.ts';
import { checkJson } from '../../landing/metadata.ts';
import type { LandingStore } from '../../landing/store.ts';
import type { Clock } from '../../shared/clock.ts';
import { redactor } from '../../shared/redact.ts';
import { bodyMessage } from './body-message.ts';
import { storeCursor } from './cursors.ts';
import { RequestFailedError } from './errors.ts';
import type { HttpClient } from './http-client.ts';
import type { SourceReport } from './report.ts';
import type {
  Connector,
  Cursor,
  ExtractContext,
  Inspection,
  LandedObject,
  Page,
  SourceRequest,
} from './types.ts';
import { buildUrl, relativeRequest, requestIdentity } from './url.ts';

export interface SessionDeps {
  connector: Connector<unknown>;
  client: HttpClient;
  store: LandingStore;
  baseUrl: string;
  runId: string;
  clock: Clock;
  headers: Record<string, string>;
  report: SourceReport;
  onLanded?: (object: LandedObject) => void;
  onWarning?: (message: string) => void;
  onNote?: (message: string) => void;
  onFailure?: (message: string) => void;
}

/**
 * The ExtractContext a connector runs against: every GET goes through the HttpClient (retries, pacing,
 * record/replay) and every answer is landed byte-exact through `landPayload`, with its record count,
 * before the connector sees it. Failures of one unit are recorded and the others go on.
 */
export class ExtractSession implements ExtractContext {
  constructor(private readonly deps: SessionDeps) {}

  get source(): string {
    return this.deps.connector.name;
  }
  get runId(): string {
    return this.deps.runId;
  }
  get live(): boolean {
    return this.deps.client.transportKind !== 'replay';
  }

  async fetch(request: SourceRequest): Promise<Page> {
    return this.get(request, true);
  }

  async probe(request: SourceRequest): Promise<Page> {
    return this.get(request, false);
  }

  private async get(request: SourceRequest, land: boolean): Promise<Page> {
    const { connector, client, baseUrl } = this.deps;
    const url = buildUrl(baseUrl, request);
    const shown = redactor.url(url);
    const response = await client.get(url, requestIdentity('GET', request), {
      ...this.deps.headers,
      ...request.headers,
    });
    const parsed = checkJson(response.body);
    const json = parsed.valid ? parsed.value : undefined;
    let noData: string | undefined;
    if (response.status < 200 || response.status >= 300) {
      noData = connector.noData?.(request.resource, response.status, json);
      if (noData === undefined) {
        throw new RequestFailedError(
          url,
          `GET ${shown}: HTTP ${response.status}: ${bodyMessage(response.body)}`,
          {
            status: response.status,
          },
        );
      }
    }
    const inspection: Inspection =
      noData !== undefined ? { records: 0 } : connector.inspect(request.resource, json, response.status);
    if (noData === undefined && inspection.noData !== undefined && !inspection.error)
      noData = inspection.noData;
    const page: Page = {
      request,
      url,
      status: response.status,
      headers: response.headers,
      body: response.body,
      json,
      validJson: parsed.valid,
      records: noData !== undefined ? 0 : inspection.records,
      noData,
    };
    if (!land) {
      if (inspection.error) throw new RequestFailedError(url, `GET ${shown}: ${inspection.error}`);
      return page;
    }

    const meta = await landPayload(
      this.deps.store,
      {
        source: connector.name,
        resource: request.resource,
        body: response.body,
        request: { method: 'GET', url, params: stringParams(request) },
        response: { status: response.status, headers: response.headers },
        recordCount: page.records,
        connector: { name: connector.name, version: connector.version },
        runId: this.deps.runId,
        transport: this.live ? 'live' : 'replay',
        noData,
      },
      this.deps.clock,
    );
    const landed: LandedObject = {
      key: meta.key,
      resource: request.resource,
      url: meta.request.url,
      status: response.status,
      bytes: meta.bytes,
      records: meta.record_count,
      sha256: meta.sha256,
      valid_json: meta.valid_json,
    };
    if (meta.parse_error !== undefined) landed.parse_error = meta.parse_error;
    if (meta.no_data !== undefined) landed.no_data = meta.no_data;
    if (inspection.error) landed.error = inspection.error;
    page.landed = landed;
    this.deps.report.objects.push(landed);
    this.deps.onLanded?.(landed);
    if (!meta.valid_json) {
      this.warn(
        `${meta.key}: the body of GET ${shown} is not valid JSON (${meta.parse_error}); landed as is, marked valid_json: false`,
      );
    }
    if (noData !== undefined) {
      const answer =
        response.status >= 200 && response.status < 300
          ? `GET ${shown}`
          : `HTTP ${response.status} from GET ${shown}: ${bodyMessage(response.body)}`;
      this.note(`${meta.key}: no data: ${noData} (${answer}); landed, 0 records`);
    }
    if (inspection.warning) this.warn(`${meta.key}: ${inspection.warning}`);
    if (inspection.error) {
      throw new RequestFailedError(
        url,
        `GET ${shown}: HTTP ${response.status} but the body is an error: ${inspection.error} (landed as ${meta.key})`,
        { status: response.status, landedKey: meta.key },
      );
    }
    return page;
  }

  async unit(label: string, work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (error) {
      if (!(error instanceof RequestFailedError)) throw error;
      this.deps.report.failures.push({
        unit: label,
        url: error.url,
        status: error.status ?? null,
        message: error.message,
        landed_key: error.landedKey ?? null,
      });
      this.deps.onFailure?.(`${this.source} ${label}: ${error.message}`);
    }
  }

  fail(page: Page, message: string): never {
    const where = page.landed ? ` (landed as ${page.landed.key})` : '';
    throw new RequestFailedError(page.url, `GET ${redactor.url(page.url)}: ${message}${where}`, {
      status: page.status,
      landedKey: page.landed?.key,
    });
  }

  warn(message: string): void {
    const text = redactor.text(message);
    this.deps.report.warnings.push(text);
    this.deps.onWarning?.(`${this.source}: ${text}`);
  }

  note(message: string): void {
    const text = redactor.text(message);
    this.deps.report.notes.push(text);
    this.deps.onNote?.(`${this.source}: ${text}`);
  }

  requestFromUrl(resource: string, url: string): SourceRequest {
    const relative = relativeRequest(url, [this.deps.baseUrl, this.deps.connector.defaultBaseUrl]);
    if (!relative) {
      throw new RequestFailedError(
        url,
        `the API pointed at ${redactor.url(url)}, outside the base URL ${this.deps.baseUrl}; not following it (credentials would go to another host)`,
      );
    }
    return { resource, ...relative };
  }

  cursor<T>(name: string): Cursor<T> {
    return storeCursor<T>(this.deps.store, this.source, name);
  }
}

function stringParams(request: SourceRequest): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.query ?? {}))
    if (value !== undefined) out[name] = String(value);
  return out;
}
