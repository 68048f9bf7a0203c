import type { OptionSpec, OptionValues } from '../sdk/options.ts';

export type OpenAqResource = 'measurements' | 'hours' | 'days';

export interface OpenAqOptions {
  sensorIds: string[];
  resource: OpenAqResource;
  limit: number;
  dateFrom: string | undefined;
  dateTo: string | undefined;
  maxPages: number;
  apiKey: string | undefined;
}

const DATETIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$/;

export const options: readonly OptionSpec[] = [
  {
    key: 'sensor_ids',
    flag: 'sensor-id',
    type: 'strings',
    required: true,
    pattern: /^\d+$/,
    patternHint: 'a numeric sensor id like 3917',
    placeholder: '<id>',
    description: 'sensor id(s), repeatable or comma-separated',
  },
  {
    key: 'resource',
    flag: 'resource',
    type: 'string',
    default: 'measurements',
    choices: ['measurements', 'hours', 'days'],
    placeholder: '<name>',
    description: 'raw measurements, or hourly or daily averages',
  },
  {
    key: 'limit',
    flag: 'limit',
    type: 'integer',
    min: 1,
    max: 1000,
    default: 100,
    placeholder: '<n>',
    description: 'results per page (at most 1000)',
  },
  {
    key: 'date_from',
    flag: 'date-from',
    type: 'string',
    pattern: DATETIME,
    patternHint: 'an ISO 8601 date or time like 2025-01-14T00:00:00Z',
    placeholder: '<iso>',
    description: 'from this time (inclusive)',
  },
  {
    key: 'date_to',
    flag: 'date-to',
    type: 'string',
    pattern: DATETIME,
    patternHint: 'an ISO 8601 date or time like 2025-01-15T00:00:00Z',
    placeholder: '<iso>',
    description: 'up to this time',
  },
  {
    key: 'max_pages',
    flag: 'max-pages',
    type: 'integer',
    min: 1,
    default: 100,
    placeholder: '<n>',
    description: 'stop (and report a failure) after this many pages per sensor',
  },
  {
    key: 'api_key',
    type: 'string',
    secret: true,
    env: 'OPENAQ_API_KEY',
    requiredLive: true,
    description:
      'OpenAQ API key, sent as the X-API-Key header (get one at https://explore.openaq.org/register)',
  },
];

export function parseOptions(values: OptionValues): { options: OpenAqOptions; problems: string[] } {
  const options: OpenAqOptions = {
    sensorIds: values.strings('sensor_ids'),
    resource: values.string('resource') as OpenAqResource,
    limit: values.number('limit'),
    dateFrom: values.optionalString('date_from'),
    dateTo: values.optionalString('date_to'),
    maxPages: values.number('max_pages'),
    apiKey: values.optionalString('api_key'),
  };
  const problems: string[] = [];
  if (options.dateFrom && options.dateTo && Date.parse(options.dateFrom) > Date.parse(options.dateTo)) {
    problems.push(`--date-from ${options.dateFrom} is after --date-to ${options.dateTo}`);
  }
  return { options, problems };
}
