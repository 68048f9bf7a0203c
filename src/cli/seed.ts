import type { Command } from 'commander';
import { registerRunVerb } from './run-common.ts';
import type { ContextProvider } from './verbs.ts';

/** `vaultline seed`: load the selected seed CSVs into tables (column types from YAML). */
export function registerSeed(program: Command, context: ContextProvider): void {
  registerRunVerb(program, context, {
    name: 'seed',
    description: 'load the seed CSV files into tables (replaced in full)',
    fullRefresh: true,
  });
}
