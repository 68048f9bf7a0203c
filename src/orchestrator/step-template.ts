/**
 * A partitioned job's steps name their partition's dates with `{{ partition.<name> }}`, e.g.
 * `extract wikimedia --start {{ partition.compact }} --end {{ partition.compact }}` or
 * `extract weather --start-date {{ partition.date }} --end-date {{ partition.date }}`. The values are
 * plain dates computed here, so nothing but a date can reach the command line.
 */
export const PARTITION_VARIABLES = {
  date: 'the day, YYYY-MM-DD',
  start: 'the day, YYYY-MM-DD (same as date)',
  end: 'the day, YYYY-MM-DD (inclusive end: same as date)',
  next: 'the day after, YYYY-MM-DD (exclusive end)',
  compact: 'the day, YYYYMMDD (Wikimedia --start/--end)',
  next_compact: 'the day after, YYYYMMDD',
  start_ts: 'the day at 00:00:00Z, ISO 8601 (OpenAQ date_from, GitHub --since)',
  end_ts: 'the day after at 00:00:00Z, ISO 8601 (OpenAQ date_to)',
} as const;

export type PartitionVariable = keyof typeof PARTITION_VARIABLES;

const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)(?:\.([A-Za-z_][A-Za-z0-9_]*))?\s*\}\}/g;

/** Problems with the placeholders of one step (empty when it is fine). */
export function stepTemplateProblems(step: string, partitioned: boolean): string[] {
  const problems: string[] = [];
  for (const match of step.matchAll(PLACEHOLDER)) {
    const [text, scope, name] = match;
    if (scope !== 'partition' || name === undefined || !(name in PARTITION_VARIABLES)) {
      problems.push(
        `${text} is not a known placeholder (use {{ partition.X }} with X one of ${Object.keys(PARTITION_VARIABLES).join(', ')})`,
      );
    } else if (!partitioned) {
      problems.push(`${text} needs the job to be partitioned (add partitions: {by: day, start: YYYY-MM-DD})`);
    }
  }
  const stray = step.replace(PLACEHOLDER, '');
  if (/\{\{|\}\}/.test(stray)) problems.push('has an unclosed {{ … }} placeholder');
  return problems;
}

export function addDays(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

export function partitionValues(day: string): Record<PartitionVariable, string> {
  const next = addDays(day, 1);
  return {
    date: day,
    start: day,
    end: day,
    next,
    compact: day.replaceAll('-', ''),
    next_compact: next.replaceAll('-', ''),
    start_ts: `${day}T00:00:00Z`,
    end_ts: `${next}T00:00:00Z`,
  };
}

/** The step with its placeholders replaced by the partition's values (checked at config load). */
export function renderStep(step: string, partition: string | undefined): string {
  if (partition === undefined) return step;
  const values = partitionValues(partition);
  return step.replace(PLACEHOLDER, (text, _scope: string, name: string | undefined) =>
    name !== undefined && name in values ? values[name as PartitionVariable] : text,
  );
}
