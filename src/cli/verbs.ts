import type { Command } from 'commander';
import { registerBackfill } from './backfill.ts';
import { registerBuild } from './build.ts';
import { registerCompact } from './compact.ts';
import { registerCompile } from './compile.ts';
import { registerConfig } from './config.ts';
import type { CliContext } from './context.ts';
import { registerDocs } from './docs.ts';
import { registerExport } from './export.ts';
import { registerExtract } from './extract.ts';
import { registerInit } from './init.ts';
import { registerLand } from './land.ts';
import { registerLanding } from './landing.ts';
import { registerLs } from './ls.ts';
import { registerParse } from './parse.ts';
import { registerRun } from './run.ts';
import { registerRunJob } from './run-job.ts';
import { registerRuns } from './runs.ts';
import { registerSchedule } from './schedule.ts';
import { registerSeed } from './seed.ts';
import { registerServe } from './serve.ts';
import { registerShow } from './show.ts';
import { registerTables } from './tables.ts';
import { registerTest } from './test.ts';

export type ContextProvider = () => CliContext;

/** Every verb, in the order `--help` lists them. Add a verb: one file in src/cli/, one line here. */
export function registerVerbs(program: Command, context: ContextProvider): void {
  registerInit(program, context);
  registerConfig(program, context);
  registerLand(program, context);
  registerLanding(program, context);
  registerExtract(program, context);
  registerParse(program, context);
  registerLs(program, context);
  registerCompile(program, context);
  registerRun(program, context);
  registerTest(program, context);
  registerBuild(program, context);
  registerSeed(program, context);
  registerShow(program, context);
  registerTables(program, context);
  registerCompact(program, context);
  registerExport(program, context);
  registerServe(program, context);
  registerRunJob(program, context);
  registerBackfill(program, context);
  registerSchedule(program, context);
  registerRuns(program, context);
  registerDocs(program, context);
}
