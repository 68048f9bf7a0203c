import { VERSION } from '../../cli/version.ts';
import { UsageError } from '../../shared/errors.ts';

/**
 * A descriptive User-Agent, as public APIs ask: `vaultline/0.1.0 (my-app; me@example.com)`, from
 * HTTP_APP_NAME and HTTP_CONTACT.
 */
export function userAgent(env: Record<string, string | undefined>): string {
  const details = [env.HTTP_APP_NAME?.trim(), env.HTTP_CONTACT?.trim()].filter((part) => part).join('; ');
  return `vaultline/${VERSION}${details ? ` (${details})` : ''}`;
}

/** Wikimedia blocks clients that give no way to reach their operator: refuse before calling it. */
export function requireContact(source: string, env: Record<string, string | undefined>): void {
  if (env.HTTP_CONTACT?.trim()) return;
  throw new UsageError(
    `${source}: the live API requires a contact in the User-Agent header and blocks anonymous clients. ` +
      'Set HTTP_CONTACT to an email address or URL where you can be reached, and HTTP_APP_NAME to the name of ' +
      'your application, e.g. HTTP_APP_NAME=my-warehouse HTTP_CONTACT=data-team@example.com ' +
      '(or replay recorded responses with --replay DIR, which calls nobody)',
  );
}
