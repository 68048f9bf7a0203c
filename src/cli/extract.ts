import { randomUUID } from 'node:crypto';
import type { Command } from 'commander';
import type { VaultlineConfig } from '../config/schema.ts';
import { CONNECTORS, findConnector, SOURCE_NAMES } from '../connectors/registry.ts';
import { commonOptions } from '../connectors/sdk/common-options.ts';
import type { OptionSpec } from '../connectors/sdk/options.ts';
import { type PreparedJob, prepareJob } from '../connectors/sdk/prepare.ts';
import { type SourceReport, skippedBodies, summarize, totals, verdict } from '../connectors/sdk/report.ts';
import { checkJob, type RunDeps, runJob } from '../connectors/sdk/run.ts';
import { unknownSourceDiagnostics } from '../connectors/sdk/settings.ts';
import type { Connector } from '../connectors/sdk/types.ts';
import { openLandingStore } from '../landing/open-store.ts';
import { type Diagnostic, formatDiagnostic } from '../shared/diagnostics.ts';
import { didYouMean } from '../shared/did-you-mean.ts';
import { UsageError, VaultlineError } from '../shared/errors.ts';
import { log } from '../shared/logger.ts';
import type { CliContext } from './context.ts';
import { formatBytes, renderTable } from './table.ts';
import type { ContextProvider } from './verbs.ts';

/** Flags `extract --all` passes to every source (source-specific flags go on `extract <source>`). */
const SHARED_FLAGS = new Set(['replay', 'record', 'timeout-ms', 'max-attempts', 'rate-limit']);

/**
 * `vaultline extract <source> [flags]` and `vaultline extract --all`: call the APIs (or replay
 * cassettes) and land every response byte-exact. Progress, notes and warnings go to stderr; the landed
 * keys (one source) or a summary table (--all) to stdout. Exit 1 when a request failed, or when more
 * landed bodies are not valid JSON than `max_invalid_bodies` allows (what landed stays either way);
 * "no data" answers are notes, never failures. Exit 2 for usage problems (then nothing was requested).
 */
export function registerExtract(program: Command, context: ContextProvider): void {
  const extract = program
    .command('extract')
    .description(
      `call a source's API and land every response byte-exact (${SOURCE_NAMES.join(', ')}, or --all)`,
    )
    .argument('[source]', 'source name (or use a subcommand: `vaultline extract worldbank --help`)')
    .option('--all', 'run every source configured under `connectors:` in vaultline.yml')
    .option('--check', 'run the connection test only: one request per source, nothing landed');
  const shared = commonOptions({ name: '<source>', defaultBaseUrl: 'the real service', requestsPerSecond: 0 })
    .filter((spec) => spec.flag && SHARED_FLAGS.has(spec.flag))
    .map((spec) =>
      spec.key === 'rate_limit'
        ? {
            ...spec,
            default: undefined,
            description: "requests per second at most (0: no limit; default: each source's own)",
          }
        : spec,
    );
  for (const spec of shared) addFlag(extract, spec);
  extract.action(async (source: string | undefined, flags: Record<string, unknown>) => {
    if (source !== undefined) {
      const near = didYouMean(source, SOURCE_NAMES);
      throw new UsageError(
        `unknown source "${source}"${near ? ` (did you mean "${near}"?)` : ''}; sources: ${SOURCE_NAMES.join(', ')}`,
      );
    }
    if (!flags.all) throw new UsageError(`name a source (${SOURCE_NAMES.join(', ')}) or pass --all`);
    const ctx = context();
    const config = ctx.loadConfig();
    await runExtract(ctx, config, configuredJobs(ctx, config, flagValues(shared, flags)), {
      all: true,
      check: flags.check === true,
    });
  });

  for (const connector of CONNECTORS) {
    const sub = extract.command(connector.name).description(connector.title);
    const specs = [...commonOptions(connector), ...connector.options];
    for (const spec of specs) if (spec.flag) addFlag(sub, spec);
    sub.option('--check', 'run the connection test only: one request, nothing landed');
    sub.action(async (flags: Record<string, unknown>) => {
      const ctx = context();
      const config = ctx.loadConfig();
      const merged = { ...flagValues(shared, extract.opts()), ...flagValues(specs, flags) };
      const jobs = prepareAll(ctx, config, [connector], merged);
      await runExtract(ctx, config, jobs, {
        all: false,
        check: flags.check === true || extract.opts().check === true,
      });
    });
  }
}

function addFlag(command: Command, spec: OptionSpec): void {
  const placeholder = spec.placeholder ?? '<value>';
  const shownDefault =
    spec.default !== undefined && !/default/.test(spec.description) && !spec.secret
      ? ` (default: ${Array.isArray(spec.default) ? spec.default.join(',') : String(spec.default)})`
      : '';
  const env = spec.env ? ` [env ${spec.env}]` : '';
  const add = (flag: string, description: string) => {
    if (spec.type === 'boolean') command.option(`--${flag}`, description);
    else if (spec.type === 'strings') {
      command.option(`--${flag} ${placeholder}`, description, (value: string, previous?: string[]) => [
        ...(previous ?? []),
        value,
      ]);
    } else command.option(`--${flag} ${placeholder}`, description);
  };
  add(spec.flag!, `${spec.description}${shownDefault}${env}`);
  for (const alias of spec.flagAliases ?? []) add(alias, `the same as --${spec.flag}`);
}

/** Commander's camelCase option values → option keys (`--per-page` → `per_page`, `--indicator` → `indicators`). */
function flagValues(specs: readonly OptionSpec[], values: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const camel = (flag: string) => flag.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
  for (const spec of specs) {
    if (!spec.flag) continue;
    const value = [spec.flag, ...(spec.flagAliases ?? [])]
      .map((flag) => values[camel(flag)])
      .find((v) => v !== undefined);
    if (value !== undefined) out[spec.key] = value;
  }
  return out;
}

function prepareAll(
  ctx: CliContext,
  config: VaultlineConfig,
  connectors: readonly Connector<unknown>[],
  flags: Record<string, unknown>,
  extraDiagnostics: Diagnostic[] = [],
): PreparedJob[] {
  const problems: string[] = [];
  const diagnostics = [...extraDiagnostics];
  const jobs: PreparedJob[] = [];
  for (const connector of connectors) {
    const prepared = prepareJob(connector, { config, flags, env: process.env, cwd: ctx.cwd });
    problems.push(...prepared.problems);
    diagnostics.push(...prepared.diagnostics);
    if (prepared.job) jobs.push(prepared.job);
  }
  if (problems.length > 0 || diagnostics.length > 0) {
    const lines = [...diagnostics.map(formatDiagnostic), ...problems];
    throw new UsageError(
      lines.length === 1
        ? `${lines[0]} (nothing was requested)`
        : `nothing was requested:\n${lines.map((l) => `  ${l}`).join('\n')}`,
    );
  }
  return jobs;
}

function configuredJobs(
  ctx: CliContext,
  config: VaultlineConfig,
  flags: Record<string, unknown>,
): PreparedJob[] {
  const names = Object.keys(config.connectors ?? {});
  if (names.length === 0) {
    throw new UsageError(
      `${config.configFile} configures no sources: add a \`connectors:\` section, e.g.\n` +
        'connectors:\n  usgs:\n    feeds: [all_day]\n(or run one source: vaultline extract usgs --feed all_day)',
    );
  }
  const unknown = unknownSourceDiagnostics(config, SOURCE_NAMES);
  const connectors = names.map(findConnector).filter((c): c is Connector<unknown> => c !== undefined);
  const jobs = prepareAll(ctx, config, connectors, flags, unknown);
  for (const job of jobs)
    if (!job.enabled) log().info(`${job.connector.name}: skipped (enabled: false in ${config.configFile})`);
  return jobs.filter((job) => job.enabled);
}

async function runExtract(
  ctx: CliContext,
  config: VaultlineConfig,
  jobs: PreparedJob[],
  how: { all: boolean; check: boolean },
): Promise<void> {
  const runId = randomUUID();
  const store = openLandingStore(config);
  const deps: RunDeps = {
    store,
    runId,
    events: {
      landed: (source, object) =>
        log().debug(
          `${source}: landed ${object.key} (HTTP ${object.status}, ${object.bytes} bytes, ${object.records ?? '?'} records)`,
        ),
      warning: (message) => log().warn(message),
      note: (message) => log().info(message),
      failure: (message) => log().error(message),
      retry: (message) => log().warn(message),
    },
  };
  if (how.check) return runChecks(ctx, jobs, deps);

  const reports: SourceReport[] = [];
  for (const job of jobs) {
    // A cancelled run (server stopping, timeout) stops between sources: what landed stays landed.
    if (ctx.signal?.aborted)
      throw new VaultlineError(
        `extract cancelled before ${job.connector.name}; ${reports.length} source(s) done, their objects stay in ${store.location}`,
      );
    const via = job.mode.kind === 'live' ? job.baseUrl : `${job.mode.kind} ${job.mode.dir}`;
    log().info(`${job.connector.name}: extracting from ${via}`);
    const report = await runJob(job, deps);
    reports.push(report);
    const row = summarize(report);
    log().info(
      `${job.connector.name}: ${row.objects} object(s), ${row.records} record(s), ${formatBytes(row.bytes)} landed` +
        (row.no_data ? `, ${row.no_data} with no data` : '') +
        (row.invalid_json ? `, ${row.invalid_json} not valid JSON` : '') +
        (row.failures ? `, ${row.failures} failure(s)` : ''),
    );
    if (verdict(report).invalidTolerated) {
      log().warn(
        `${job.connector.name}: ${invalidLine(report)}, tolerated (max_invalid_bodies: ${report.max_invalid_bodies}); builds will skip:\n` +
          skippedLines(report),
      );
    }
  }
  const rows = reports.map(summarize);
  const total = totals(rows);
  const skipped = reports.flatMap((r) => skippedBodies(r).map((b) => ({ source: r.source, ...b })));
  ctx.result(
    () =>
      how.all
        ? summaryTable(rows, total, store.location, runId)
        : reports.flatMap((r) => r.objects.map((o) => o.key)).join('\n'),
    { run_id: runId, landing: store.location, summary: [...rows, total], skipped, sources: reports },
  );
  const problems: string[] = [];
  for (const report of reports) {
    if (!verdict(report).failed) continue;
    for (const f of report.failures) problems.push(`  ${report.source} ${f.unit}: ${f.message}`);
    const invalid = report.objects.filter((o) => !o.valid_json).length;
    if (invalid > report.max_invalid_bodies) {
      problems.push(
        `  ${report.source}: ${invalidLine(report)}, more than max_invalid_bodies allows (${report.max_invalid_bodies}; connectors.${report.source}.max_invalid_bodies in ${config.configFile})`,
      );
    }
    const bodies = skippedBodies(report);
    if (bodies.length > 0)
      problems.push(
        `  ${report.source}: builds will skip ${bodies.length} landed body(ies):\n${skippedLines(report)}`,
      );
  }
  if (problems.length > 0) {
    const failed = reports.filter((r) => verdict(r).failed).map((r) => r.source);
    const counts = [
      total.failures > 0 ? `${total.failures} request(s) failed` : undefined,
      total.skipped > 0 ? `${total.skipped} landed body(ies) will be skipped by builds` : undefined,
    ].filter(Boolean);
    throw new VaultlineError(
      `extract failed for ${failed.join(', ')} (${counts.join(', ')}); ` +
        (total.objects > 0
          ? `the ${total.objects} object(s) landed stay in ${store.location}:\n`
          : 'nothing was landed:\n') +
        problems.join('\n'),
    );
  }
}

function invalidLine(report: SourceReport): string {
  const invalid = report.objects.filter((o) => !o.valid_json).length;
  return `${invalid} landed body(ies) not valid JSON`;
}

function skippedLines(report: SourceReport): string {
  return skippedBodies(report)
    .map((b) => `    ${b.key}: ${b.reason}`)
    .join('\n');
}

function summaryTable(
  rows: ReturnType<typeof summarize>[],
  total: ReturnType<typeof totals>,
  location: string,
  runId: string,
): string {
  const line = (r: ReturnType<typeof summarize>) => [
    r.source,
    r.objects,
    r.records,
    r.bytes,
    r.no_data,
    r.invalid_json,
    r.skipped,
    r.failures,
  ];
  const table = renderTable(
    ['source', 'objects', 'records', 'bytes', 'no_data', 'invalid_json', 'skipped', 'failures'],
    [...rows.map(line), line(total)],
  );
  return `${table}\nlanded in ${location} (run ${runId})`;
}

async function runChecks(ctx: CliContext, jobs: PreparedJob[], deps: RunDeps): Promise<void> {
  const results: { source: string; ok: boolean; message: string }[] = [];
  for (const job of jobs) results.push({ source: job.connector.name, ...(await checkJob(job, deps)) });
  ctx.result(
    () => results.map((r) => `${r.source}: ${r.ok ? 'ok' : 'FAILED'}: ${r.message}`).join('\n'),
    results,
  );
  const failed = results.filter((r) => !r.ok);
  if (failed.length > 0)
    throw new VaultlineError(`connection test failed for ${failed.map((r) => r.source).join(', ')}`);
}
