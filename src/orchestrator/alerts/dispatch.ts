import { redactor } from '../../shared/redact.ts';
import type { AlertConfig, AlertEvent } from '../config.ts';
import type { LogLevelName } from '../types.ts';
import { sendEmail } from './email.ts';
import { type AlertDestination, describeDestination } from './errors.ts';
import type { AlertMessage } from './message.ts';
import { publishSns } from './sns.ts';
import { sendWebhook, type WebhookOptions } from './webhook.ts';

/**
 * Sends one alert message to the destinations of the named alerts that subscribe to `event` (their
 * `on:`), all at once. Never throws: an alert that cannot be delivered must not fail or delay the run
 * that raised it beyond its own timeouts; each outcome is returned and each failure logged.
 */
export interface AlertDelivery {
  alert: string;
  destination: AlertDestination;
  ok: boolean;
  error?: string;
}

export interface SendAlertOptions {
  log?: (level: LogLevelName, text: string) => void;
  /** Passed to the webhook sender (tests inject a sleep that does not wait). */
  webhook?: WebhookOptions;
}

export async function sendAlert(
  names: string[],
  alerts: Record<string, AlertConfig>,
  message: AlertMessage,
  event: AlertEvent,
  options: SendAlertOptions = {},
): Promise<AlertDelivery[]> {
  const log = options.log ?? (() => {});
  const sends: Array<{ alert: string; destination: AlertDestination; send: () => Promise<void> }> = [];
  for (const alert of new Set(names)) {
    const config = alerts[alert];
    if (!config) {
      // references.ts refuses such a config at load; this only guards a caller passing a stale name.
      log(
        'warn',
        redactor.text(`alert ${alert} is not defined under alerts: in vaultline.yml; nothing sent`),
      );
      continue;
    }
    if (!config.on.includes(event)) continue;
    const { webhook, email, sns } = config;
    if (webhook)
      sends.push({
        alert,
        destination: 'webhook',
        send: () => sendWebhook(alert, webhook, message, options.webhook),
      });
    if (email) sends.push({ alert, destination: 'email', send: () => sendEmail(alert, email, message) });
    if (sns) sends.push({ alert, destination: 'sns', send: () => publishSns(alert, sns, message) });
  }
  return Promise.all(
    sends.map(async ({ alert, destination, send }): Promise<AlertDelivery> => {
      try {
        await send();
        log('info', redactor.text(`sent the ${event} alert to ${describeDestination(alert, destination)}`));
        return { alert, destination, ok: true };
      } catch (error) {
        const text = redactor.text(error instanceof Error ? error.message : String(error));
        log('warn', `${event} alert not delivered: ${text}`);
        return { alert, destination, ok: false, error: text };
      }
    }),
  );
}
