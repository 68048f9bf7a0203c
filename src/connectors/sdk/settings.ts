import { existsSync, readFileSync } from 'node:fs';
import type { VaultlineConfig } from '../../config/schema.ts';
import { type PositionedYaml, parseYamlWithPositions } from '../../config/yaml-positions.ts';
import type { Diagnostic } from '../../shared/diagnostics.ts';
import { didYouMean } from '../../shared/did-you-mean.ts';
import type { OptionSpec } from './options.ts';

/**
 * `connectors.<source>` in vaultline.yml, with file:line labels for messages. The config schema
 * checks only the common keys; the keys each source accepts are checked here against its options.
 */
export interface ConnectorSettings {
  source: string;
  values: Record<string, unknown>;
  /** `vaultline.yml:14 connectors.worldbank.per_page`, or the path and file when the key is absent. */
  label(key: string): string;
  diagnostics(specs: readonly OptionSpec[]): Diagnostic[];
}

export function connectorSettings(config: VaultlineConfig | undefined, source: string): ConnectorSettings {
  const values = (config?.connectors?.[source] ?? {}) as Record<string, unknown>;
  const file = config?.configFile ?? 'vaultline.yml';
  let yaml: PositionedYaml | undefined | null = null;
  const positions = () => {
    if (yaml === null)
      yaml = config && existsSync(file) ? parseYamlWithPositions(readFileSync(file, 'utf8')) : undefined;
    return yaml;
  };
  const lineOf = (key: string) => positions()?.lineOfKey(['connectors', source], key);
  return {
    source,
    values,
    label(key) {
      const path = `connectors.${source}.${key}`;
      return key in values ? `${file}:${lineOf(key) ?? 1} ${path}` : `${path} in ${file}`;
    },
    diagnostics(specs) {
      const known = specs.map((spec) => spec.key);
      const out: Diagnostic[] = [];
      for (const key of Object.keys(values)) {
        if (known.includes(key)) continue;
        const near = didYouMean(key, known);
        out.push({
          file,
          line: lineOf(key),
          node: `connectors.${source}`,
          message: `${key} is not an option of the ${source} connector`,
          hint: near ? `did you mean "${near}"?` : `allowed: ${known.join(', ')}`,
          severity: 'error',
        });
      }
      return out;
    },
  };
}

/** `connectors:` entries that name no known source, with a "did you mean". */
export function unknownSourceDiagnostics(config: VaultlineConfig, known: readonly string[]): Diagnostic[] {
  const file = config.configFile;
  const yaml = existsSync(file) ? parseYamlWithPositions(readFileSync(file, 'utf8')) : undefined;
  const out: Diagnostic[] = [];
  for (const source of Object.keys(config.connectors ?? {})) {
    if (known.includes(source)) continue;
    const near = didYouMean(source, known);
    out.push({
      file,
      line: yaml?.lineOfKey(['connectors'], source),
      node: 'connectors',
      message: `"${source}" is not a known source`,
      hint: near ? `did you mean "${near}"?` : `known sources: ${known.join(', ')}`,
      severity: 'error',
    });
  }
  return out;
}
