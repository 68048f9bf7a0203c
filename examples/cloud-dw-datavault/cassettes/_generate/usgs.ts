import { cassette, compact, raw, reset } from './common.ts';

const BASE = 'https://earthquake.usgs.gov';
const HEADERS = { 'content-type': 'application/json', date: 'Wed, 15 Jan 2025 12:00:00 GMT', 'cache-control': 'max-age=60, public', 'last-modified': 'Wed, 15 Jan 2025 11:59:10 GMT' };
const GENERATED = 1736942350000; // 2025-01-15T11:59:10Z

interface Quake {
  id: string;
  net: string;
  code: string;
  ids: string;
  sources: string;
  mag: string; // written as the feed writes it: 1.2, 0.87, -0.3, 5
  magType: string;
  place: string;
  time: number;
  updatedAfter: number;
  lon: string;
  lat: string;
  depth: string;
  status: 'automatic' | 'reviewed';
  sig: number;
  nst: number | null;
  dmin: string | null;
  rms: string;
  gap: number | null;
  types: string;
  felt?: number | null;
  cdi?: string | null;
  mmi?: string | null;
  alert?: string | null;
  tsunami?: number;
  type?: string;
}

function feature(q: Quake) {
  const detail = `https://earthquake.usgs.gov/earthquakes/feed/v1.0/detail/${q.id}.geojson`;
  return {
    type: 'Feature',
    properties: {
      mag: raw(q.mag),
      place: q.place,
      time: q.time,
      updated: q.time + q.updatedAfter,
      tz: null,
      url: `https://earthquake.usgs.gov/earthquakes/eventpage/${q.id}`,
      detail,
      felt: q.felt ?? null,
      cdi: q.cdi == null ? null : raw(q.cdi),
      mmi: q.mmi == null ? null : raw(q.mmi),
      alert: q.alert ?? null,
      status: q.status,
      tsunami: q.tsunami ?? 0,
      sig: q.sig,
      net: q.net,
      code: q.code,
      ids: q.ids,
      sources: q.sources,
      types: q.types,
      nst: q.nst,
      dmin: q.dmin === null ? null : raw(q.dmin),
      rms: raw(q.rms),
      gap: q.gap,
      magType: q.magType,
      type: q.type ?? 'earthquake',
      title: `M ${q.mag} - ${q.place}`,
    },
    geometry: { type: 'Point', coordinates: [raw(q.lon), raw(q.lat), raw(q.depth)] },
    id: q.id,
  };
}

const SIGNIFICANT_TODAY: Quake = {
  id: 'us7000p2k9',
  net: 'us',
  code: '7000p2k9',
  ids: ',us7000p2k9,at00sq4w1x,pt25015000,',
  sources: ',us,at,pt,',
  mag: '5',
  magType: 'mww',
  place: '95 km SSE of Hihifo, Tonga',
  time: 1736902216482,
  updatedAfter: 27_341_000,
  lon: '-173.4811',
  lat: '-16.7772',
  depth: '10',
  status: 'reviewed',
  sig: 620,
  nst: 91,
  dmin: '3.107',
  rms: '0.79',
  gap: 42,
  types: ',associate,dyfi,impact-link,moment-tensor,origin,phase-data,shakemap,',
  felt: 3,
  cdi: '3.4',
  mmi: '4.12',
  alert: 'green',
  tsunami: 1,
};

const ALL_DAY: Quake[] = [
  { id: 'ak025015ab3', net: 'ak', code: '025015ab3', ids: ',ak025015ab3,', sources: ',ak,', mag: '1.2', magType: 'ml', place: '14 km NNW of Willow, Alaska', time: 1736941812405, updatedAfter: 125_000, lon: '-150.1512', lat: '61.8710', depth: '31.4', status: 'automatic', sig: 22, nst: null, dmin: null, rms: '0.46', gap: null, types: ',origin,phase-data,' },
  { id: 'ci40878112', net: 'ci', code: '40878112', ids: ',ci40878112,', sources: ',ci,', mag: '0.87', magType: 'ml', place: '6 km W of Cobb, CA', time: 1736939025330, updatedAfter: 410_120, lon: '-122.7965', lat: '38.8218', depth: '1.92', status: 'automatic', sig: 11, nst: 14, dmin: '0.008829', rms: '0.02', gap: 71, types: ',nearby-cities,origin,phase-data,scitech-link,' },
  { id: 'nc75112345', net: 'nc', code: '75112345', ids: ',nc75112345,', sources: ',nc,', mag: '-0.3', magType: 'md', place: '2 km NW of The Geysers, CA', time: 1736935520910, updatedAfter: 1_520_000, lon: '-122.7733', lat: '38.7912', depth: '2.36', status: 'automatic', sig: 0, nst: 9, dmin: '0.01013', rms: '0.03', gap: 104, types: ',nearby-cities,origin,phase-data,' },
  { id: 'hv74571234', net: 'hv', code: '74571234', ids: ',hv74571234,', sources: ',hv,', mag: '2.09', magType: 'md', place: '8 km SW of Volcano, Hawaii', time: 1736930911120, updatedAfter: 2_104_410, lon: '-155.2890', lat: '19.3755', depth: '1.6', status: 'automatic', sig: 66, nst: 37, dmin: null, rms: '0.14', gap: 64, types: ',origin,phase-data,' },
  { id: 'tx2025abcd', net: 'tx', code: '2025abcd', ids: ',tx2025abcd,', sources: ',tx,', mag: '2.4', magType: 'ml', place: '41 km W of Mentone, Texas', time: 1736926640118, updatedAfter: 3_800_500, lon: '-104.0102', lat: '31.6925', depth: '6.7', status: 'reviewed', sig: 89, nst: 28, dmin: '0.1', rms: '0.2', gap: 55, types: ',origin,phase-data,' },
  { id: 'uu80082211', net: 'uu', code: '80082211', ids: ',uu80082211,', sources: ',uu,', mag: '1.56', magType: 'md', place: '17 km SE of Magna, Utah', time: 1736921200451, updatedAfter: 5_050_300, lon: '-111.9610', lat: '40.5977', depth: '9.54', status: 'reviewed', sig: 37, nst: 20, dmin: '0.0321', rms: '0.12', gap: 88, types: ',origin,phase-data,' },
  { id: 'pr2025015001', net: 'pr', code: '2025015001', ids: ',pr2025015001,', sources: ',pr,', mag: '2.71', magType: 'md', place: '9 km S of Indios, Puerto Rico', time: 1736915108772, updatedAfter: 6_200_000, lon: '-66.8225', lat: '17.9060', depth: '10.3', status: 'reviewed', sig: 111, nst: 11, dmin: null, rms: '0.17', gap: 236, types: ',origin,phase-data,' },
  SIGNIFICANT_TODAY,
  { id: 'us7000p2jz', net: 'us', code: '7000p2jz', ids: ',us7000p2jz,', sources: ',us,', mag: '4.6', magType: 'mb', place: 'Kermadec Islands region', time: 1736889933120, updatedAfter: 8_815_040, lon: '-177.8120', lat: '-30.1145', depth: '35', status: 'reviewed', sig: 326, nst: 43, dmin: '1.455', rms: '0.88', gap: 97, types: ',origin,phase-data,' },
  { id: 'nn00891234', net: 'nn', code: '00891234', ids: ',nn00891234,', sources: ',nn,', mag: '0.7', magType: 'ml', place: '30 km SE of Mina, Nevada', time: 1736875311004, updatedAfter: 20_100_000, lon: '-117.8601', lat: '38.1814', depth: '8.2', status: 'reviewed', sig: 8, nst: 12, dmin: '0.058', rms: '0.1406', gap: 134.57, types: ',origin,phase-data,' },
  { id: 'ak025014zz1', net: 'ak', code: '025014zz1', ids: ',ak025014zz1,us7000p2jm,', sources: ',ak,us,', mag: '3.1', magType: 'ml', place: '72 km SE of Chignik, Alaska', time: 1736868012600, updatedAfter: 30_220_000, lon: '-157.6740', lat: '55.9021', depth: '42.1', status: 'reviewed', sig: 148, nst: null, dmin: null, rms: '0.61', gap: null, types: ',origin,phase-data,' },
  { id: 'ci40877924', net: 'ci', code: '40877924', ids: ',ci40877924,', sources: ',ci,', mag: '1', magType: 'ml', place: '12 km N of Borrego Springs, CA', time: 1736859001771, updatedAfter: 40_005_000, lon: '-116.3709', lat: '33.3637', depth: '10.81', status: 'reviewed', sig: 15, nst: 33, dmin: '0.07446', rms: '0.17', gap: 45, types: ',nearby-cities,origin,phase-data,scitech-link,', type: 'quarry blast' },
];

const EARLIER_THIS_WEEK: Quake = {
  id: 'us7000p0xd',
  net: 'us',
  code: '7000p0xd',
  ids: ',us7000p0xd,pt25010000,at00sq0bb3,',
  sources: ',us,pt,at,',
  mag: '6.1',
  magType: 'mww',
  place: '58 km E of Hualien City, Taiwan',
  time: 1736553918240,
  updatedAfter: 186_401_000,
  lon: '122.1937',
  lat: '23.9850',
  depth: '21.5',
  status: 'reviewed',
  sig: 1108,
  nst: 133,
  dmin: '0.512',
  rms: '0.93',
  gap: 25,
  types: ',associate,dyfi,ground-failure,impact-link,losspager,moment-tensor,origin,phase-data,shakemap,',
  felt: 214,
  cdi: '5.8',
  mmi: '6.024',
  alert: 'yellow',
  tsunami: 0,
};

function collection(title: string, feed: string, quakes: Quake[]): string {
  const lons = quakes.map((q) => Number(q.lon));
  const lats = quakes.map((q) => Number(q.lat));
  const depths = quakes.map((q) => Number(q.depth));
  const bbox = [Math.min(...lons), Math.min(...lats), Math.min(...depths), Math.max(...lons), Math.max(...lats), Math.max(...depths)];
  return compact({
    type: 'FeatureCollection',
    metadata: { generated: GENERATED, url: `https://earthquake.usgs.gov/earthquakes/feed/v1.0/summary/${feed}.geojson`, title, status: 200, api: '1.14.1', count: quakes.length },
    features: quakes.map(feature),
    bbox: bbox.map((n) => raw(String(n))),
  });
}

reset('usgs');
cassette('usgs', BASE, { path: '/earthquakes/feed/v1.0/summary/all_day.geojson' }, { headers: HEADERS, body: collection('USGS All Earthquakes, Past Day', 'all_day', ALL_DAY) });
cassette(
  'usgs',
  BASE,
  { path: '/earthquakes/feed/v1.0/summary/significant_week.geojson' },
  { headers: HEADERS, body: collection('USGS Significant Earthquakes, Past Week', 'significant_week', [SIGNIFICANT_TODAY, EARLIER_THIS_WEEK]) },
);
