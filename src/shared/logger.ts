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
export function createLogger(options: { level: LogLevel; json: boolean }) {
  const destination = options.json
    ? stderrScrubbed
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
          stderrScrubbed.write(prettyLine(LEVEL_NAMES[Number(level)] ?? 'info', String(msg ?? ''), extra));
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

export function setLogger(logger: Logger): void {
  current = logger;
}

/** The process-wide logger, configured by the CLI from `--verbose` and `--json`. */
export function log(): Logger {
  return current;
}
