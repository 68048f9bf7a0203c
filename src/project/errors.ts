import { VaultlineError } from '../shared/errors.ts';

/**
 * A model or test whose SQL could not be rendered at run time (a missing var, a ref() the parse did
 * not see, an error raised by a macro). Exit code 1: the project parsed, this node failed.
 */
export class RenderError extends VaultlineError {
  constructor(
    message: string,
    readonly node: string,
    readonly file: string,
    readonly line?: number,
  ) {
    super(message);
  }
}
