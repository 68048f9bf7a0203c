import { readFileSync } from 'node:fs';
import { VaultlineError } from '../../shared/errors.ts';

/**
 * DuckDB allows one read-write process per database file. When another process holds it, DuckDB fails
 * at once with "Could not set lock on file "…": Conflicting lock is held in /usr/bin/node (PID 1234)".
 * This turns that into a message a data engineer can act on: who holds it and what to do.
 */
export interface LockHolder {
  pid?: number;
  executable?: string;
  /** The holder's full command line from /proc/<pid>/cmdline, when readable (Linux). */
  commandLine?: string;
}

const LOCK_PATTERN = /Could not set lock on file/i;
const HOLDER_PATTERN = /Conflicting lock is held in (.+?) \(PID (\d+)\)/;

export function isLockConflict(message: string): boolean {
  return LOCK_PATTERN.test(message);
}

export function parseLockHolder(message: string): LockHolder {
  const match = HOLDER_PATTERN.exec(message);
  if (!match) return {};
  const pid = Number(match[2]);
  return { pid, executable: match[1], commandLine: readCommandLine(pid) };
}

function readCommandLine(pid: number): string | undefined {
  try {
    const raw = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    const args = raw.split('\0').filter((part) => part.length > 0);
    if (args.length === 0) return undefined;
    // One line, bounded: a command line may hold a whole inline script.
    const line = args.join(' ').replace(/\s+/g, ' ').trim();
    return line.length > 240 ? `${line.slice(0, 239)}…` : line;
  } catch {
    return undefined;
  }
}

export class WarehouseLockedError extends VaultlineError {
  readonly path: string;
  readonly holder: LockHolder;
  constructor(path: string, holder: LockHolder, cause: unknown) {
    const who =
      holder.pid === undefined
        ? 'another process'
        : `process ${holder.pid}${holder.commandLine ? ` (${holder.commandLine})` : holder.executable ? ` (${holder.executable})` : ''}`;
    super(
      `the warehouse ${path} is in use by ${who}. DuckDB allows one writing process per file. ` +
        'Wait for that command to finish' +
        (holder.pid === undefined ? '' : ` or stop it (kill ${holder.pid})`) +
        ', then run this command again.',
      { cause },
    );
    this.path = path;
    this.holder = holder;
  }
}
