import { VaultlineError } from '../../shared/errors.ts';
import { redactor } from '../../shared/redact.ts';

/**
 * One request that could not be completed: a status the API refused with, retries exhausted, a
 * network error, a missing cassette, or a body that says it is an error. The run records it, keeps
 * going with the other requests, and exits 1 at the end. `url` is always redacted.
 */
export class RequestFailedError extends VaultlineError {
  readonly url: string;
  readonly status: number | undefined;
  /** The landing key when the failing body was landed anyway (an error body returned with 200). */
  readonly landedKey: string | undefined;
  constructor(
    url: string,
    message: string,
    options: { status?: number; landedKey?: string; cause?: unknown } = {},
  ) {
    super(redactor.text(message), { cause: options.cause });
    this.url = redactor.url(url);
    this.status = options.status;
    this.landedKey = options.landedKey;
  }
}

/** The transport could not get any response: connection refused, reset, DNS, or a timeout. */
export class TransportError extends Error {
  readonly kind: 'timeout' | 'network';
  constructor(kind: 'timeout' | 'network', message: string, options: { cause?: unknown } = {}) {
    super(redactor.text(message), options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'TransportError';
    this.kind = kind;
  }
}

/** Replay found no cassette for a request; never retried (replaying again gives the same answer). */
export class MissingCassetteError extends Error {
  constructor(message: string) {
    super(redactor.text(message));
    this.name = 'MissingCassetteError';
  }
}
