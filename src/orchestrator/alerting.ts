import type { VaultlineConfig } from '../config/schema.ts';
import { log } from '../shared/logger.ts';
import { alertEventFor, previousFinalRun } from './alerts/decide-alert.ts';
import { alertMessage } from './alerts/message.ts';
import type { MissedTicks } from './scheduler-loop.ts';
import type { RunStore } from './store/types.ts';
import type { RunRecord } from './types.ts';

function seeMore(run: string, serverUrl?: string): string {
  return `vaultline runs show ${run}${serverUrl ? `  or  ${serverUrl}/api/runs/${run}` : ''}`;
}

const logDelivery = (level: string, text: string) =>
  level === 'error' ? log().error(text) : level === 'warn' ? log().warn(text) : log().info(text);

/** After a run's last attempt: a failure alert, or a recovery alert when the run before it had failed. */
export async function alertRun(
  config: VaultlineConfig,
  runs: RunStore,
  run: RunRecord,
  options: { serverUrl?: string } = {},
): Promise<void> {
  const job = config.jobs[run.job];
  if (!job || job.alerts.length === 0) return;
  const previous = previousFinalRun(runs.list({ job: run.job, limit: 50 }), run);
  const event = alertEventFor(run, previous);
  if (!event) return;
  const message = alertMessage({
    event,
    run,
    ...(previous ? { previous } : {}),
    project: config.name,
    seeMore: seeMore(run.id, options.serverUrl),
  });
  const { sendAlert } = await import('./alerts/dispatch.ts'); // nodemailer and the SNS client load only to alert
  const deliveries = await sendAlert(job.alerts, config.alerts, message, event, { log: logDelivery });
  for (const d of deliveries.filter((d) => d.ok))
    log().info(`alert ${d.alert}: ${event} of run ${run.id} sent by ${d.destination}`);
}

/** The scheduler passed over ticks (downtime, catch-up policy): a `missed` alert for the job. */
export async function alertMissed(
  config: VaultlineConfig,
  missed: MissedTicks,
  options: { serverUrl?: string } = {},
): Promise<void> {
  const job = config.jobs[missed.job];
  if (!job || job.alerts.length === 0) return;
  const message = alertMessage({
    event: 'missed',
    job: missed.job,
    ticks: missed.ticks,
    late: missed.late,
    ...(missed.lastHeartbeat ? { lastHeartbeat: missed.lastHeartbeat } : {}),
    detail: missed.detail,
    project: config.name,
    seeMore: `vaultline schedule why ${missed.job}${options.serverUrl ? `  or  ${options.serverUrl}/api/jobs` : ''}`,
  });
  const { sendAlert } = await import('./alerts/dispatch.ts');
  await sendAlert(job.alerts, config.alerts, message, 'missed', { log: logDelivery });
}
