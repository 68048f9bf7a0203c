import { connector as github } from './github/connector.ts';
import { connector as openaq } from './openaq/connector.ts';
import type { Connector } from './sdk/types.ts';
import { connector as spacex } from './spacex/connector.ts';
import { connector as usgs } from './usgs/connector.ts';
import { connector as weather } from './weather/connector.ts';
import { connector as wikimedia } from './wikimedia/connector.ts';
import { connector as worldbank } from './worldbank/connector.ts';

/** Every built-in source, in the order `extract --help` and `extract --all` list them. */
export const CONNECTORS: readonly Connector<unknown>[] = [
  worldbank,
  weather,
  wikimedia,
  github,
  openaq,
  usgs,
  spacex,
];

export function findConnector(name: string): Connector<unknown> | undefined {
  return CONNECTORS.find((connector) => connector.name === name);
}

export const SOURCE_NAMES: readonly string[] = CONNECTORS.map((connector) => connector.name);
