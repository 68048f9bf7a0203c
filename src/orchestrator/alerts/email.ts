import nodemailer from 'nodemailer';
import type { AlertConfig } from '../config.ts';
import { AlertDeliveryError } from './errors.ts';
import type { AlertMessage } from './message.ts';

export type EmailConfig = NonNullable<AlertConfig['email']>;

/**
 * Sends the alert as a plain-text mail through the SMTP server of `email.smtp`
 * (smtp://user:password@host:port, or smtps:// for implicit TLS; STARTTLS is used when the server
 * offers it). One connection per alert, closed afterwards: alerts are rare, a pool would only hold
 * a socket open. Errors name the alert and the server's host, never the password.
 */
export const EMAIL_TIMEOUT_MS = 10_000;

export async function sendEmail(alert: string, email: EmailConfig, message: AlertMessage): Promise<void> {
  const secrets = smtpSecrets(email.smtp);
  const transport = nodemailer.createTransport({
    url: email.smtp,
    connectionTimeout: EMAIL_TIMEOUT_MS,
    greetingTimeout: EMAIL_TIMEOUT_MS,
    socketTimeout: 3 * EMAIL_TIMEOUT_MS,
  });
  try {
    await transport.sendMail({
      from: email.from,
      to: email.to,
      subject: message.subject,
      text: message.text,
    });
  } catch (error) {
    throw new AlertDeliveryError(
      alert,
      'email',
      `could not be sent via ${server(email.smtp)}: ${reason(error)}`,
      secrets,
    );
  } finally {
    transport.close();
  }
}

/** What went wrong, from nodemailer's error code and the server's answer, with how to fix it. */
function reason(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  const text = error instanceof Error ? error.message : String(error);
  if (code === 'EAUTH') return `${text} (check the user and password in the alert's email.smtp URL)`;
  if (code === 'ECONNECTION' || code === 'ETIMEDOUT' || code === 'ESOCKET' || code === 'EDNS')
    return `${text} (check the host and port of email.smtp, and smtp:// vs smtps://)`;
  if (code === 'EENVELOPE') return `${text} (check email.to and email.from)`;
  return text;
}

/** host:port of the SMTP URL: enough to tell which server, and never the credentials. */
function server(smtp: string): string {
  try {
    const url = new URL(smtp);
    return `${url.protocol}//${url.host}`;
  } catch {
    return 'the SMTP server';
  }
}

/** The password as written in the URL (maybe %-encoded) and decoded, and the URL itself. */
function smtpSecrets(smtp: string): string[] {
  try {
    const url = new URL(smtp);
    return [smtp, url.password, decodeURIComponent(url.password)];
  } catch {
    return [smtp];
  }
}
