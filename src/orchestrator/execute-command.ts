import { runCommand } from '../cli/main.ts';
import { createLogger, withLogScope } from '../shared/logger.ts';
import type { LogLevelName } from './types.ts';

export interface CommandOutcome {
  exitCode: number;
  /** The command's --json document (the last one it printed), kept as the step's result (the run store trims it). */
  result?: unknown;
  /** The first lines of what the command said on stderr when it failed (`error: …`). */
  error?: string;
}

export interface CommandSink {
  /** One log line of the command (already redacted). */
  log(level: LogLevelName, text: string): void;
  /** What the command prints for people (results tables), when someone is watching. */
  stdout?(text: string): void;
}

const LEVELS: Record<string, LogLevelName> = { debug: 'debug', warn: 'warn', error: 'error' };

/**
 * Runs one vaultline command line in this process, as `vaultline serve` runs job steps and submitted
 * commands: the same verbs as the CLI, but its logs go to the run's history (through a log scope),
 * its stdout to the sink, its warehouse is the one the server owns (run/warehouse.ts), and `signal`
 * cancels it. Never throws: every failure is an exit code and an error text.
 */
export async function executeCommand(
  argv: readonly string[],
  options: { projectDir: string; signal?: AbortSignal; sink: CommandSink },
): Promise<CommandOutcome> {
  let result: unknown;
  const errors: string[] = [];
  const write = (level: LogLevelName) => (line: string) => {
    for (const text of line.replace(/\n$/, '').split('\n')) options.sink.log(level, text);
  };
  const lineLogger = (opts: { level: 'debug' | 'info' | 'warn' | 'error' | 'silent'; json: boolean }) =>
    createLogger({
      level: opts.level,
      json: false,
      write: (line) => {
        // The pretty line starts with its level tag ("warn: …") unless it is info.
        const tag = /^(debug|warn|error): /.exec(line)?.[1];
        write(LEVELS[tag ?? ''] ?? 'info')(tag ? line.slice(tag.length + 2) : line);
      },
    });
  const scope = { logger: lineLogger({ level: 'info', json: false }), configure: lineLogger };
  const exitCode = await withLogScope(scope, () =>
    runCommand([...argv], {
      project: options.projectDir,
      runtime: {
        output: {
          stdout: async (data) => {
            const text = typeof data === 'string' ? data : Buffer.from(data).toString('utf8');
            options.sink.stdout?.(text);
          },
          stderr: (text) => {
            errors.push(text);
            write('error')(text);
          },
        },
        ...(options.signal ? { signal: options.signal } : {}),
        onResult: (json) => {
          result = json;
        },
      },
    }).catch((error: unknown) => {
      errors.push(error instanceof Error ? error.message : String(error));
      return 1;
    }),
  );
  const error = exitCode === 0 ? undefined : firstLines(errors.join('').trim(), 20) || undefined;
  return {
    exitCode,
    ...(result === undefined ? {} : { result }),
    ...(error ? { error } : {}),
  };
}

function firstLines(text: string, n: number): string {
  return text.split('\n').slice(0, n).join('\n');
}
