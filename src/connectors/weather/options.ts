import type { OptionSpec, OptionValues } from '../sdk/options.ts';

export interface WeatherLocation {
  /** A label for messages and for people reading the config; not sent to the API. */
  name: string;
  latitude: number;
  longitude: number;
  hourly: string[];
  daily: string[];
  timezone: string | undefined;
}

export interface WeatherOptions {
  locations: WeatherLocation[];
  startDate: string | undefined;
  endDate: string | undefined;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const VARIABLE = /^[a-z0-9_]+$/;

export const options: readonly OptionSpec[] = [
  {
    key: 'latitude',
    flag: 'lat',
    type: 'number',
    min: -90,
    max: 90,
    placeholder: '<deg>',
    description: 'latitude in decimal degrees',
  },
  {
    key: 'longitude',
    flag: 'lon',
    type: 'number',
    min: -180,
    max: 180,
    placeholder: '<deg>',
    description: 'longitude in decimal degrees',
  },
  {
    key: 'name',
    flag: 'name',
    type: 'string',
    placeholder: '<label>',
    description: 'label for the location in messages (default "lat,lon")',
  },
  {
    key: 'locations',
    type: 'custom',
    description: 'several locations: a list of {name, latitude, longitude, hourly?, daily?, timezone?}',
    validate: validateLocations,
  },
  {
    key: 'hourly',
    flag: 'hourly',
    type: 'strings',
    placeholder: '<vars>',
    pattern: VARIABLE,
    patternHint: 'a variable name like temperature_2m',
    description: 'hourly variables, comma-separated, e.g. temperature_2m,relative_humidity_2m',
  },
  {
    key: 'daily',
    flag: 'daily',
    type: 'strings',
    placeholder: '<vars>',
    pattern: VARIABLE,
    patternHint: 'a variable name like temperature_2m_max',
    description: 'daily variables, comma-separated, e.g. temperature_2m_max,precipitation_sum',
  },
  {
    key: 'start_date',
    flag: 'start-date',
    type: 'string',
    pattern: DATE,
    patternHint: 'a date like 2025-01-15',
    placeholder: '<date>',
    description: 'first day (YYYY-MM-DD)',
  },
  {
    key: 'end_date',
    flag: 'end-date',
    type: 'string',
    pattern: DATE,
    patternHint: 'a date like 2025-01-15',
    placeholder: '<date>',
    description: 'last day (YYYY-MM-DD)',
  },
  {
    key: 'timezone',
    flag: 'timezone',
    type: 'string',
    placeholder: '<tz>',
    description: 'IANA time zone for times and daily sums, or "auto" (default GMT)',
  },
];

function validateLocations(value: unknown): string | undefined {
  if (!Array.isArray(value) || value.length === 0) return 'must be a list of {name, latitude, longitude}';
  for (const [i, item] of value.entries()) {
    const l = item as Record<string, unknown> | null;
    if (!l || typeof l !== 'object') return `item ${i + 1} must be a mapping with latitude and longitude`;
    const allowed = ['name', 'latitude', 'longitude', 'hourly', 'daily', 'timezone'];
    const extra = Object.keys(l).find((k) => !allowed.includes(k));
    if (extra) return `item ${i + 1}: "${extra}" is not a location key (allowed: ${allowed.join(', ')})`;
    if (typeof l.latitude !== 'number' || l.latitude < -90 || l.latitude > 90)
      return `item ${i + 1}: latitude must be a number from -90 to 90`;
    if (typeof l.longitude !== 'number' || l.longitude < -180 || l.longitude > 180) {
      return `item ${i + 1}: longitude must be a number from -180 to 180`;
    }
    for (const key of ['hourly', 'daily'] as const) {
      const list = l[key];
      if (
        list !== undefined &&
        !(Array.isArray(list) && list.every((v) => typeof v === 'string' && VARIABLE.test(v)))
      ) {
        return `item ${i + 1}: ${key} must be a list of variable names like temperature_2m`;
      }
    }
  }
  return undefined;
}

export function parseOptions(values: OptionValues): { options: WeatherOptions; problems: string[] } {
  const problems: string[] = [];
  const hourly = values.strings('hourly');
  const daily = values.strings('daily');
  const timezone = values.optionalString('timezone');
  const lat = values.optionalNumber('latitude');
  const lon = values.optionalNumber('longitude');
  let locations: WeatherLocation[] = [];
  if (lat !== undefined || lon !== undefined) {
    if (lat === undefined || lon === undefined) problems.push('give both --lat and --lon');
    else
      locations = [
        {
          name: values.optionalString('name') ?? `${lat},${lon}`,
          latitude: lat,
          longitude: lon,
          hourly,
          daily,
          timezone,
        },
      ];
  } else if (values.has('locations')) {
    locations = (values.raw('locations') as Record<string, unknown>[]).map((l) => ({
      name: typeof l.name === 'string' ? l.name : `${l.latitude},${l.longitude}`,
      latitude: l.latitude as number,
      longitude: l.longitude as number,
      hourly: (l.hourly as string[] | undefined) ?? hourly,
      daily: (l.daily as string[] | undefined) ?? daily,
      timezone: typeof l.timezone === 'string' ? l.timezone : timezone,
    }));
  } else
    problems.push(
      'give a location: --lat and --lon, or `locations:` under connectors.weather in vaultline.yml',
    );
  for (const l of locations) {
    if (l.hourly.length === 0 && l.daily.length === 0) {
      problems.push(
        `${l.name}: ask for at least one variable with --hourly or --daily (e.g. --hourly temperature_2m)`,
      );
    }
  }
  const startDate = values.optionalString('start_date');
  const endDate = values.optionalString('end_date');
  if ((startDate === undefined) !== (endDate === undefined))
    problems.push('give both --start-date and --end-date, or neither');
  else if (startDate && endDate && startDate > endDate)
    problems.push(`--start-date ${startDate} is after --end-date ${endDate}`);
  return { options: { locations, startDate, endDate }, problems };
}
