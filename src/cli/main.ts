import { Command, CommanderError } from 'commander';
import type { VaultlineConfig } from '../config/schema.ts';
import { VaultlineError } from '../shared/errors.ts';
import { configureLogger } from '../shared/logger.ts';
import { redactor } from '../shared/redact.ts';
import { CliContext, type CliOutput, type CliRuntime, type GlobalOptions, processOutput } from './context.ts';
import { addGlobalOptions, addGlobalOptionsToVerbs, globalOptionValues } from './global-options.ts';
import { submitIfServed } from './submit.ts';
import { registerVerbs } from './verbs.ts';
import { VERSION } from './version.ts';

/**
 * The `vaultline` command. Exit codes: 0 success, 1 the work failed, 2 usage or configuration error.
 * Verbs live one per file and register themselves through verbs.ts.
 */
export function buildProgram(
  context: () => CliContext,
  onGlobals?: (options: GlobalOptions) => void,
  output: CliOutput = processOutput,
): Command {
  const program = addGlobalOptions(
    new Command('vaultline').description(
      'Land raw API payloads, build a Data Vault 2.0 warehouse, test it and publish marts.',
    ),
  )
    .version(VERSION, '--version', 'print the vaultline version')
    // Options after a verb belong to it (global-options.ts): `extract wikimedia --project <wiki>`.
    .enablePositionalOptions()
    .showHelpAfterError('(run with --help for usage)')
    // Set before the verbs are added: subcommands copy these settings when they are created, so
    // their usage errors are redacted and end through main() (exit 2) as the root's do.
    .configureOutput({
      writeErr: (text) => output.stderr(redactor.text(text)),
      writeOut: (text) => void output.stdout(text),
    })
    .exitOverride();
  program.hook('preAction', (_root, verb) => {
    const options = globalOptionValues(verb);
    onGlobals?.(options);
    configureLogger({ level: options.verbose ? 'debug' : 'info', json: options.json === true });
  });
  registerVerbs(program, context);
  addGlobalOptionsToVerbs(program);
  return program;
}

/**
 * Runs one command line (the arguments after `vaultline`) to its exit code. `vaultline serve` runs
 * job steps and submitted commands through here too, with its own runtime (output, signal) and a
 * fixed project folder.
 */
export async function runCommand(
  args: string[],
  options: { cwd?: string; project?: string; runtime?: CliRuntime; config?: VaultlineConfig } = {},
): Promise<number> {
  let ctx: CliContext | undefined;
  let globals: GlobalOptions = {};
  const output = options.runtime?.output ?? processOutput;
  const program = buildProgram(
    () => {
      ctx ??= new CliContext(
        options.project ? { ...globals, project: options.project } : globals,
        options.cwd,
        options.runtime,
        options.config,
      );
      return ctx;
    },
    (found) => {
      globals = found;
    },
    output,
  );
  try {
    await program.parseAsync(args, { from: 'user' });
    return ctx?.exitCode ?? 0;
  } catch (error) {
    return reportError(error, globals.verbose === true, output);
  }
}

export async function main(argv: string[]): Promise<number> {
  const args = argv.slice(2);
  // While `vaultline serve` owns this project's warehouse, work that needs it is sent there.
  const submitted = await submitIfServed(args, process.cwd());
  if ('exitCode' in submitted) return submitted.exitCode;
  return runCommand(args, submitted.config ? { config: submitted.config } : {});
}

export function reportError(error: unknown, verbose: boolean, output: CliOutput = processOutput): number {
  if (error instanceof CommanderError) {
    // --help and --version end through here too, with exit code 0.
    if (error.exitCode === 0) return 0;
    return 2;
  }
  if (error instanceof VaultlineError) {
    output.stderr(`error: ${redactor.text(error.message)}\n`);
    if (verbose && error.cause) output.stderr(`cause: ${redactor.text(String(error.cause))}\n`);
    return error.exitCode;
  }
  const message =
    error instanceof Error ? (verbose ? (error.stack ?? error.message) : error.message) : String(error);
  output.stderr(`error: ${redactor.text(message)}\n`);
  if (!verbose) output.stderr('(run with --verbose for details)\n');
  return 1;
}
