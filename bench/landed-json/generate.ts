/**
 * USGS-shaped GeoJSON generated deterministically (a seeded PRNG: the same size gives the same bytes
 * on every run), written to disk streaming — never the whole body in memory:
 *
 * - `writeFeatureCollection`: one FeatureCollection body (`{"type":"FeatureCollection","metadata":…,
 *   "features":[…]}`) of at least `targetBytes`, as the summary feeds send it (compact JSON);
 * - `writeNdjson`: the same features, one per line (what DuckDB's read_json reads fastest: the floor);
 * - `smallFeed`: a small body of a few features, for the incremental case (held in memory, ~4 KB).
 *
 * A feature has every property the real feeds have (mag, place, time, updated, tz, url, detail, felt,
 * cdi, mmi, alert, status, tsunami, sig, net, code, ids, sources, types, nst, dmin, rms, gap, magType,
 * type, title), with nulls where the real feeds mostly have them; about 700 bytes each, as in a real
 * all_day feed (1 MB ≈ 1,450 features).
 */
import { closeSync, openSync, writeSync } from 'node:fs';

/** mulberry32: small, fast, good enough for test data, and the same on every platform. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NETS = ['ak', 'ci', 'nc', 'us', 'hv', 'nn', 'uw', 'pr', 'tx', 'mb'];
const PLACES = [
  'Willow, Alaska',
  'Cobb, CA',
  'Pāhala, Hawaii',
  'Ridgecrest, CA',
  'Anza, CA',
  'Petrolia, CA',
  'Tonopah, Nevada',
  'Mentone, Texas',
  'Isangel, Vanuatu',
  'Hualien City, Taiwan',
  'San Juan, Puerto Rico',
  'Ōfunato, Japan',
];
const DIRECTIONS = [
  'N',
  'NNE',
  'NE',
  'ENE',
  'E',
  'ESE',
  'SE',
  'SSE',
  'S',
  'SSW',
  'SW',
  'WSW',
  'W',
  'WNW',
  'NW',
];
const MAG_TYPES = ['ml', 'md', 'mb', 'mww', 'mwr', 'mb_lg'];
const TYPES = [
  ',origin,phase-data,',
  ',nearby-cities,origin,phase-data,scitech-link,',
  ',dyfi,origin,phase-data,',
];
const FIRST_TIME = 1_736_900_000_000; // 2025-01-15

/** The features of the stream seeded by `seed`, one by one, as compact JSON text. */
export class FeatureSource {
  private readonly random: () => number;
  private n: number;
  /** `firstIndex`: the index of the first feature (ids and times follow it, so streams can be disjoint). */
  constructor(seed: number, firstIndex = 0) {
    this.random = prng(seed);
    this.n = firstIndex;
  }

  next(): string {
    const r = this.random;
    const i = this.n++;
    const net = NETS[Math.floor(r() * NETS.length)]!;
    const code = `${(40_000_000 + i).toString(36)}${Math.floor(r() * 36).toString(36)}`;
    const id = `${net}${code}`;
    const mag = Math.round((r() * 6.5 - 0.5) * 100) / 100;
    const time = FIRST_TIME + i * 60_000 + Math.floor(r() * 60_000);
    const updated = time + Math.floor(r() * 3_600_000);
    const km = 1 + Math.floor(r() * 80);
    const place = `${km} km ${DIRECTIONS[Math.floor(r() * DIRECTIONS.length)]} of ${PLACES[Math.floor(r() * PLACES.length)]}`;
    const felt = r() < 0.1 ? Math.floor(r() * 500) : null;
    const reviewed = r() < 0.4;
    const sig = Math.max(0, Math.round(mag * mag * 30));
    const nst = r() < 0.7 ? Math.floor(r() * 120) : null;
    const lon = Math.round((r() * 360 - 180) * 10_000) / 10_000;
    const lat = Math.round((r() * 170 - 85) * 10_000) / 10_000;
    const depth = Math.round(r() * 600 * 100) / 100;
    const properties = {
      mag,
      place,
      time,
      updated,
      tz: null,
      url: `https://earthquake.usgs.gov/earthquakes/eventpage/${id}`,
      detail: `https://earthquake.usgs.gov/earthquakes/feed/v1.0/detail/${id}.geojson`,
      felt,
      cdi: felt === null ? null : Math.round(r() * 80) / 10,
      mmi: mag > 4 ? Math.round(r() * 80) / 10 : null,
      alert: mag > 5.5 ? 'green' : null,
      status: reviewed ? 'reviewed' : 'automatic',
      tsunami: mag > 6 && r() < 0.5 ? 1 : 0,
      sig,
      net,
      code,
      ids: `,${id},`,
      sources: `,${net},`,
      types: TYPES[Math.floor(r() * TYPES.length)],
      nst,
      dmin: nst === null ? null : Math.round(r() * 5_000) / 10_000,
      rms: Math.round(r() * 150) / 100,
      gap: nst === null ? null : Math.floor(r() * 300),
      magType: MAG_TYPES[Math.floor(r() * MAG_TYPES.length)],
      type: 'earthquake',
      title: `M ${mag.toFixed(1)} - ${place}`,
    };
    return JSON.stringify({
      type: 'Feature',
      properties,
      geometry: { type: 'Point', coordinates: [lon, lat, depth] },
      id,
    });
  }
}

function header(count: number | undefined): string {
  const metadata = {
    generated: FIRST_TIME,
    url: 'https://earthquake.usgs.gov/earthquakes/feed/v1.0/summary/all_month.geojson',
    title: 'USGS All Earthquakes, Past Month (bench/landed-json)',
    status: 200,
    api: '1.14.1',
    ...(count !== undefined ? { count } : {}),
  };
  return `{"type":"FeatureCollection","metadata":${JSON.stringify(metadata)},"features":[`;
}
const FOOTER = '],"bbox":[-180,-85,0,180,85,600]}';

/** Buffered sequential writes of text to a file (about 1 MB at a time). */
class FileWriter {
  private readonly fd: number;
  private parts: string[] = [];
  private pending = 0;
  bytes = 0;
  constructor(path: string) {
    this.fd = openSync(path, 'w');
  }
  write(text: string): void {
    this.parts.push(text);
    this.pending += text.length;
    if (this.pending >= 1 << 20) this.flush();
  }
  private flush(): void {
    if (this.parts.length === 0) return;
    const buffer = Buffer.from(this.parts.join(''), 'utf8');
    writeSync(this.fd, buffer);
    this.bytes += buffer.byteLength;
    this.parts = [];
    this.pending = 0;
  }
  close(): number {
    this.flush();
    closeSync(this.fd);
    return this.bytes;
  }
}

/**
 * A FeatureCollection of at least `targetBytes` (features are added until the body reaches it),
 * streamed to `path`. Returns the body's size and feature count.
 */
export function writeFeatureCollection(
  path: string,
  targetBytes: number,
  seed = 1,
): { bytes: number; features: number } {
  const out = new FileWriter(path);
  const source = new FeatureSource(seed);
  out.write(header(undefined));
  let written = Buffer.byteLength(header(undefined)) + FOOTER.length;
  let features = 0;
  while (written < targetBytes) {
    const text = source.next();
    out.write(features === 0 ? text : `,${text}`);
    written += Buffer.byteLength(text) + (features === 0 ? 0 : 1);
    features++;
  }
  out.write(FOOTER);
  return { bytes: out.close(), features };
}

/** The first `features` features of the same stream, one per line. Returns the file's size. */
export function writeNdjson(path: string, features: number, seed = 1): { bytes: number; features: number } {
  const out = new FileWriter(path);
  const source = new FeatureSource(seed);
  for (let i = 0; i < features; i++) out.write(`${source.next()}\n`);
  return { bytes: out.close(), features };
}

/** Small feed number `n` (0, 1, …): `features` features of its own (ids and times after feed n − 1). */
export function smallFeed(n: number, features = 5): Buffer {
  const source = new FeatureSource(1_000 + n, n * features);
  const list: string[] = [];
  for (let i = 0; i < features; i++) list.push(source.next());
  return Buffer.from(`${header(features)}${list.join(',')}${FOOTER}`, 'utf8');
}
