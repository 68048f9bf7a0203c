import type { Command } from 'commander';
import type { CliContext } from './context.ts';
import { registerConfig } from './config.ts';
import { registerInit } from './init.ts';
import { registerLand } from './land.ts';
import { registerLanding } from './landing.ts';

export type ContextProvider = () => CliContext;

/** Every verb, in the order `--help` lists them. Add a verb: one file in src/cli/, one line here. */
export function registerVerbs(program: Command, context: ContextProvider): void {
  registerInit(program, context);
  registerConfig(program, context);
  registerLand(program, context);
  registerLanding(program, context);
}
