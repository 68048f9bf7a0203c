/**
 * The benchmark's project folder, as a user would write it: vaultline.yml (local landing store and
 * DuckDB warehouse, both defaults — or a `warehouse:` block for PostgreSQL), a typed USGS source in
 * models/_sources.yml and one staging model that selects everything from it — so that a build
 * measures exactly what `vaultline build` does.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const SOURCE = { source: 'usgs', resource: 'earthquakes' } as const;
export const MODEL = 'stg_usgs__earthquakes';

/** The declared contract: 13 typed columns (the metadata columns and `_record` come with every source). */
export const SOURCES_YML = `version: 2
sources:
  - name: usgs
    tables:
      - name: earthquakes
        records: "$.features[*]"
        columns:
          - {name: id, data_type: text}
          - {name: mag, path: properties.mag, data_type: double}
          - {name: place, path: properties.place, data_type: text}
          - {name: event_time, path: properties.time, data_type: timestamp, format: epoch_ms}
          - {name: updated_at, path: properties.updated, data_type: timestamp, format: epoch_ms}
          - {name: felt, path: properties.felt, data_type: integer}
          - {name: tsunami, path: properties.tsunami, data_type: integer}
          - {name: sig, path: properties.sig, data_type: integer}
          - {name: status, path: properties.status, data_type: text}
          - {name: mag_type, path: properties.magType, data_type: text}
          - {name: longitude, path: "geometry.coordinates[0]", data_type: double}
          - {name: latitude, path: "geometry.coordinates[1]", data_type: double}
          - {name: depth_km, path: "geometry.coordinates[2]", data_type: double}
`;

/** The same 13 columns for DuckDB's read_json (the floor): the JSON shape, then the select list. */
export const FLOOR_COLUMNS =
  "{id: 'VARCHAR', properties: 'STRUCT(mag DOUBLE, place VARCHAR, \"time\" BIGINT, updated BIGINT, felt INTEGER, " +
  "tsunami INTEGER, sig INTEGER, status VARCHAR, magType VARCHAR)', geometry: 'STRUCT(coordinates DOUBLE[])'}";
export const FLOOR_SELECT = [
  'id',
  'properties.mag AS mag',
  'properties.place AS place',
  'epoch_ms(properties."time") AS event_time',
  'epoch_ms(properties.updated) AS updated_at',
  'properties.felt AS felt',
  'properties.tsunami AS tsunami',
  'properties.sig AS sig',
  'properties.status AS status',
  'properties.magType AS mag_type',
  'geometry.coordinates[1] AS longitude',
  'geometry.coordinates[2] AS latitude',
  'geometry.coordinates[3] AS depth_km',
].join(', ');

/**
 * The floor on PostgreSQL: the NDJSON lines COPYed into one `jsonb` column (parsed once, by the
 * server), then the same 13 typed columns extracted with SQL. Epoch milliseconds become a timestamp
 * exactly (an interval of milliseconds, no floating point).
 */
export const FLOOR_PG_RAW = 'vl_floor_raw';
export const FLOOR_PG_TABLE = 'vl_floor';
const ms = (path: string) => `TIMESTAMP '1970-01-01 00:00:00' + (${path})::bigint * INTERVAL '1 millisecond'`;
export const FLOOR_PG_SELECT = [
  "doc->>'id' AS id",
  "(doc->'properties'->>'mag')::double precision AS mag",
  "doc->'properties'->>'place' AS place",
  `${ms("doc->'properties'->>'time'")} AS event_time`,
  `${ms("doc->'properties'->>'updated'")} AS updated_at`,
  "(doc->'properties'->>'felt')::integer AS felt",
  "(doc->'properties'->>'tsunami')::integer AS tsunami",
  "(doc->'properties'->>'sig')::integer AS sig",
  "doc->'properties'->>'status' AS status",
  "doc->'properties'->>'magType' AS mag_type",
  "(doc->'geometry'->'coordinates'->>0)::double precision AS longitude",
  "(doc->'geometry'->'coordinates'->>1)::double precision AS latitude",
  "(doc->'geometry'->'coordinates'->>2)::double precision AS depth_km",
].join(', ');

/** The 13 typed columns' names (what the model and the floor are compared on). */
export const TYPED_COLUMNS = FLOOR_SELECT.split(', ')
  .map((c) => c.split(' AS ').pop()!)
  .join(', ');

export type Materialized = 'table' | 'incremental';

/**
 * Writes the project into `dir` (created); the landing store (and a DuckDB warehouse) go under
 * .vaultline/. `warehouseYaml`: a `warehouse:` block (PostgreSQL), else DuckDB's default.
 */
export function writeProject(dir: string, materialized: Materialized, warehouseYaml = ''): void {
  mkdirSync(join(dir, 'models'), { recursive: true });
  writeFileSync(join(dir, 'vaultline.yml'), `name: bench_json\n${warehouseYaml}`);
  writeFileSync(join(dir, 'models/_sources.yml'), SOURCES_YML);
  writeFileSync(
    join(dir, `models/${MODEL}.sql`),
    `{{ config(materialized='${materialized}') }}\nselect * from {{ source('usgs', 'earthquakes') }}\n`,
  );
}

export const warehouseFiles = (dir: string) => {
  const file = join(dir, '.vaultline/warehouse.duckdb');
  return [file, `${file}.wal`];
};
