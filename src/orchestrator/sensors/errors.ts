import { UsageError, VaultlineError } from '../../shared/errors.ts';

/** A folder sensor that cannot watch what it was given (outside the project, missing, a symlink). */
export class SensorFolderError extends UsageError {
  constructor(folder: string, problem: string, fix: string) {
    super(`sensor folder "${folder}" ${problem}; ${fix}`);
  }
}

/** A sensor's cursor on disk that cannot be read or written safely. */
export class SensorCursorError extends VaultlineError {
  constructor(file: string, problem: string, fix: string, options: { cause?: unknown } = {}) {
    super(`sensor cursor ${file} ${problem}; ${fix}`, options);
  }
}
