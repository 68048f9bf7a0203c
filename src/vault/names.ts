/**
 * Vault naming: derived column names, the metadata schema and its tables, ghost record values. One
 * place, so SQL generation, tests and docs agree.
 */
import type { Dialect } from '../engine/dialect.ts';
import { fitIdentifier } from '../engine/identifiers.ts';
import type { Relation } from './types.ts';

export const COL = {
  loadTs: 'load_ts',
  recordSource: 'record_source',
  hashdiff: 'hashdiff',
  /** Order of several rows of one key sharing a load_ts (0 for the usual single row). */
  loadSeq: 'load_seq',
  isDeleted: 'is_deleted',
  startTs: 'start_ts',
  endTs: 'end_ts',
  asOf: 'as_of_ts',
  /** Standard satellites with `effective_from:`: the source's own version timestamp. */
  effectiveFrom: 'effective_from',
} as const;

/** Staging column naming the landed object a row came from (the vault's incremental boundary). */
export const STAGING_LANDING_KEY = '_landing_key';

/** Staging columns carrying each row's load timestamp and record source, in order of preference. */
export const STAGING_LOAD_TS = ['load_ts', '_load_ts'] as const;
export const STAGING_RECORD_SOURCE = ['record_source', '_record_source'] as const;

export const META_SCHEMA = 'vaultline_meta';
export const LOAD_STATE_TABLE = 'vault_load_state';
export const LOAD_LOG_TABLE = 'vault_load_log';
export const HASHING_TABLE = 'vault_hashing';
export const READ_KEYS_TABLE = 'vault_read_keys';
export const CHANGES_TABLE = 'vault_changes';

export const GHOST_RECORD_SOURCE = 'vaultline.ghost';
export const GHOST_LOAD_TS = '0001-01-01 00:00:00';
/** end_ts of an effectivity row that is still open. */
export const END_OF_TIME = '9999-12-31 00:00:00';

/** `hk_<hub>`: hub_country → hk_country (a leading `hub_` is dropped). */
export function hubHashKey(hub: string): string {
  return `hk_${hub.replace(/^hub_/, '')}`;
}

/** `hk_<link>`: link_country_indicator → hk_country_indicator (a leading `link_` is dropped). */
export function linkHashKey(link: string): string {
  return `hk_${link.replace(/^link_/, '')}`;
}

/**
 * The per-key current-state table of a satellite (latest hashdiff per key), beside the load audit;
 * fitted to the engine's identifier length (two long satellite names must not share one).
 */
export function currentStateRelation(
  dialect: Pick<Dialect, 'maxIdentifierLength'>,
  target: Relation,
  metaSchema = META_SCHEMA,
): Relation {
  return {
    schema: metaSchema,
    name: fitIdentifier(dialect, `vault_current__${target.schema}__${target.name}`),
  };
}

/** The key under which load state, audit and hashing are recorded for an entity. */
export function entityKey(target: Relation): string {
  return `${target.schema}.${target.name}`;
}
