import { relative } from 'node:path';
import type { Command } from 'commander';
import { loadCheckedProject } from '../project/load-project.ts';
import { renderNode } from '../project/render.ts';
import { selectNodes } from '../project/selection/select.ts';
import { parseVarsOption } from '../project/vars.ts';
import type { ProgressEvent } from '../run/execute.ts';
import {
  formatSeconds,
  nodeKind,
  nodeLabel,
  resultDetails,
  resultsTable,
  summaryLine,
} from '../run/report.ts';
import { runResultsDocument } from '../run/results-file.ts';
import { type RunCommand, runProject } from '../run/run-project.ts';
import { registerVaultBuilder } from '../run/vault-builder.ts';
import { UsageError } from '../shared/errors.ts';
import { log } from '../shared/logger.ts';
import type { CliContext } from './context.ts';
import { renderTable } from './table.ts';
import { VERSION } from './version.ts';

/**
 * What `run`, `test`, `build` and `seed` share: the dbt-style options, loading and checking the
 * project (diagnostics → exit 2), selection, progress on stderr, the results table (or --json) on
 * stdout, and exit code 1 when a node errored or an error-severity test failed.
 */
export interface RunVerbOptions {
  select?: string[];
  exclude?: string[];
  vars?: string;
  threads?: string;
  fullRefresh?: boolean;
}

export function addRunOptions(command: Command, options: { fullRefresh: boolean }): Command {
  command
    .option(
      '-s, --select <selector...>',
      'dbt-style selectors: names, path:, tag:, source:, +x, x+, @x (default: everything)',
    )
    .option('--exclude <selector...>', 'selectors to leave out')
    .option('--vars <yaml>', "variables for var(), as YAML or JSON: '{key: value}'")
    .option(
      '--threads <n>',
      'nodes built at once (default 1), each on a warehouse connection of its own: independent nodes run their SQL at the same time',
    );
  if (options.fullRefresh)
    command.option(
      '--full-refresh',
      'rebuild incremental models from all data (and re-read every landed payload)',
    );
  return command;
}

function parseThreads(text: string | undefined): number {
  if (text === undefined) return 1;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 64)
    throw new UsageError(`--threads must be a whole number from 1 to 64 (got "${text}")`);
  return n;
}

export async function executeRunVerb(
  ctx: CliContext,
  command: RunCommand,
  options: RunVerbOptions,
): Promise<void> {
  const threads = parseThreads(options.threads);
  const cliVars = parseVarsOption(options.vars);
  const config = ctx.loadConfig();
  const graph = await loadCheckedProject(config, { vars: cliVars });
  const selected = selectNodes(graph, { select: options.select, exclude: options.exclude });
  for (const warning of selected.warnings) log().warn(warning);
  const args = {
    select: options.select,
    exclude: options.exclude,
    vars: cliVars,
    threads,
    full_refresh: options.fullRefresh === true,
  };
  const onProgress = (event: ProgressEvent) => {
    const node = graph.nodes.get(event.step.uniqueId);
    const counter = `[${String(event.index).padStart(String(event.total).length)}/${event.total}]`;
    const what = `${nodeKind(node)} ${nodeLabel(node, event.step.uniqueId)}`;
    if (event.phase === 'start') log().info(`${counter} START ${what}`);
    else if (event.result) {
      const r = event.result;
      const rows =
        r.failures !== undefined
          ? `, ${r.failures} failing`
          : r.rowsAffected !== undefined
            ? `, ${r.rowsAffected} rows`
            : '';
      const line = `${counter} ${r.status.toUpperCase()} ${what} (${formatSeconds(r.durationMs)}${rows})`;
      if (r.status === 'error' || r.status === 'fail') log().error(line);
      else if (r.status === 'warn' || r.status === 'skipped' || r.status === 'cancelled') log().warn(line);
      else log().info(line);
    }
  };
  registerVaultBuilder();
  const { result, runResultsPath } = await runProject({
    config,
    selected,
    command,
    render: renderNode,
    fullRefresh: options.fullRefresh,
    vars: cliVars,
    threads,
    version: VERSION,
    args,
    onProgress,
    warn: (message) => log().warn(message),
    ...(ctx.signal ? { signal: ctx.signal } : {}),
  });
  const shownPath = relative(ctx.cwd, runResultsPath) || runResultsPath;
  ctx.result(
    () => {
      if (result.results.length === 0)
        return `Nothing to ${command}: the selection has no ${command === 'seed' ? 'seed' : 'node'} to run.`;
      const table = resultsTable(graph, result);
      const details = resultDetails(graph, result);
      return [
        renderTable(table.headers, table.rows),
        ...(details.length ? ['', ...details] : []),
        '',
        `${summaryLine(result)}. Run ${result.runId}; results in ${shownPath}`,
      ].join('\n');
    },
    { ...runResultsDocument(result, graph, { version: VERSION, args }), run_results_path: shownPath },
  );
  if (!result.success) ctx.fail();
}

export function registerRunVerb(
  program: Command,
  context: () => CliContext,
  spec: { name: RunCommand; description: string; fullRefresh: boolean },
): void {
  const command = program.command(spec.name).description(spec.description);
  addRunOptions(command, { fullRefresh: spec.fullRefresh }).action(async (options: RunVerbOptions) => {
    await executeRunVerb(context(), spec.name, options);
  });
}
