import type { Diagnostic } from '../shared/diagnostics.ts';
import { didYouMean } from '../shared/did-you-mean.ts';
import type { AlertConfig, JobConfig, SensorConfig } from './config.ts';
import { splitStep, stepVerbProblem } from './step-argv.ts';
import { stepTemplateProblems } from './step-template.ts';

interface Sections {
  jobs: Record<string, JobConfig>;
  sensors: Record<string, SensorConfig>;
  alerts: Record<string, AlertConfig>;
}

/**
 * What zod cannot see: a job's alerts and a sensor's job must exist, a sensor watches exactly one
 * thing, each step is one vaultline command a job may run, with known placeholders.
 */
export function orchestratorReferenceDiagnostics(
  sections: Sections,
  where: { file: string; lineOf(path: readonly PropertyKey[]): number },
): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const problem = (path: PropertyKey[], message: string, hint?: string) =>
    diagnostics.push({
      file: where.file,
      line: where.lineOf(path),
      message: `${path.join('.')} ${message}`,
      ...(hint ? { hint } : {}),
      severity: 'error',
    });
  const alertNames = Object.keys(sections.alerts);
  const jobNames = Object.keys(sections.jobs);
  for (const [name, job] of Object.entries(sections.jobs)) {
    for (const [index, step] of job.steps.entries()) {
      const split = splitStep(step);
      const verb = 'problem' in split ? split.problem : stepVerbProblem(split.argv);
      const problems = verb ? [verb] : stepTemplateProblems(step, job.partitions !== undefined);
      for (const message of problems) problem(['jobs', name, 'steps', index], message);
    }
    job.alerts.forEach((alert, index) => {
      if (alertNames.includes(alert)) return;
      const suggestion = didYouMean(alert, alertNames);
      problem(
        ['jobs', name, 'alerts', index],
        `names alert "${alert}", which is not defined under alerts:`,
        suggestion ? `did you mean "${suggestion}"?` : 'add it under alerts: with a webhook, email or sns',
      );
    });
  }
  for (const [name, sensor] of Object.entries(sections.sensors)) {
    if (!jobNames.includes(sensor.job)) {
      const suggestion = didYouMean(sensor.job, jobNames);
      problem(
        ['sensors', name, 'job'],
        `names job "${sensor.job}", which is not defined under jobs:`,
        suggestion ? `did you mean "${suggestion}"?` : undefined,
      );
    }
    const watched = (['folder', 's3', 'landed'] as const).filter((kind) => sensor[kind] !== undefined);
    if (watched.length !== 1)
      problem(
        ['sensors', name],
        watched.length === 0
          ? 'watches nothing: give one of folder:, s3: or landed:'
          : `watches ${watched.join(' and ')}: a sensor watches exactly one of folder:, s3: or landed:`,
      );
  }
  for (const [name, alert] of Object.entries(sections.alerts)) {
    if (!alert.webhook && !alert.email && !alert.sns)
      problem(['alerts', name], 'sends nowhere: give a webhook:, an email: or an sns: destination');
  }
  return diagnostics;
}

/** Values of alert destinations that must never be shown: webhook URLs carry their token in the path. */
export function orchestratorSecrets(
  sections: Pick<Sections, 'alerts'>,
): Array<{ value: string; origin: string }> {
  const secrets: Array<{ value: string; origin: string }> = [];
  for (const [name, alert] of Object.entries(sections.alerts)) {
    if (alert.webhook) secrets.push({ value: alert.webhook, origin: `alerts.${name}.webhook` });
    if (alert.email) {
      secrets.push({ value: alert.email.smtp, origin: `alerts.${name}.email.smtp` });
      try {
        const url = new URL(alert.email.smtp);
        if (url.password)
          secrets.push({
            value: decodeURIComponent(url.password),
            origin: `alerts.${name}.email.smtp password`,
          });
      } catch {
        // checked by the schema
      }
    }
  }
  return secrets;
}
