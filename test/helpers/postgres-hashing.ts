/**
 * Plain pg.Client access for the hashing suites, which set the session (settings a vaultline session
 * never uses, locales) themselves: a throwaway database per use on the server `npm test` starts
 * (VAULTLINE_TEST_POSTGRES_URL), with the hashing functions installed, connected with the settings
 * every vaultline session sets.
 */
import pg from 'pg';
import { hashingSetupStatements } from '../../src/engine/postgres/hashing.ts';
import { SESSION_SETTINGS } from '../../src/engine/postgres/pool.ts';
import { postgresAdmin, postgresUrl } from './engines.ts';

export { SESSION_SETTINGS };

/**
 * Settings no vaultline session uses, each of which changes some ::text rendering (or literal
 * parsing): hashing SQL must give the same bytes under them.
 */
export const HOSTILE_SETTINGS = [
  `SET TIME ZONE 'Asia/Kathmandu'`,
  'SET extra_float_digits = 0',
  `SET datestyle = 'SQL, DMY'`,
  `SET intervalstyle = 'sql_standard'`,
  'SET standard_conforming_strings = off',
  'SET escape_string_warning = off',
];

export interface PgDatabase {
  name: string;
  client: pg.Client;
  query<T extends Record<string, unknown>>(sql: string): Promise<T[]>;
  drop(): Promise<void>;
}

let created = 0;

/**
 * A new database (`options` after CREATE DATABASE … TEMPLATE template0, e.g. a locale), connected with
 * SESSION_SETTINGS; unless `setup` is false, hashingSetupStatements() are run in one transaction.
 */
export async function createPgDatabase(options = `ENCODING 'UTF8'`, setup = true): Promise<PgDatabase> {
  created += 1;
  const name = `vl_hash_${process.pid}_${created}_${Date.now().toString(36)}`;
  await postgresAdmin(`CREATE DATABASE "${name}" TEMPLATE template0 ${options}`);
  const url = new URL(postgresUrl());
  url.pathname = `/${name}`;
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  // A notice (an escape_string_warning, say) must not reach the test output as an error.
  client.on('notice', () => {});
  for (const sql of SESSION_SETTINGS) await client.query(sql);
  if (setup) {
    await client.query('BEGIN');
    for (const sql of hashingSetupStatements()) await client.query(sql);
    await client.query('COMMIT');
  }
  return {
    name,
    client,
    query: async <T extends Record<string, unknown>>(sql: string) => (await client.query<T>(sql)).rows,
    drop: async () => {
      await client.end();
      await postgresAdmin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    },
  };
}
