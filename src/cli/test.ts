import type { Command } from 'commander';
import { registerRunVerb } from './run-common.ts';
import type { ContextProvider } from './verbs.ts';

/** `vaultline test`: run the selected data tests; failing rows are counted and sampled. */
export function registerTest(program: Command, context: ContextProvider): void {
  registerRunVerb(program, context, {
    name: 'test',
    description: 'run the selected data tests (failing-row count and a sample of each failure)',
    fullRefresh: false,
  });
}
