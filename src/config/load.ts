import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { warehouseSecrets } from '../engine/warehouse-config.ts';
import { orchestratorReferenceDiagnostics, orchestratorSecrets } from '../orchestrator/references.ts';
import { type Diagnostic, displayPath } from '../shared/diagnostics.ts';
import { DiagnosticsError, UsageError } from '../shared/errors.ts';
import { redactor } from '../shared/redact.ts';
import { interpolateEnv } from './interpolate.ts';
import { configSchema, type VaultlineConfig } from './schema.ts';
import { parseYamlWithPositions, yamlSyntaxDiagnostics } from './yaml-positions.ts';
import { zodIssuesToDiagnostics } from './zod-diagnostics.ts';

export const CONFIG_FILE = 'vaultline.yml';

/** The nearest folder at or above `start` holding vaultline.yml, or undefined. */
export function findProjectDir(start: string): string | undefined {
  let dir = resolve(start);
  for (;;) {
    if (existsSync(join(dir, CONFIG_FILE))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** Parses and validates config text; returns the config or every problem found. */
export function parseConfig(
  text: string,
  options: { file: string; projectDir: string; env?: Record<string, string | undefined> },
): { config?: VaultlineConfig; diagnostics: Diagnostic[] } {
  const file = options.file;
  const yaml = parseYamlWithPositions(text);
  if (yaml.errors.length > 0) return { diagnostics: yamlSyntaxDiagnostics(yaml, file) };
  const raw = yaml.doc.toJS() ?? {};
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return {
      diagnostics: [
        { file, line: 1, message: 'must be a mapping of settings (name:, landing:, …)', severity: 'error' },
      ],
    };
  }
  const interpolated = interpolateEnv(raw, options.env ?? process.env);
  const diagnostics: Diagnostic[] = interpolated.missing.map(({ path, variable }) => ({
    file,
    line: yaml.lineOf(path),
    message: `${path.join('.')}: environment variable ${variable} is not set${variable in (options.env ?? process.env) ? ' (it is empty)' : ''}`,
    hint: `set it, or give a default with \${${variable}:-default}`,
    severity: 'error',
  }));
  for (const { value, origin } of interpolated.secretValues) redactor.addSecret(value, origin);

  const parsed = configSchema.safeParse(interpolated.value);
  if (!parsed.success) {
    // A value whose variable is missing is already reported; its empty stand-in would only add noise.
    const missingPaths = new Set(interpolated.missing.map(({ path }) => path.join('.')));
    const issues = parsed.error.issues.filter((issue) => !missingPaths.has(issue.path.map(String).join('.')));
    diagnostics.push(
      ...zodIssuesToDiagnostics(issues, { file, yaml, schema: configSchema, data: interpolated.value }),
    );
  }
  if (parsed.success)
    diagnostics.push(
      ...orchestratorReferenceDiagnostics(parsed.data, { file, lineOf: (path) => yaml.lineOf(path) }),
    );
  if (diagnostics.length > 0 || !parsed.success) return { diagnostics };

  for (const secret of warehouseSecrets(parsed.data.warehouse))
    redactor.addSecret(secret, 'warehouse.password');
  for (const { value, origin } of orchestratorSecrets(parsed.data)) redactor.addSecret(value, origin);
  const config: VaultlineConfig = {
    ...parsed.data,
    projectDir: options.projectDir,
    configFile: join(options.projectDir, CONFIG_FILE),
    secretPaths: interpolated.secretPaths,
  };
  return { config, diagnostics: [] };
}

/** Loads vaultline.yml from `projectDir`; throws DiagnosticsError (exit 2) listing every problem. */
export function loadConfig(
  projectDir: string,
  env: Record<string, string | undefined> = process.env,
): VaultlineConfig {
  const path = join(projectDir, CONFIG_FILE);
  if (!existsSync(path)) {
    throw new UsageError(
      `no ${CONFIG_FILE} in ${projectDir} (run \`vaultline init\` to create a project, or pass --project DIR)`,
    );
  }
  const file = displayPath(path);
  const { config, diagnostics } = parseConfig(readFileSync(path, 'utf8'), { file, projectDir, env });
  if (!config)
    throw new DiagnosticsError(`${CONFIG_FILE} has ${diagnostics.length} problem(s):`, diagnostics);
  return config;
}

/** Resolves a path from the config against the project folder. */
export function projectPath(config: Pick<VaultlineConfig, 'projectDir'>, path: string): string {
  return resolve(config.projectDir, path);
}
