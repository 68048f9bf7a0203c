import type { Command } from 'commander';
import { registerRunVerb } from './run-common.ts';
import type { ContextProvider } from './verbs.ts';

/** `vaultline run`: build the selected models (and vault entities) in dependency order; no tests. */
export function registerRun(program: Command, context: ContextProvider): void {
  registerRunVerb(program, context, {
    name: 'run',
    description:
      'build the selected models in dependency order (views, tables, incremental; ephemerals inline)',
    fullRefresh: true,
  });
}
