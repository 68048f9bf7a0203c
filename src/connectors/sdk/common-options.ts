import type { OptionSpec } from './options.ts';
import type { Connector } from './types.ts';

/**
 * Options every source has (`connectors.<source>.<key>`, checked with file:line like the source's own).
 * The base URL's environment variable is per source
 * (`VAULTLINE_WORLDBANK_BASE_URL`); its default is the real service.
 */
export function commonOptions(
  connector: Pick<Connector, 'name' | 'defaultBaseUrl' | 'requestsPerSecond'>,
): OptionSpec[] {
  return [
    {
      key: 'base_url',
      flag: 'base-url',
      type: 'string',
      env: baseUrlVariable(connector.name),
      default: connector.defaultBaseUrl,
      pattern: /^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/,
      patternHint: 'an http(s) URL without query, e.g. http://127.0.0.1:8080',
      placeholder: '<url>',
      description: `base URL of the API: a mirror, proxy or test server (default ${connector.defaultBaseUrl})`,
    },
    {
      key: 'replay',
      flag: 'replay',
      type: 'string',
      placeholder: '<dir>',
      description: `answer every request from cassettes in DIR/${connector.name}/, with no network and no credentials`,
    },
    {
      key: 'record',
      flag: 'record',
      type: 'string',
      placeholder: '<dir>',
      description: `call the API and save each request/response as a cassette in DIR/${connector.name}/`,
    },
    {
      key: 'timeout_ms',
      flag: 'timeout-ms',
      type: 'integer',
      min: 1,
      default: 30_000,
      placeholder: '<ms>',
      description: 'time allowed for one request, body included, before it is retried',
    },
    {
      key: 'max_attempts',
      flag: 'max-attempts',
      type: 'integer',
      min: 1,
      max: 20,
      default: 4,
      placeholder: '<n>',
      description: 'attempts per request on 429, 5xx, timeouts and network errors (1: no retry)',
    },
    {
      key: 'rate_limit',
      flag: 'rate-limit',
      type: 'number',
      min: 0,
      default: connector.requestsPerSecond,
      placeholder: '<per-second>',
      description: `requests per second at most (0: no limit; default ${connector.requestsPerSecond})`,
    },
    {
      key: 'max_invalid_bodies',
      flag: 'max-invalid-bodies',
      type: 'integer',
      min: 0,
      default: 0,
      placeholder: '<n>',
      description:
        'landed bodies that are not valid JSON (HTML with status 200, latin-1, truncated) tolerated with a warning before the run exits 1',
    },
    {
      key: 'enabled',
      type: 'boolean',
      default: true,
      description: 'false leaves this source out of `vaultline extract --all`',
    },
  ];
}

export function baseUrlVariable(source: string): string {
  return `VAULTLINE_${source.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_BASE_URL`;
}
