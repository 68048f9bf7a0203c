import type { OptionSpec, OptionValues } from '../sdk/options.ts';

export interface GithubOptions {
  owner: string;
  repo: string;
  /** Explicit lower bound (ISO 8601); overrides the stored cursor. */
  since: string | undefined;
  branch: string | undefined;
  perPage: number;
  maxPages: number;
  /** Ignore the stored cursor and fetch the whole history. */
  full: boolean;
  token: string | undefined;
}

const NAME = /^[A-Za-z0-9_.-]+$/;

export const options: readonly OptionSpec[] = [
  {
    key: 'owner',
    flag: 'owner',
    type: 'string',
    required: true,
    pattern: NAME,
    patternHint: 'a user or organisation name',
    placeholder: '<owner>',
    description: 'repository owner, e.g. octocat',
  },
  {
    key: 'repo',
    flag: 'repo',
    type: 'string',
    required: true,
    pattern: NAME,
    patternHint: 'a repository name',
    placeholder: '<repo>',
    description: 'repository name, e.g. Hello-World',
  },
  {
    key: 'since',
    flag: 'since',
    type: 'string',
    pattern: /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/,
    patternHint: 'an ISO 8601 date or time like 2025-01-01T00:00:00Z',
    placeholder: '<iso>',
    description:
      'only commits from this time on (default: the newest commit date already landed, kept in _state/)',
  },
  {
    key: 'branch',
    flag: 'branch',
    type: 'string',
    placeholder: '<branch>',
    description: 'branch, tag or SHA to list commits from (default: the default branch)',
  },
  {
    key: 'per_page',
    flag: 'per-page',
    type: 'integer',
    min: 1,
    max: 100,
    default: 100,
    placeholder: '<n>',
    description: 'commits per page (at most 100)',
  },
  {
    key: 'max_pages',
    flag: 'max-pages',
    type: 'integer',
    min: 1,
    default: 100,
    placeholder: '<n>',
    description: 'stop (and report a failure) after this many pages',
  },
  {
    key: 'full',
    flag: 'full',
    type: 'boolean',
    default: false,
    description: 'ignore the stored cursor and fetch the whole history',
  },
  {
    key: 'token',
    type: 'string',
    secret: true,
    env: 'GITHUB_TOKEN',
    description: 'GitHub token (optional; 5000 instead of 60 requests per hour)',
  },
];

export function parseOptions(values: OptionValues): { options: GithubOptions; problems: string[] } {
  const since = values.optionalString('since');
  return {
    options: {
      owner: values.string('owner'),
      repo: values.string('repo'),
      since: since && /^\d{4}-\d{2}-\d{2}$/.test(since) ? `${since}T00:00:00Z` : since,
      branch: values.optionalString('branch'),
      perPage: values.number('per_page'),
      maxPages: values.number('max_pages'),
      full: values.boolean('full'),
      token: values.optionalString('token'),
    },
    problems: [],
  };
}
