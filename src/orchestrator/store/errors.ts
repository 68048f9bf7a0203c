import { VaultlineError } from '../../shared/errors.ts';

/**
 * The orchestrator's state folder never follows a symlink: a link there could point the run history
 * (and the secrets-free promise that goes with it) anywhere on the machine.
 */
export class StateSymlinkError extends VaultlineError {
  constructor(readonly path: string) {
    super(
      `${path} is a symlink; the orchestrator's state folder and its files must be real files and folders ` +
        `(remove the link, or point serve.state_path in vaultline.yml at a real folder)`,
    );
  }
}

/** A state file that cannot be read as what it should hold. */
export class StateFileCorruptError extends VaultlineError {
  constructor(
    readonly path: string,
    problem: string,
    consequence: string,
  ) {
    super(`${path} cannot be read (${problem}); move it aside (mv ${path} ${path}.broken): ${consequence}`);
  }
}

/** A name that would not be a safe file name inside the state folder (a run id, a job name, a day). */
export class StateNameError extends VaultlineError {
  constructor(what: string, value: string, expected: string) {
    super(`${what} "${value}" is not valid: ${expected}`);
  }
}
