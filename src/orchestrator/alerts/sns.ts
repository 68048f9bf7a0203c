import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import type { AlertConfig } from '../config.ts';
import { AlertDeliveryError } from './errors.ts';
import type { AlertMessage } from './message.ts';

export type SnsConfig = NonNullable<AlertConfig['sns']>;

/**
 * Publishes the alert's text to an SNS topic (email, SMS, SQS, Lambda or chat subscribers take it
 * from there). The subject goes to email subscribers; `event` and `job` travel as message attributes
 * so that a subscription's filter policy can pick, say, only failures. Credentials come from the
 * default AWS chain (environment, profile, instance role); the region from `sns.region` or the ARN.
 */
export const SNS_TIMEOUT_MS = 10_000;
/** SNS refuses subjects over 100 characters, or with line breaks or non-ASCII characters. */
export const SNS_SUBJECT_CHARS = 100;

export async function publishSns(alert: string, sns: SnsConfig, message: AlertMessage): Promise<void> {
  const client = new SNSClient({
    region: sns.region ?? regionOfArn(sns.topic_arn),
    ...(sns.endpoint ? { endpoint: sns.endpoint } : {}),
    requestHandler: { requestTimeout: SNS_TIMEOUT_MS, connectionTimeout: SNS_TIMEOUT_MS },
  });
  try {
    await client.send(
      new PublishCommand({
        TopicArn: sns.topic_arn,
        Subject: snsSubject(message.subject),
        Message: message.text,
        MessageAttributes: attributes(message.json),
      }),
    );
  } catch (error) {
    throw new AlertDeliveryError(
      alert,
      'sns',
      `(${sns.topic_arn}) did not take the message: ${reason(error)}`,
    );
  } finally {
    client.destroy();
  }
}

/** arn:aws:sns:REGION:ACCOUNT:NAME → REGION. */
export function regionOfArn(arn: string): string {
  return arn.split(':')[3] || 'us-east-1';
}

/** Printable ASCII on one line, at most 100 characters (longer subjects are cut with "..."). */
export function snsSubject(subject: string): string {
  const ascii = subject
    .replace(/…/g, '...')
    .replace(/[^\x20-\x7e]/g, '?')
    .trim();
  return ascii.length > SNS_SUBJECT_CHARS ? `${ascii.slice(0, SNS_SUBJECT_CHARS - 3)}...` : ascii;
}

function attributes(json: Record<string, unknown>) {
  const out: Record<string, { DataType: 'String'; StringValue: string }> = {};
  for (const name of ['event', 'job'] as const) {
    const value = json[name];
    if (typeof value === 'string' && value !== '') out[name] = { DataType: 'String', StringValue: value };
  }
  return out;
}

function reason(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const name = error.name && error.name !== 'Error' ? `${error.name}: ` : '';
  if (error.name === 'CredentialsProviderError')
    return `${name}${error.message} (set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE, or give the server an IAM role)`;
  return `${name}${error.message}`;
}
