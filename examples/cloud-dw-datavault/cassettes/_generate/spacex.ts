import { cassette, compact, reset } from './common.ts';

const BASE = 'https://api.spacexdata.com';
const HEADERS = { 'content-type': 'application/json; charset=utf-8', date: 'Wed, 15 Jan 2025 12:00:00 GMT', 'cache-control': 'max-age=20', etag: 'W/"5e7c-spacex"' };

const R = { f1: '5e9d0d95eda69955f709d1eb', f9: '5e9d0d95eda69973a809d1ec', fh: '5e9d0d95eda69974db09d1ed', ss: '5e9d0d96eda699382d09d1ee' };
const P = {
  slc3w: '5e9e4501f5090910d4566f83',
  slc40: '5e9e4501f509094ba4566f84',
  stls: '5e9e4502f5090927f8566f85',
  kwaj: '5e9e4502f5090995de566f86',
  slc4e: '5e9e4502f509092b78566f87',
  lc39a: '5e9e4502f509094188566f88',
};
const L = {
  falconsat: '5eb87cd9ffd86e000604b32a',
  demosat: '5eb87cdaffd86e000604b32b',
  trailblazer: '5eb87cdbffd86e000604b32c',
  ratsat: '5eb87cdbffd86e000604b32d',
  razaksat: '5eb87cdcffd86e000604b32e',
  f9test: '5eb87cddffd86e000604b32f',
  fhtest: '5eb87d13ffd86e000604b360',
  upcoming: '62dd70d5202306255024d139',
};

function core(core: string | null, o: Partial<Record<string, unknown>> = {}) {
  return { core, flight: 1, gridfins: false, legs: false, reused: false, landing_attempt: false, landing_success: null, landing_type: null, landpad: null, ...o };
}
function links(o: { patch?: string | null; webcast?: string | null; youtube?: string | null; article?: string | null; wikipedia?: string | null } = {}) {
  return {
    patch: o.patch === undefined ? { small: null, large: null } : o.patch === null ? { small: null, large: null } : { small: `https://images2.imgbox.com/${o.patch}_o.png`, large: `https://images2.imgbox.com/${o.patch}_o.png` },
    reddit: { campaign: null, launch: null, media: null, recovery: null },
    flickr: { small: [], original: [] },
    presskit: null,
    webcast: o.webcast ?? null,
    youtube_id: o.youtube ?? null,
    article: o.article ?? null,
    wikipedia: o.wikipedia ?? null,
  };
}

const launches = [
  {
    fairings: { reused: false, recovery_attempt: false, recovered: false, ships: [] },
    links: links({ patch: '94/f2/NN6Ph45r', webcast: 'https://www.youtube.com/watch?v=0a_00nJ_Y88', youtube: '0a_00nJ_Y88', article: 'https://www.space.com/2196-spacex-inaugural-falcon-1-rocket-lost-launch.html', wikipedia: 'https://en.wikipedia.org/wiki/DemoSat' }),
    static_fire_date_utc: '2006-03-17T00:00:00.000Z', static_fire_date_unix: 1142553600, net: false, window: 0, rocket: R.f1, success: false,
    failures: [{ time: 33, altitude: null, reason: 'merlin engine failure' }],
    details: 'Engine failure at 33 seconds and loss of vehicle', crew: [], ships: [], capsules: [], payloads: ['5eb0e4b5b6c3bb0006eeb1e1'],
    launchpad: P.kwaj, flight_number: 1, name: 'FalconSat', date_utc: '2006-03-24T22:30:00.000Z', date_unix: 1143239400, date_local: '2006-03-25T10:30:00+12:00', date_precision: 'hour', upcoming: false,
    cores: [core('5e9e289df35918033d3b2623')], auto_update: true, tbd: false, launch_library_id: null, id: L.falconsat,
  },
  {
    fairings: { reused: false, recovery_attempt: false, recovered: false, ships: [] },
    links: links({ patch: 'a9/9a/NXVkTZCE', webcast: 'https://www.youtube.com/watch?v=Lk4zQ2wP-Nc', youtube: 'Lk4zQ2wP-Nc', article: 'https://www.space.com/3590-spacex-falcon-1-rocket-fails-reach-orbit.html', wikipedia: 'https://en.wikipedia.org/wiki/DemoSat' }),
    static_fire_date_utc: null, static_fire_date_unix: null, net: false, window: 0, rocket: R.f1, success: false,
    failures: [{ time: 301, altitude: 289, reason: 'harmonic oscillation leading to premature engine shutdown' }],
    details: 'Successful first stage burn and transition to second stage, maximum altitude 289 km, Premature engine shutdown at T+7 min 30 s, Failed to reach orbit, Failed to recover first stage',
    crew: [], ships: [], capsules: [], payloads: ['5eb0e4b6b6c3bb0006eeb1e2'],
    launchpad: P.kwaj, flight_number: 2, name: 'DemoSat', date_utc: '2007-03-21T01:10:00.000Z', date_unix: 1174439400, date_local: '2007-03-21T13:10:00+12:00', date_precision: 'hour', upcoming: false,
    cores: [core('5e9e289ef35918416a3b2624')], auto_update: true, tbd: false, launch_library_id: null, id: L.demosat,
  },
  {
    fairings: { reused: false, recovery_attempt: false, recovered: false, ships: [] },
    links: links({ patch: '1a/a2/Hq7vTsRa', webcast: 'https://www.youtube.com/watch?v=v0w9p3U8860', youtube: 'v0w9p3U8860', article: 'http://www.spacex.com/news/2013/02/11/falcon-1-flight-3-mission-summary', wikipedia: 'https://en.wikipedia.org/wiki/Trailblazer_(satellite)' }),
    static_fire_date_utc: null, static_fire_date_unix: null, net: false, window: 0, rocket: R.f1, success: false,
    failures: [{ time: 140, altitude: 35, reason: 'residual stage-1 thrust led to collision between stage 1 and stage 2' }],
    details: 'Residual stage 1 thrust led to collision between stage 1 and stage 2',
    crew: [], ships: [], capsules: [], payloads: ['5eb0e4b6b6c3bb0006eeb1e3', '5eb0e4b6b6c3bb0006eeb1e4'],
    launchpad: P.kwaj, flight_number: 3, name: 'Trailblazer', date_utc: '2008-08-03T03:34:00.000Z', date_unix: 1217734440, date_local: '2008-08-03T15:34:00+12:00', date_precision: 'hour', upcoming: false,
    cores: [core('5e9e289ef3591814873b2625')], auto_update: true, tbd: false, launch_library_id: null, id: L.trailblazer,
  },
  {
    fairings: { reused: false, recovery_attempt: false, recovered: false, ships: [] },
    links: links({ patch: 'e9/c9/T8CfiSYb', webcast: 'https://www.youtube.com/watch?v=dLQ2tZEH6G0', youtube: 'dLQ2tZEH6G0', article: 'https://en.wikipedia.org/wiki/Ratsat', wikipedia: 'https://en.wikipedia.org/wiki/Ratsat' }),
    static_fire_date_utc: '2008-09-20T00:00:00.000Z', static_fire_date_unix: 1221868800, net: false, window: 0, rocket: R.f1, success: true, failures: [],
    details: 'Ratsat was carried to orbit on the first successful orbital launch of any privately funded and developed, liquid-propelled carrier rocket, the SpaceX Falcon 1',
    crew: [], ships: [], capsules: [], payloads: ['5eb0e4b7b6c3bb0006eeb1e5'],
    launchpad: P.kwaj, flight_number: 4, name: 'RatSat', date_utc: '2008-09-28T23:15:00.000Z', date_unix: 1222643700, date_local: '2008-09-28T11:15:00+12:00', date_precision: 'hour', upcoming: false,
    cores: [core('5e9e289ef3591855dc3b2626')], auto_update: true, tbd: false, launch_library_id: null, id: L.ratsat,
  },
  {
    fairings: { reused: false, recovery_attempt: false, recovered: false, ships: [] },
    links: links({ patch: 'a7/ba/NBZSw3Ho', webcast: 'https://www.youtube.com/watch?v=yTaIDooc8Og', youtube: 'yTaIDooc8Og', article: 'http://www.spacex.com/news/2013/02/12/falcon-1-flight-5', wikipedia: 'https://en.wikipedia.org/wiki/RazakSAT' }),
    static_fire_date_utc: null, static_fire_date_unix: null, net: false, window: 0, rocket: R.f1, success: true, failures: [], details: null,
    crew: [], ships: [], capsules: [], payloads: ['5eb0e4b7b6c3bb0006eeb1e6'],
    launchpad: P.kwaj, flight_number: 5, name: 'RazakSat', date_utc: '2009-07-13T03:35:00.000Z', date_unix: 1247456100, date_local: '2009-07-13T15:35:00+12:00', date_precision: 'hour', upcoming: false,
    cores: [core('5e9e289ef359184f103b2627')], auto_update: true, tbd: false, launch_library_id: null, id: L.razaksat,
  },
  {
    fairings: null,
    links: links({ patch: '73/5b/NaWxhP5H', webcast: 'https://www.youtube.com/watch?v=nxSxgBKlYws', youtube: 'nxSxgBKlYws', article: 'http://www.spacex.com/news/2013/02/12/falcon-9-flight-1', wikipedia: 'https://en.wikipedia.org/wiki/Dragon_Spacecraft_Qualification_Unit' }),
    static_fire_date_utc: '2010-03-13T00:00:00.000Z', static_fire_date_unix: 1268438400, net: false, window: 0, rocket: R.f9, success: true, failures: [], details: null,
    crew: [], ships: [], capsules: [], payloads: ['5eb0e4b7b6c3bb0006eeb1e7'],
    launchpad: P.slc40, flight_number: 6, name: 'Falcon 9 Test Flight', date_utc: '2010-06-04T18:45:00.000Z', date_unix: 1275677100, date_local: '2010-06-04T14:45:00-04:00', date_precision: 'hour', upcoming: false,
    cores: [core('5e9e289ef35918187c3b2628', { landing_attempt: false })], auto_update: true, tbd: false, launch_library_id: null, id: L.f9test,
  },
  {
    fairings: { reused: false, recovery_attempt: false, recovered: false, ships: [] },
    links: links({ patch: 'f2/8d/NqaGFRK5', webcast: 'https://www.youtube.com/watch?v=wbSwFU6tY1c', youtube: 'wbSwFU6tY1c', article: 'https://spaceflightnow.com/2018/02/07/spacex-debuts-worlds-most-powerful-rocket-sends-tesla-toward-the-asteroid-belt/', wikipedia: 'https://en.wikipedia.org/wiki/Elon_Musk%27s_Tesla_Roadster' }),
    static_fire_date_utc: '2018-01-24T17:30:00.000Z', static_fire_date_unix: 1516815000, net: false, window: 9000, rocket: R.fh, success: true, failures: [],
    details: "The launch was a success, and the side boosters landed simultaneously at adjacent ground pads. Drone ship landing of the central core failed. Final burn to heliocentric Mars-Earth orbit was performed after the second stage and payload cruised for 6 hours through the Van Allen belts. The Tesla Roadster with a mannequin called Starman was the payload.",
    crew: [], ships: ['5ea6ed2e080df4000697c908'], capsules: [], payloads: ['5eb0e4d0b6c3bb0006eeb253'],
    launchpad: P.lc39a, flight_number: 55, name: 'Falcon Heavy Test Flight', date_utc: '2018-02-06T20:45:00.000Z', date_unix: 1517949900, date_local: '2018-02-06T15:45:00-05:00', date_precision: 'hour', upcoming: false,
    cores: [
      core('5e9e28a3f359187afd3b2660', { gridfins: true, legs: true, landing_attempt: true, landing_success: false, landing_type: 'ASDS', landpad: '5e9e3033383ecbb9e534e7cc' }),
      core('5e9e28a0f3591811593b2639', { flight: 2, gridfins: true, legs: true, reused: true, landing_attempt: true, landing_success: true, landing_type: 'RTLS', landpad: '5e9e3032383ecb267a34e7c7' }),
      core('5e9e289ef3591843b53b262e', { flight: 2, gridfins: true, legs: true, reused: true, landing_attempt: true, landing_success: true, landing_type: 'RTLS', landpad: '5e9e3032383ecb554034e7c9' }),
    ],
    auto_update: true, tbd: false, launch_library_id: null, id: L.fhtest,
  },
  {
    fairings: { reused: null, recovery_attempt: null, recovered: null, ships: [] },
    links: links(),
    static_fire_date_utc: null, static_fire_date_unix: null, net: false, window: null, rocket: R.ss, success: null, failures: [], details: null,
    crew: [], ships: [], capsules: [], payloads: [],
    launchpad: P.lc39a, flight_number: 206, name: 'Starship Flight (TBD)', date_utc: '2025-06-01T00:00:00.000Z', date_unix: 1748736000, date_local: '2025-05-31T20:00:00-04:00', date_precision: 'month', upcoming: true,
    cores: [core(null, { flight: null, gridfins: null, legs: null, reused: null, landing_attempt: null })], auto_update: true, tbd: true, launch_library_id: null, id: L.upcoming,
  },
];

const m = (meters: number | null, feet: number | null) => ({ meters, feet });
const kn = (kN: number, lbf: number) => ({ kN, lbf });
function rocket(o: Record<string, unknown>) {
  return { ...o };
}
const rockets = [
  rocket({
    height: m(22.25, 73), diameter: m(1.68, 5.5), mass: { kg: 30146, lb: 66460 },
    first_stage: { thrust_sea_level: kn(420, 94000), thrust_vacuum: kn(480, 110000), reusable: false, engines: 1, fuel_amount_tons: 44.3, burn_time_sec: 169 },
    second_stage: { thrust: kn(31, 7000), payloads: { composite_fairing: { height: m(3.5, 11.5), diameter: m(1.5, 4.9) }, option_1: 'composite fairing' }, reusable: false, engines: 1, fuel_amount_tons: 3.38, burn_time_sec: 378 },
    engines: { isp: { sea_level: 267, vacuum: 304 }, thrust_sea_level: kn(420, 94000), thrust_vacuum: kn(480, 110000), number: 1, type: 'merlin', version: '1C', layout: 'single', engine_loss_max: 0, propellant_1: 'liquid oxygen', propellant_2: 'RP-1 kerosene', thrust_to_weight: 96 },
    landing_legs: { number: 0, material: null },
    payload_weights: [{ id: 'leo', name: 'Low Earth Orbit', kg: 450, lb: 992 }],
    flickr_images: ['https://imgur.com/DaCfMsj.jpg', 'https://imgur.com/azYafd8.jpg'],
    name: 'Falcon 1', type: 'rocket', active: false, stages: 2, boosters: 0, cost_per_launch: 6700000, success_rate_pct: 40, first_flight: '2006-03-24', country: 'Republic of the Marshall Islands', company: 'SpaceX',
    wikipedia: 'https://en.wikipedia.org/wiki/Falcon_1',
    description: 'The Falcon 1 was an expendable launch system privately developed and manufactured by SpaceX during 2006-2009. On 28 September 2008, Falcon 1 became the first privately-developed liquid-fuel launch vehicle to go into orbit around the Earth.',
    id: R.f1,
  }),
  rocket({
    height: m(70, 229.6), diameter: m(3.7, 12), mass: { kg: 549054, lb: 1207920 },
    first_stage: { thrust_sea_level: kn(7607, 1710000), thrust_vacuum: kn(8227, 1849500), reusable: true, engines: 9, fuel_amount_tons: 385, burn_time_sec: 162 },
    second_stage: { thrust: kn(934, 210000), payloads: { composite_fairing: { height: m(13.1, 43), diameter: m(5.2, 17.1) }, option_1: 'dragon' }, reusable: false, engines: 1, fuel_amount_tons: 90, burn_time_sec: 397 },
    engines: { isp: { sea_level: 288, vacuum: 312 }, thrust_sea_level: kn(845, 190000), thrust_vacuum: kn(914, 205500), number: 9, type: 'merlin', version: '1D+', layout: 'octaweb', engine_loss_max: 2, propellant_1: 'liquid oxygen', propellant_2: 'RP-1 kerosene', thrust_to_weight: 180.1 },
    landing_legs: { number: 4, material: 'carbon fiber' },
    payload_weights: [{ id: 'leo', name: 'Low Earth Orbit', kg: 22800, lb: 50265 }, { id: 'gto', name: 'Geosynchronous Transfer Orbit', kg: 8300, lb: 18300 }, { id: 'mars', name: 'Mars Orbit', kg: 4020, lb: 8860 }],
    flickr_images: ['https://farm1.staticflickr.com/929/28787338307_3453a11a77_b.jpg'],
    name: 'Falcon 9', type: 'rocket', active: true, stages: 2, boosters: 0, cost_per_launch: 50000000, success_rate_pct: 98, first_flight: '2010-06-04', country: 'United States', company: 'SpaceX',
    wikipedia: 'https://en.wikipedia.org/wiki/Falcon_9',
    description: 'Falcon 9 is a two-stage rocket designed and manufactured by SpaceX for the reliable and safe transport of satellites and the Dragon spacecraft into orbit.',
    id: R.f9,
  }),
  rocket({
    height: m(70, 229.6), diameter: m(12.2, 39.9), mass: { kg: 1420788, lb: 3125735 },
    first_stage: { thrust_sea_level: kn(22819, 5130000), thrust_vacuum: kn(24681, 5548500), reusable: true, engines: 27, fuel_amount_tons: 1155, burn_time_sec: 162, cores: 3 },
    second_stage: { thrust: kn(934, 210000), payloads: { composite_fairing: { height: m(13.1, 43), diameter: m(5.2, 17.1) }, option_1: 'dragon' }, reusable: false, engines: 1, fuel_amount_tons: 90, burn_time_sec: 397 },
    engines: { isp: { sea_level: 288, vacuum: 312 }, thrust_sea_level: kn(845, 190000), thrust_vacuum: kn(914, 205500), number: 27, type: 'merlin', version: '1D+', layout: 'octaweb', engine_loss_max: 6, propellant_1: 'liquid oxygen', propellant_2: 'RP-1 kerosene', thrust_to_weight: 180.1 },
    landing_legs: { number: 12, material: 'carbon fiber' },
    payload_weights: [{ id: 'leo', name: 'Low Earth Orbit', kg: 63800, lb: 140660 }, { id: 'gto', name: 'Geosynchronous Transfer Orbit', kg: 26700, lb: 58860 }, { id: 'mars', name: 'Mars Orbit', kg: 16800, lb: 37040 }, { id: 'pluto', name: 'Pluto Orbit', kg: 3500, lb: 7720 }],
    flickr_images: ['https://farm5.staticflickr.com/4599/38583829295_581f34dd84_b.jpg'],
    name: 'Falcon Heavy', type: 'rocket', active: true, stages: 2, boosters: 2, cost_per_launch: 90000000, success_rate_pct: 100, first_flight: '2018-02-06', country: 'United States', company: 'SpaceX',
    wikipedia: 'https://en.wikipedia.org/wiki/Falcon_Heavy',
    description: 'With the ability to lift into orbit over 54 metric tons (119,000 lb)--a mass equivalent to a 737 jetliner loaded with passengers, crew, luggage and fuel--Falcon Heavy can lift more than twice the payload of the next closest operational vehicle, the Delta IV Heavy, at one-third the cost.',
    id: R.fh,
  }),
  rocket({
    height: m(118, 387), diameter: m(9, 30), mass: { kg: 1335000, lb: 2943000 },
    first_stage: { thrust_sea_level: kn(128000, 28775544), thrust_vacuum: kn(138000, 31023634), reusable: true, engines: 37, fuel_amount_tons: 3300, burn_time_sec: null },
    second_stage: { thrust: kn(1957, 440000), payloads: { composite_fairing: { height: m(null, null), diameter: m(null, null) }, option_1: 'Spaceship' }, reusable: true, engines: 6, fuel_amount_tons: 1200, burn_time_sec: null },
    engines: { isp: { sea_level: 330, vacuum: 380 }, thrust_sea_level: kn(1780, 400000), thrust_vacuum: kn(1960, 440000), number: 37, type: 'raptor', version: '', layout: null, engine_loss_max: null, propellant_1: 'liquid oxygen', propellant_2: 'liquid methane', thrust_to_weight: 107 },
    landing_legs: { number: 6, material: 'stainless steel' },
    payload_weights: [{ id: 'leo', name: 'Low Earth Orbit', kg: 150000, lb: 330000 }, { id: 'mars', name: 'Mars Orbit', kg: 100000, lb: 220000 }, { id: 'moon', name: 'Moon Orbit', kg: 100000, lb: 220000 }],
    flickr_images: ['https://live.staticflickr.com/65535/48954138962_ee541e6755_b.jpg'],
    name: 'Starship', type: 'rocket', active: false, stages: 2, boosters: 0, cost_per_launch: 7000000, success_rate_pct: 0, first_flight: '2021-12-01', country: 'United States', company: 'SpaceX',
    wikipedia: 'https://en.wikipedia.org/wiki/SpaceX_Starship',
    description: 'Starship and Super Heavy Rocket represent a fully reusable transportation system designed to service all Earth orbit needs as well as the Moon and Mars. This two-stage vehicle — composed of the Super Heavy rocket (booster) and Starship (ship) — will eventually replace Falcon 9, Falcon Heavy and Dragon.',
    id: R.ss,
  }),
];

function pad(o: Record<string, unknown>) {
  return { images: { large: [] }, ...o };
}
const launchpads = [
  pad({ name: 'VAFB SLC 3W', full_name: 'Vandenberg Space Force Base Space Launch Complex 3W', locality: 'Vandenberg Space Force Base', region: 'California', latitude: 34.6440904, longitude: -120.5931438, launch_attempts: 0, launch_successes: 0, rockets: [R.f1], timezone: 'America/Los_Angeles', launches: [], status: 'retired', details: "SpaceX's original west coast launch pad for Falcon 1. It was used in a static fire test but was never employed for a launch, and was abandoned due to range scheduling conflicts arising from overflying other active pads.", id: P.slc3w }),
  pad({ name: 'CCSFS SLC 40', full_name: 'Cape Canaveral Space Force Station Space Launch Complex 40', locality: 'Cape Canaveral', region: 'Florida', latitude: 28.5618571, longitude: -80.577366, launch_attempts: 99, launch_successes: 97, rockets: [R.f9], timezone: 'America/New_York', launches: [L.f9test], status: 'active', details: "SpaceX's primary Falcon 9 pad, where all east coast Falcon 9s launched prior to the AMOS-6 anomaly. Previously used alongside SLC-41 to launch Titan rockets for the US Air Force, the pad was heavily damaged by the AMOS-6 anomaly in September 2016. It returned to flight with CRS-13 on December 15, 2017, boasting an upgraded throwing capacity.", id: P.slc40 }),
  pad({ name: 'STLS', full_name: 'SpaceX South Texas Launch Site', locality: 'Boca Chica Village', region: 'Texas', latitude: 25.9972641, longitude: -97.1560845, launch_attempts: 0, launch_successes: 0, rockets: [R.ss], timezone: 'America/Chicago', launches: [], status: 'under construction', details: 'SpaceX’s new private launch site currently under construction on Boca Chica Beach in Texas. It is not yet used for orbital launches.', id: P.stls }),
  pad({ name: 'Kwajalein Atoll', full_name: 'Kwajalein Atoll Omelek Island', locality: 'Omelek Island', region: 'Marshall Islands', latitude: 9.0477206, longitude: 167.7431292, launch_attempts: 5, launch_successes: 2, rockets: [R.f1], timezone: 'Pacific/Kwajalein', launches: [L.falconsat, L.demosat, L.trailblazer, L.ratsat, L.razaksat], status: 'retired', details: "SpaceX's original pad, where all of the Falcon 1 flights occurred (from 2006 to 2009). It would have also been the launch site of the Falcon 1e and the Falcon 9 before a new launch site was needed due to limited capacity.", id: P.kwaj }),
  pad({ name: 'VAFB SLC 4E', full_name: 'Vandenberg Space Force Base Space Launch Complex 4E', locality: 'Vandenberg Space Force Base', region: 'California', latitude: 34.632093, longitude: -120.610829, launch_attempts: 15, launch_successes: 15, rockets: [R.f9], timezone: 'America/Los_Angeles', launches: [], status: 'active', details: "SpaceX's primary west coast launch pad for polar orbits and sun-synchronous orbits, primarily used for Iridium NEXT and scientific satellites.", id: P.slc4e }),
  pad({ name: 'KSC LC 39A', full_name: 'Kennedy Space Center Historic Launch Complex 39A', locality: 'Cape Canaveral', region: 'Florida', latitude: 28.6080585, longitude: -80.6039558, launch_attempts: 55, launch_successes: 54, rockets: [R.f9, R.fh, R.ss], timezone: 'America/New_York', launches: [L.fhtest, L.upcoming], status: 'active', details: 'NASA historic launch pad that launched most of the Saturn V and Space Shuttle missions. Initially for Falcon Heavy launches, it is now launching all of SpaceX east coast crewed and cargo missions.', id: P.lc39a }),
];

reset('spacex');
cassette('spacex', BASE, { path: '/v4/launches' }, { headers: HEADERS, body: compact(launches) });
cassette('spacex', BASE, { path: '/v4/rockets' }, { headers: HEADERS, body: compact(rockets) });
cassette('spacex', BASE, { path: '/v4/launchpads' }, { headers: HEADERS, body: compact(launchpads) });
