/**
 * Which months are closed — pure, so the rule is tested on its own (months.test.ts). A month is closed
 * when it lies wholly before the cutoff: the start of the current UTC month (nothing more can be
 * landed in a past month with today's clock), or the `--before` date when that is earlier. Months
 * are `YYYY-MM` of the load date in the landing key (load_ts in UTC).
 */
const MONTH = /^(\d{4})-(\d{2})$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** `2026-01-31` → `2026-01`. */
export function monthOfLoadDate(loadDate: string): string {
  return loadDate.slice(0, 7);
}

/** The first instant of the month after `month` (UTC). */
export function monthEnd(month: string): Date {
  const m = MONTH.exec(month);
  if (!m) throw new Error(`not a month: "${month}" (expected YYYY-MM)`);
  return new Date(Date.UTC(Number(m[1]), Number(m[2]), 1));
}

/** A calendar date `YYYY-MM-DD` as midnight UTC; throws on anything else, including Feb 30. */
export function parseDate(text: string): Date {
  const m = DATE.exec(text);
  const date = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : undefined;
  if (!date || date.toISOString().slice(0, 10) !== text) {
    throw new Error(`not a date: "${text}" (expected YYYY-MM-DD, e.g. 2026-01-01)`);
  }
  return date;
}

/** Months must end at or before this instant to be compacted. */
export function closedCutoff(now: Date, before?: string): Date {
  const currentMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  if (before === undefined) return currentMonth;
  const date = parseDate(before);
  return date < currentMonth ? date : currentMonth;
}

export function isClosedMonth(month: string, cutoff: Date): boolean {
  return monthEnd(month).getTime() <= cutoff.getTime();
}
