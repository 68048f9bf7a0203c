import { isAbsolute, resolve } from 'node:path';
import type { VaultlineConfig } from '../../config/schema.ts';
import type { Diagnostic } from '../../shared/diagnostics.ts';
import type { UsageError } from '../../shared/errors.ts';
import { commonOptions } from './common-options.ts';
import { type OptionValues, type Origin, resolveOptions } from './options.ts';
import { connectorSettings } from './settings.ts';
import type { Connector } from './types.ts';
import { normalizeBaseUrl } from './url.ts';
import { requireContact, userAgent } from './user-agent.ts';

export type TransportMode =
  | { kind: 'live' }
  | { kind: 'record'; dir: string }
  | { kind: 'replay'; dir: string };

/** Everything needed to run one source, checked before any request is made. */
export interface PreparedJob {
  connector: Connector<unknown>;
  options: unknown;
  values: OptionValues;
  baseUrl: string;
  mode: TransportMode;
  timeoutMs: number;
  maxAttempts: number;
  requestsPerSecond: number;
  userAgent: string;
  headers: Record<string, string>;
  enabled: boolean;
  /** Landed bodies that are not valid JSON tolerated (with a warning) before the run exits 1. */
  maxInvalidBodies: number;
}

export interface PrepareInput {
  config?: VaultlineConfig;
  /** CLI flag values by option key (`per_page`, `base_url`). */
  flags: Record<string, unknown>;
  env: Record<string, string | undefined>;
  /** Folder flag paths are relative to; config paths are relative to the project folder. */
  cwd: string;
}

export interface Preparation {
  job?: PreparedJob;
  /** Flag, variable and value problems: each names where the value came from. */
  problems: string[];
  /** Unknown keys under `connectors.<source>`, with file:line. */
  diagnostics: Diagnostic[];
}

const RANK: Record<Origin, number> = { flag: 3, env: 2, config: 1, default: 0 };

/**
 * Resolves a source's options (flag > environment > vaultline.yml > default), picks live, record or
 * replay, and checks credentials — all before a single request, so a usage problem exits 2 having
 * called nothing. Replay needs no API key and no contact: it calls nobody.
 */
export function prepareJob(connector: Connector<unknown>, input: PrepareInput): Preparation {
  const settings = connectorSettings(input.config, connector.name);
  const common = commonOptions(connector);
  const diagnostics = settings.diagnostics([...common, ...connector.options]);
  const base = { flags: input.flags, env: input.env, config: settings.values, configLabel: settings.label };
  const shared = resolveOptions(common, { ...base, live: true });
  const tag = (problem: string) => `${connector.name}: ${problem}`;
  const problems = shared.problems.map(tag);

  const pathOf = (key: string): string | undefined => {
    const value = shared.values.optionalString(key);
    if (value === undefined) return undefined;
    const from =
      shared.values.origins.get(key) === 'config' ? (input.config?.projectDir ?? input.cwd) : input.cwd;
    return isAbsolute(value) ? value : resolve(from, value);
  };
  const replay = pathOf('replay');
  const record = pathOf('record');
  let mode: TransportMode = { kind: 'live' };
  if (replay && record) {
    const replayRank = RANK[shared.values.origins.get('replay') ?? 'default'];
    const recordRank = RANK[shared.values.origins.get('record') ?? 'default'];
    if (replayRank === recordRank)
      problems.push(`${connector.name}: --record and --replay cannot be used together`);
    else mode = replayRank > recordRank ? { kind: 'replay', dir: replay } : { kind: 'record', dir: record };
  } else if (replay) mode = { kind: 'replay', dir: replay };
  else if (record) mode = { kind: 'record', dir: record };
  const live = mode.kind !== 'replay';
  if (mode.kind === 'replay' && shared.values.origins.get('base_url') === 'flag') {
    const from = shared.values.origins.get('replay') === 'config' ? settings.label('replay') : '--replay';
    // Replay answers from cassettes whatever the URL: a base URL given with it would be ignored,
    // and a user who typed it expects that server to be called.
    problems.push(
      `${connector.name}: --base-url cannot be used with replay (${from}): cassettes answer every request, no server is called; drop --base-url (or stop replaying to call that server)`,
    );
  }

  const own = resolveOptions(connector.options, { ...base, live });
  problems.push(...own.problems.map(tag));
  let options: unknown;
  if (own.problems.length === 0) {
    const parsed = connector.parseOptions(own.values);
    options = parsed.options;
    problems.push(...parsed.problems.map(tag));
  }
  if (live && connector.requiresContact) {
    try {
      requireContact(connector.name, input.env);
    } catch (error) {
      problems.push((error as UsageError).message);
    }
  }
  if (problems.length > 0 || diagnostics.length > 0) return { problems, diagnostics };
  return {
    problems,
    diagnostics,
    job: {
      connector,
      options,
      values: own.values,
      baseUrl: normalizeBaseUrl(shared.values.string('base_url')),
      mode,
      timeoutMs: shared.values.number('timeout_ms'),
      maxAttempts: shared.values.number('max_attempts'),
      requestsPerSecond: shared.values.number('rate_limit'),
      userAgent: userAgent(input.env),
      headers: connector.headers?.(options) ?? {},
      enabled: shared.values.boolean('enabled'),
      maxInvalidBodies: shared.values.number('max_invalid_bodies'),
    },
  };
}
