import type { OptionSpec, OptionValues } from '../sdk/options.ts';

export interface UsgsOptions {
  feeds: string[];
}

export const FEED = /^(all|significant|4\.5|2\.5|1\.0)_(hour|day|week|month)$/;

export const options: readonly OptionSpec[] = [
  {
    key: 'feeds',
    flag: 'feed',
    type: 'strings',
    default: ['all_day'],
    placeholder: '<feed>',
    pattern: FEED,
    patternHint: 'a feed name like all_day, significant_week or 4.5_month',
    description: 'summary feed(s): {all,significant,4.5,2.5,1.0}_{hour,day,week,month} (default all_day)',
  },
];

export function parseOptions(values: OptionValues): { options: UsgsOptions; problems: string[] } {
  return { options: { feeds: values.strings('feeds') }, problems: [] };
}
