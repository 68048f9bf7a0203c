import { type Diagnostic, formatDiagnostic } from './diagnostics.ts';

/**
 * Every error vaultline raises on purpose is a VaultlineError. The CLI maps `exitCode` to the process
 * exit code: 2 for usage and configuration problems, 1 for work that failed.
 */
export class VaultlineError extends Error {
  readonly exitCode: 1 | 2;
  constructor(message: string, options: { exitCode?: 1 | 2; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.exitCode = options.exitCode ?? 1;
  }
}

/** Bad flags, bad arguments, bad configuration: the user must change what they asked for. */
export class UsageError extends VaultlineError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, { ...options, exitCode: 2 });
  }
}

/** A project or configuration that has problems; carries every diagnostic found. */
export class DiagnosticsError extends UsageError {
  readonly diagnostics: readonly Diagnostic[];
  constructor(summary: string, diagnostics: readonly Diagnostic[]) {
    super(`${summary}\n${diagnostics.map((d) => `  ${formatDiagnostic(d)}`).join('\n')}`);
    this.diagnostics = diagnostics;
  }
}
