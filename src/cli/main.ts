import { Command, CommanderError } from 'commander';
import { VaultlineError } from '../shared/errors.ts';
import { createLogger, setLogger } from '../shared/logger.ts';
import { redactor } from '../shared/redact.ts';
import { CliContext, type GlobalOptions } from './context.ts';
import { addGlobalOptions, addGlobalOptionsToVerbs, globalOptionValues } from './global-options.ts';
import { registerVerbs } from './verbs.ts';
import { VERSION } from './version.ts';

/**
 * The `vaultline` command. Exit codes: 0 success, 1 the work failed, 2 usage or configuration error.
 * Verbs live one per file and register themselves through verbs.ts.
 */
export function buildProgram(
  context: () => CliContext,
  onGlobals?: (options: GlobalOptions) => void,
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
      writeErr: (text) => process.stderr.write(redactor.text(text)),
      writeOut: (text) => process.stdout.write(text),
    })
    .exitOverride();
  program.hook('preAction', (_root, verb) => {
    const options = globalOptionValues(verb);
    onGlobals?.(options);
    setLogger(createLogger({ level: options.verbose ? 'debug' : 'info', json: options.json === true }));
  });
  registerVerbs(program, context);
  addGlobalOptionsToVerbs(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  let ctx: CliContext | undefined;
  let globals: GlobalOptions = {};
  const program = buildProgram(
    () => {
      ctx ??= new CliContext(globals);
      return ctx;
    },
    (options) => {
      globals = options;
    },
  );
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    return reportError(error, globals.verbose === true);
  }
}

function reportError(error: unknown, verbose: boolean): number {
  if (error instanceof CommanderError) {
    // --help and --version end through here too, with exit code 0.
    if (error.exitCode === 0) return 0;
    return 2;
  }
  if (error instanceof VaultlineError) {
    process.stderr.write(`error: ${redactor.text(error.message)}\n`);
    if (verbose && error.cause) process.stderr.write(`cause: ${redactor.text(String(error.cause))}\n`);
    return error.exitCode;
  }
  const message =
    error instanceof Error ? (verbose ? (error.stack ?? error.message) : error.message) : String(error);
  process.stderr.write(`error: ${redactor.text(message)}\n`);
  if (!verbose) process.stderr.write('(run with --verbose for details)\n');
  return 1;
}
