import { cassette, compact, raw, reset } from './common.ts';

const BASE = 'https://api.open-meteo.com';
const HEADERS = { 'content-type': 'application/json; charset=utf-8', date: 'Wed, 15 Jan 2025 12:00:00 GMT' };
const hours = Array.from({ length: 24 }, (_, h) => `2025-01-15T${String(h).padStart(2, '0')}:00`);
const f1 = (n: number) => raw(n.toFixed(1));

/** A summer day on the Highveld: 15.8 °C at dawn, 27 °C mid-afternoon, a thunderstorm at 16:00–18:00. */
function johannesburg(): string {
  const temp = [17.9, 17.2, 16.6, 16.1, 15.9, 15.8, 16.4, 18.1, 20.2, 22.0, 23.6, 24.9, 25.9, 26.6, 27.0, 26.4, 22.8, 20.1, 19.5, 19.0, 18.7, 18.4, 18.2, 18.0];
  const rh = [78, 81, 84, 86, 87, 88, 85, 76, 66, 58, 52, 47, 44, 42, 41, 45, 71, 86, 88, 87, 86, 85, 84, 84];
  const rain = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0.4, 6.2, 2.1, 0.3, 0, 0, 0, 0, 0];
  return compact({
    latitude: raw('-26.25'),
    longitude: raw('28.0'),
    generationtime_ms: raw('0.07402896881103516'),
    utc_offset_seconds: 7200,
    timezone: 'Africa/Johannesburg',
    timezone_abbreviation: 'SAST',
    elevation: raw('1753.0'),
    hourly_units: { time: 'iso8601', temperature_2m: '°C', relative_humidity_2m: '%', precipitation: 'mm' },
    hourly: { time: hours, temperature_2m: temp.map(f1), relative_humidity_2m: rh, precipitation: rain.map(f1) },
    daily_units: { time: 'iso8601', temperature_2m_max: '°C', temperature_2m_min: '°C', precipitation_sum: 'mm' },
    daily: { time: ['2025-01-15'], temperature_2m_max: [f1(27.0)], temperature_2m_min: [f1(15.8)], precipitation_sum: [f1(9.0)] },
  });
}

/** Recorded with an older variable name (relativehumidity_2m); one humidity value is missing (null). */
function saoPaulo(): string {
  const temp = [21.3, 21.0, 20.8, 20.6, 20.4, 20.3, 20.5, 21.4, 22.9, 24.6, 26.1, 27.3, 28.2, 28.8, 29.0, 28.6, 27.7, 26.2, 24.8, 23.7, 22.9, 22.4, 22.0, 21.7];
  const rh: (number | null)[] = [89, 90, 91, 92, 93, 93, 92, 87, 80, 72, 65, 60, 56, 54, 53, 56, 62, 70, 77, 82, 85, 87, 88, null];
  const rain = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1.2, 3.8, 0.6, 0, 0, 0, 0, 0, 0, 0];
  return compact({
    latitude: raw('-23.5'),
    longitude: raw('-46.625'),
    generationtime_ms: raw('0.05698204040527344'),
    utc_offset_seconds: -10800,
    timezone: 'America/Sao_Paulo',
    timezone_abbreviation: '-03',
    elevation: raw('763.0'),
    hourly_units: { time: 'iso8601', temperature_2m: '°C', relativehumidity_2m: '%', precipitation: 'mm' },
    hourly: { time: hours, temperature_2m: temp.map(f1), relativehumidity_2m: rh, precipitation: rain.map(f1) },
    daily_units: { time: 'iso8601', temperature_2m_max: '°C', temperature_2m_min: '°C', precipitation_sum: 'mm' },
    daily: { time: ['2025-01-15'], temperature_2m_max: [f1(29.0)], temperature_2m_min: [f1(20.3)], precipitation_sum: [f1(5.6)] },
  });
}

const daily = 'temperature_2m_max,temperature_2m_min,precipitation_sum';
reset('weather');
cassette(
  'weather',
  BASE,
  {
    path: '/v1/forecast',
    query: { latitude: -26.2041, longitude: 28.0473, hourly: 'temperature_2m,relative_humidity_2m,precipitation', daily, timezone: 'Africa/Johannesburg', start_date: '2025-01-15', end_date: '2025-01-15' },
  },
  { headers: HEADERS, body: johannesburg() },
);
cassette(
  'weather',
  BASE,
  {
    path: '/v1/forecast',
    query: { latitude: -23.5505, longitude: -46.6333, hourly: 'temperature_2m,relativehumidity_2m,precipitation', daily, timezone: 'America/Sao_Paulo', start_date: '2025-01-15', end_date: '2025-01-15' },
  },
  { headers: HEADERS, body: saoPaulo() },
);
