import { AlertDeliveryError, networkReason } from './errors.ts';
import type { AlertMessage } from './message.ts';

/**
 * POSTs the alert as JSON `{ text, ...fields }` — a Slack incoming webhook shows `text`; other
 * receivers (Teams via a workflow, a pager, a custom endpoint) get the structured fields too.
 * A server error (5xx), 429 or a network failure is retried twice with a short backoff; any other
 * answer is final. The URL is a secret (a Slack webhook's path is its credential), so no error
 * mentions it.
 *
 * Slack reads `<…>` in `text` as a link or mention, so `&`, `<` and `>` are escaped there as Slack
 * asks (an error such as "expected <int>" would otherwise vanish); the structured fields stay as is.
 */
export interface WebhookOptions {
  /** Waits between attempts; tests inject one that does not wait. */
  sleep?: (ms: number) => Promise<void>;
  timeoutMs?: number;
}

export const WEBHOOK_TIMEOUT_MS = 10_000;
/** Delays before the 2nd and 3rd attempt. */
export const WEBHOOK_BACKOFF_MS = [1_000, 3_000] as const;

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function sendWebhook(
  alert: string,
  url: string,
  message: AlertMessage,
  options: WebhookOptions = {},
): Promise<void> {
  const sleep = options.sleep ?? realSleep;
  const body = JSON.stringify({ text: slackEscape(message.text), ...message.json });
  const secrets = urlSecrets(url);
  let problem = '';
  for (let attempt = 0; attempt <= WEBHOOK_BACKOFF_MS.length; attempt++) {
    if (attempt > 0) await sleep(WEBHOOK_BACKOFF_MS[attempt - 1] ?? 0);
    const outcome = await postOnce(url, body, options.timeoutMs ?? WEBHOOK_TIMEOUT_MS);
    if (outcome.ok) return;
    problem = outcome.problem;
    if (!outcome.retry) throw new AlertDeliveryError(alert, 'webhook', `${problem}${outcome.hint}`, secrets);
  }
  throw new AlertDeliveryError(
    alert,
    'webhook',
    `${problem} (after ${WEBHOOK_BACKOFF_MS.length + 1} attempts); the alert was not delivered`,
    secrets,
  );
}

type Outcome = { ok: true } | { ok: false; retry: boolean; problem: string; hint: string };

async function postOnce(url: string, body: string, timeoutMs: number): Promise<Outcome> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    return { ok: false, retry: true, problem: networkReason(error), hint: '' };
  }
  // Read the body so the connection is released; a receiver's short reason helps ("invalid_token").
  const answer = await response.text().catch(() => '');
  if (response.ok) return { ok: true };
  const reason = answer.trim() ? `: ${answer.trim().replace(/\s+/g, ' ').slice(0, 200)}` : '';
  const problem = `answered HTTP ${response.status}${reason}`;
  const retry = response.status >= 500 || response.status === 429;
  const hint =
    response.status === 404 || response.status === 403 || response.status === 410
      ? '; check that the webhook URL in the alert is still valid (it may have been revoked)'
      : '';
  return { ok: false, retry, problem, hint };
}

/** Slack's three control characters as entities (https://api.slack.com/reference/surfaces/formatting#escaping). */
export function slackEscape(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/** The URL and its path+query, so that neither survives in an error even if a library echoed it. */
function urlSecrets(url: string): string[] {
  try {
    const parsed = new URL(url);
    return [url, parsed.href, `${parsed.pathname}${parsed.search}`];
  } catch {
    return [url];
  }
}
