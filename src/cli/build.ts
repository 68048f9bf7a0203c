import type { Command } from 'commander';
import { registerRunVerb } from './run-common.ts';
import type { ContextProvider } from './verbs.ts';

/**
 * `vaultline build`: seeds, models and tests in DAG order; a node downstream of a failed model or a
 * failed error-severity test is skipped with the reason.
 */
export function registerBuild(program: Command, context: ContextProvider): void {
  registerRunVerb(program, context, {
    name: 'build',
    description:
      'seeds, models and tests in dependency order; nodes after a failure are skipped with the reason',
    fullRefresh: true,
  });
}
