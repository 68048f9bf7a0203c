import type { OptionSpec, OptionValues } from '../sdk/options.ts';

export interface WikimediaOptions {
  project: string;
  articles: string[];
  access: string;
  agent: string;
  granularity: 'daily' | 'monthly';
  /** YYYYMMDDHH, as the API wants it. */
  start: string;
  end: string;
}

const TIMESTAMP = /^\d{8}(\d{2})?$/;

export const options: readonly OptionSpec[] = [
  {
    key: 'project',
    // After `extract wikimedia`, --project is this option (options are positional: src/cli/main.ts);
    // the project folder goes before the verb: `vaultline --project DIR extract wikimedia --project …`.
    flag: 'project',
    flagAliases: ['wiki-project'],
    type: 'string',
    default: 'en.wikipedia.org',
    pattern: /^[a-z0-9.-]+$/,
    patternHint: 'a project domain like en.wikipedia.org',
    placeholder: '<domain>',
    description:
      'Wikimedia project domain (here --project is the wiki, not the vaultline project folder: give that before the verb, `vaultline --project DIR extract wikimedia …`)',
  },
  {
    key: 'articles',
    flag: 'article',
    type: 'strings',
    required: true,
    placeholder: '<title>',
    description: 'article title(s) as in the page URL, e.g. Nelson_Mandela (UTF-8 is fine: São_Paulo)',
  },
  {
    key: 'access',
    flag: 'access',
    type: 'string',
    default: 'all-access',
    choices: ['all-access', 'desktop', 'mobile-app', 'mobile-web'],
    placeholder: '<access>',
    description: 'access method',
  },
  {
    key: 'agent',
    flag: 'agent',
    type: 'string',
    default: 'all-agents',
    choices: ['all-agents', 'user', 'spider', 'automated'],
    placeholder: '<agent>',
    description: 'agent type',
  },
  {
    key: 'granularity',
    flag: 'granularity',
    type: 'string',
    default: 'daily',
    choices: ['daily', 'monthly'],
    placeholder: '<g>',
    description: 'time step',
  },
  {
    key: 'start',
    flag: 'start',
    type: 'string',
    required: true,
    pattern: TIMESTAMP,
    patternHint: 'a date like 20250101 (or 2025010100)',
    placeholder: '<yyyymmdd>',
    description: 'first day, YYYYMMDD',
  },
  {
    key: 'end',
    flag: 'end',
    type: 'string',
    required: true,
    pattern: TIMESTAMP,
    patternHint: 'a date like 20250107 (or 2025010700)',
    placeholder: '<yyyymmdd>',
    description: 'last day, YYYYMMDD',
  },
];

export function parseOptions(values: OptionValues): { options: WikimediaOptions; problems: string[] } {
  const hour = (t: string) => (t.length === 8 ? `${t}00` : t);
  const options: WikimediaOptions = {
    project: values.string('project'),
    // Titles are written with underscores in URLs; a space typed on the command line means the same page.
    articles: values.strings('articles').map((a) => a.replaceAll(' ', '_')),
    access: values.string('access'),
    agent: values.string('agent'),
    granularity: values.string('granularity') as WikimediaOptions['granularity'],
    start: hour(values.string('start')),
    end: hour(values.string('end')),
  };
  const problems =
    options.start > options.end ? [`--start ${options.start} is after --end ${options.end}`] : [];
  return { options, problems };
}
