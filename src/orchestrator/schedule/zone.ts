/**
 * Wall clocks of IANA time zones, from Intl only (no tz database of our own): the local parts of an
 * instant, its UTC offset, a label for messages, and the offset change (DST transition) near an instant.
 */

export interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const partsFormatters = new Map<string, Intl.DateTimeFormat>();

function partsFormatter(timeZone: string): Intl.DateTimeFormat {
  let formatter = partsFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    partsFormatters.set(timeZone, formatter);
  }
  return formatter;
}

export function localParts(date: Date, timeZone: string): LocalParts {
  const values: Record<string, number> = {};
  for (const part of partsFormatter(timeZone).formatToParts(date)) {
    if (part.type !== 'literal') values[part.type] = Number(part.value);
  }
  return {
    year: values.year ?? 0,
    month: values.month ?? 1,
    day: values.day ?? 1,
    // Some ICU versions print midnight as 24 even with h23.
    hour: (values.hour ?? 0) % 24,
    minute: values.minute ?? 0,
    second: values.second ?? 0,
  };
}

/** Minutes east of UTC that `timeZone` observes at `date` (CEST = 120, EST = -300). */
export function utcOffsetMinutes(date: Date, timeZone: string): number {
  const p = localParts(date, timeZone);
  const wall = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  const instant = Math.floor(date.getTime() / 1000) * 1000;
  return Math.round((wall - instant) / 60_000);
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** `YYYY-MM-DD` of `date` on the wall calendar of `timeZone`. */
export function localDate(date: Date, timeZone: string): string {
  const p = localParts(date, timeZone);
  return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}`;
}

/** `HH:MM` of a minute-of-day count. */
export function clockText(minuteOfDay: number): string {
  const m = ((minuteOfDay % 1440) + 1440) % 1440;
  return `${pad(Math.floor(m / 60))}:${pad(m % 60)}`;
}

/** `+02:00`, `-04:00`, `+05:30`. */
export function offsetText(offsetMinutes: number): string {
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

const labelFormatters = new Map<string, Intl.DateTimeFormat>();

function shortZoneName(date: Date, timeZone: string, locale: string): string | undefined {
  const key = `${locale}\0${timeZone}`;
  let formatter = labelFormatters.get(key);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: 'short' });
    labelFormatters.set(key, formatter);
  }
  return formatter.formatToParts(date).find((part) => part.type === 'timeZoneName')?.value;
}

/**
 * The zone's abbreviation at `date` when ICU knows a real one (`CEST`, `EDT`, `UTC`: en-US knows the
 * American ones, en-GB the European ones), else the offset (`+02:00` for Africa/Johannesburg), never
 * the ambiguous `GMT+2`.
 */
export function zoneLabel(date: Date, timeZone: string): string {
  for (const locale of ['en-US', 'en-GB']) {
    const name = shortZoneName(date, timeZone, locale);
    if (name && /^[A-Z]{2,5}$/.test(name) && (name !== 'GMT' || utcOffsetMinutes(date, timeZone) === 0)) {
      return name;
    }
  }
  return offsetText(utcOffsetMinutes(date, timeZone));
}

/** `2026-03-29 03:00 CEST` (seconds only when the instant has some), for messages and previews. */
export function localTime(date: Date, timeZone: string): string {
  const p = localParts(date, timeZone);
  const seconds = p.second === 0 ? '' : `:${pad(p.second)}`;
  return `${localDate(date, timeZone)} ${pad(p.hour)}:${pad(p.minute)}${seconds} ${zoneLabel(date, timeZone)}`;
}

export interface OffsetTransition {
  /** The first instant (to the minute) with the new offset. */
  at: Date;
  before: number;
  after: number;
}

/**
 * The change of UTC offset within `windowMs` either side of `date`, if there is one (assumes at most
 * one change in the window, which holds for every zone's DST rules with the default 36 hours).
 */
export function offsetTransitionNear(
  date: Date,
  timeZone: string,
  windowMs = 36 * 3_600_000,
): OffsetTransition | undefined {
  let low = Math.floor((date.getTime() - windowMs) / 60_000) * 60_000;
  let high = Math.ceil((date.getTime() + windowMs) / 60_000) * 60_000;
  const before = utcOffsetMinutes(new Date(low), timeZone);
  const after = utcOffsetMinutes(new Date(high), timeZone);
  if (before === after) return undefined;
  // Invariant: offset(low) === before, offset(high) !== before. Transitions fall on whole minutes.
  while (high - low > 60_000) {
    const middle = Math.floor((low + high) / 2 / 60_000) * 60_000;
    if (utcOffsetMinutes(new Date(middle), timeZone) === before) low = middle;
    else high = middle;
  }
  return { at: new Date(high), before, after: utcOffsetMinutes(new Date(high), timeZone) };
}
