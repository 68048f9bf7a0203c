import { spawn } from 'node:child_process';

/** What one `vaultline` invocation produced. stdout stays a Buffer: `landing cat` prints raw bytes. */
export interface CliRun {
  code: number;
  stdout: Buffer;
  /** stdout as UTF-8 text. */
  out: string;
  stderr: string;
}

const BIN = new URL('../../bin/vaultline.js', import.meta.url).pathname;

/**
 * Runs `bin/vaultline.js` as a user would (a separate process, through its own tsx registration), in
 * `cwd`, with `env` added to a copy of this process's environment (minus NODE_OPTIONS, so the child
 * starts like a user's shell would start it).
 */
export function vaultline(
  args: string[],
  options: { cwd: string; env?: Record<string, string> },
): Promise<CliRun> {
  const { NODE_OPTIONS: _ignored, ...inherited } = process.env;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: options.cwd,
      env: { ...inherited, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const stdout = Buffer.concat(out);
      resolve({
        code: code ?? (signal ? 128 : -1),
        stdout,
        out: stdout.toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      });
    });
  });
}

/** Formats a run for assertion messages. */
export function describeRun(run: CliRun): string {
  return `exit ${run.code}\n--- stdout\n${run.out}\n--- stderr\n${run.stderr}`;
}
