import { join } from 'node:path';
import type { Command } from 'commander';
import { loadProject } from '../project/load-project.ts';
import { parseVarsOption } from '../project/vars.ts';
import { type Diagnostic, displayPath, formatDiagnostic } from '../shared/diagnostics.ts';
import { UsageError } from '../shared/errors.ts';
import type { ContextProvider } from './verbs.ts';

/**
 * `vaultline parse`: load the project and report every problem as `file:line: message (hint)`.
 * Exit 2 when any is an error; otherwise a one-line summary of what the project holds.
 */
export function registerParse(program: Command, context: ContextProvider): void {
  program
    .command('parse')
    .description('check the project: list every problem with file:line (exit 2 on errors), or summarise it')
    .option('--vars <yaml>', "variables for var(), as YAML or JSON: '{key: value}'")
    .action(async (options: { vars?: string }) => {
      const ctx = context();
      const config = ctx.loadConfig();
      const graph = await loadProject(config, { vars: parseVarsOption(options.vars) });
      const shown = (d: Diagnostic): Diagnostic => ({
        ...d,
        file: displayPath(join(config.projectDir, d.file), ctx.cwd),
      });
      const diagnostics = graph.diagnostics.map(shown);
      const errors = diagnostics.filter((d) => d.severity === 'error');
      const counts = { models: 0, sources: 0, tests: 0, seeds: 0, macros: graph.macros.length };
      for (const node of graph.nodes.values()) {
        if (node.resourceType === 'model') counts.models++;
        else if (node.resourceType === 'source') counts.sources++;
        else if (node.resourceType === 'test') counts.tests++;
        else if (node.resourceType === 'seed') counts.seeds++;
      }
      const count = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
      const summary = `${graph.projectName}: ${count(counts.models, 'model')}, ${count(counts.sources, 'source')}, ${count(counts.tests, 'test')}, ${count(counts.seeds, 'seed')}, ${count(counts.macros, 'macro')}`;
      ctx.result(
        () =>
          [
            ...diagnostics.map(formatDiagnostic),
            errors.length > 0
              ? `${errors.length} error(s), ${diagnostics.length - errors.length} warning(s) in ${graph.projectName}`
              : `${summary}${diagnostics.length ? ` (${diagnostics.length} warning(s))` : ''}`,
          ].join('\n'),
        { project: graph.projectName, ok: errors.length === 0, counts, diagnostics },
      );
      if (errors.length > 0) {
        throw new UsageError(
          `the project has ${errors.length} error(s); no command runs it until they are fixed`,
        );
      }
    });
}
