import type { OptionSpec, OptionValues } from '../sdk/options.ts';

export interface WorldBankOptions {
  indicators: string[];
  countries: string[];
  /** A year or a range, `2015` or `1960:2024` (months `2020M01`, quarters `2020Q1` too). */
  date: string | undefined;
  perPage: number;
  maxPages: number;
}

export const options: readonly OptionSpec[] = [
  {
    key: 'indicators',
    flag: 'indicator',
    type: 'strings',
    required: true,
    placeholder: '<code>',
    pattern: /^[A-Za-z0-9][A-Za-z0-9._-]*$/,
    patternHint: 'an indicator code like SP.POP.TOTL',
    description: 'indicator code(s), repeatable or comma-separated, e.g. SP.POP.TOTL',
  },
  {
    key: 'countries',
    flag: 'country',
    type: 'strings',
    required: true,
    placeholder: '<code>',
    pattern: /^([A-Za-z0-9]{2,3}|all)$/,
    patternHint: 'an ISO 3166 alpha-2 or alpha-3 code (ZA, ZAF), an aggregate code (EUU) or "all"',
    description: 'country or aggregate code(s), repeatable or comma-separated, e.g. ZA',
  },
  {
    key: 'date',
    flag: 'date',
    type: 'string',
    placeholder: '<range>',
    pattern: /^\d{4}([MQ]\d{1,2})?(:\d{4}([MQ]\d{1,2})?)?$/,
    patternHint: 'a year or a range of years like 1960:2024',
    description: 'year or range of years, e.g. 1960:2024 (default: every year the API has)',
  },
  {
    key: 'per_page',
    flag: 'per-page',
    type: 'integer',
    min: 1,
    max: 32_500,
    default: 1000,
    placeholder: '<n>',
    description: 'rows per page (the API allows up to 32500)',
  },
  {
    key: 'max_pages',
    flag: 'max-pages',
    type: 'integer',
    min: 1,
    default: 1000,
    placeholder: '<n>',
    description: 'stop (and report a failure) after this many pages of one series',
  },
];

export function parseOptions(values: OptionValues): { options: WorldBankOptions; problems: string[] } {
  const options: WorldBankOptions = {
    indicators: values.strings('indicators'),
    countries: values.strings('countries').map((c) => (c === 'all' ? c : c.toUpperCase())),
    date: values.optionalString('date'),
    perPage: values.number('per_page'),
    maxPages: values.number('max_pages'),
  };
  const problems: string[] = [];
  const range = options.date?.split(':');
  if (range?.length === 2 && range[0]! > range[1]!)
    problems.push(`--date ${options.date}: the range starts after it ends`);
  return { options, problems };
}
