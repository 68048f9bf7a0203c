import { AsyncLocalStorage } from 'node:async_hooks';
import { pino } from 'pino';
import { redactor } from './redact.ts';

/**
 * Logs go to stderr so that stdout stays clean for results (and for `--json`). Every line passes
 * through the redactor: a secret that reaches a log call is scrubbed before it is written.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

const stderrScrubbed = {
  write(line: string): void {
    process.stderr.write(redactor.text(line));
  },
};

function prettyLine(level: string, msg: string, extra: Record<string, unknown>): string {
  const fields = Object.entries(extra)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' ');
  const tag = level === 'info' ? '' : `${level}: `;
  return `${tag}${msg}${fields ? ` ${fields}` : ''}\n`;
}

const LEVEL_NAMES: Record<number, string> = {
  10: 'trace',
  20: 'debug',
  30: 'info',
  40: 'warn',
  50: 'error',
  60: 'fatal',
};

/** Human-readable lines on a terminal; JSON lines when `json` is set (for machines and log shippers). */
export function createLogger(options: {
  level: LogLevel;
  json: boolean;
  /** Where finished lines go instead of stderr (a run's log in `vaultline serve`); already scrubbed. */
  write?: (line: string) => void;
}) {
  const sink = options.write
    ? { write: (line: string) => options.write?.(redactor.text(line)) }
    : stderrScrubbed;
  const destination = options.json
    ? sink
    : {
        write(line: string): void {
          const {
            level,
            msg,
            time: _t,
            pid: _p,
            hostname: _h,
            ...extra
          } = JSON.parse(line) as Record<string, unknown>;
          sink.write(prettyLine(LEVEL_NAMES[Number(level)] ?? 'info', String(msg ?? ''), extra));
        },
      };
  // Fields with secret names (token, password, …) are masked before serialising; the destination then
  // scrubs every registered secret value from the finished line, wherever it appears.
  return pino(
    { level: options.level, base: undefined, formatters: { log: (object) => redactor.object(object) } },
    destination,
  );
}

export type Logger = ReturnType<typeof createLogger>;

let current: Logger = createLogger({ level: 'info', json: false });

/**
 * A command run inside `vaultline serve` logs into its run's history, not the server's stderr: the
 * executor runs it in a scope whose logger writes there, and everything the command calls (`log()`)
 * finds that logger through async context, however deep, while other runs keep their own.
 */
interface LogScope {
  logger: Logger;
  /** Makes the scope's logger for the command's own --verbose/--json (the CLI's preAction hook). */
  configure(options: { level: LogLevel; json: boolean }): Logger;
}
const scopes = new AsyncLocalStorage<LogScope>();

export function withLogScope<T>(scope: LogScope, work: () => Promise<T>): Promise<T> {
  return scopes.run(scope, work);
}

/** Installs the logger the CLI configured: the process-wide one, or the current scope's. */
export function configureLogger(options: { level: LogLevel; json: boolean }): void {
  const scope = scopes.getStore();
  if (scope) scope.logger = scope.configure(options);
  else current = createLogger(options);
}

export function setLogger(logger: Logger): void {
  const scope = scopes.getStore();
  if (scope) scope.logger = logger;
  else current = logger;
}

/** The logger of the current command: the process-wide one, or its run's inside `vaultline serve`. */
export function log(): Logger {
  return scopes.getStore()?.logger ?? current;
}
