/**
 * The benchmark's project folder, as a user would write it: vaultline.yml (local landing store, DuckDB
 * warehouse, both defaults), a typed USGS source in models/_sources.yml and one staging model that
 * selects everything from it — so that a build measures exactly what `vaultline build` does.
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

export type Materialized = 'table' | 'incremental';

/** Writes the project into `dir` (created); the landing store and the warehouse go under .vaultline/. */
export function writeProject(dir: string, materialized: Materialized): void {
  mkdirSync(join(dir, 'models'), { recursive: true });
  writeFileSync(join(dir, 'vaultline.yml'), 'name: bench_json\n');
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
