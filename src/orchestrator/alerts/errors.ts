import { VaultlineError } from '../../shared/errors.ts';
import { Redactor, redactor } from '../../shared/redact.ts';

export type AlertDestination = 'webhook' | 'email' | 'sns';

const DESTINATION_NAMES: Record<AlertDestination, string> = {
  webhook: 'the webhook',
  email: 'the email',
  sns: 'the SNS topic',
};

/**
 * An alert that could not be delivered to one destination. The message names the alert and the
 * destination ("the webhook of alert ops"), never its address: a webhook URL and an SMTP URL's password
 * are secrets. No `cause` is kept, because a library's error may carry the URL in its own fields.
 */
export class AlertDeliveryError extends VaultlineError {
  readonly alert: string;
  readonly destination: AlertDestination;
  constructor(alert: string, destination: AlertDestination, problem: string, secrets: string[] = []) {
    super(scrub(`${describeDestination(alert, destination)} ${problem}`, secrets));
    this.alert = alert;
    this.destination = destination;
  }
}

export function describeDestination(alert: string, destination: AlertDestination): string {
  return `${DESTINATION_NAMES[destination]} of alert ${alert}`;
}

/** The process-wide redactor's scrubbing, plus the destination's own secrets, defensively. */
export function scrub(text: string, secrets: string[]): string {
  const local = new Redactor();
  for (const secret of secrets) local.addSecret(secret, 'an alert destination');
  return redactor.text(local.text(text));
}

/** A short, URL-free reason for a network failure: Node's error code, or the error's class. */
export function networkReason(error: unknown): string {
  const codes: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current instanceof Error; depth++) {
    const code = (current as Error & { code?: unknown }).code;
    if (typeof code === 'string') codes.push(code);
    if (current.name === 'TimeoutError') return 'did not answer in time';
    current = current.cause;
  }
  if (codes.length > 0) return `could not be reached (${[...new Set(codes)].join(', ')})`;
  return `could not be reached (${error instanceof Error ? error.name : 'unknown error'})`;
}
