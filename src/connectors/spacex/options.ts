import type { OptionSpec, OptionValues } from '../sdk/options.ts';

export const SPACEX_RESOURCES = ['launches', 'rockets', 'launchpads'] as const;
export type SpacexResource = (typeof SPACEX_RESOURCES)[number];

export interface SpacexOptions {
  resources: SpacexResource[];
}

export const options: readonly OptionSpec[] = [
  {
    key: 'resources',
    flag: 'resource',
    type: 'strings',
    default: [...SPACEX_RESOURCES],
    choices: SPACEX_RESOURCES,
    placeholder: '<name>',
    description: 'launches, rockets and/or launchpads (default: all three)',
  },
];

export function parseOptions(values: OptionValues): { options: SpacexOptions; problems: string[] } {
  return {
    options: { resources: [...new Set(values.strings('resources'))] as SpacexResource[] },
    problems: [],
  };
}
