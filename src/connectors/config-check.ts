import type { VaultlineConfig } from '../config/schema.ts';
import type { Diagnostic } from '../shared/diagnostics.ts';
import { CONNECTORS, SOURCE_NAMES } from './registry.ts';
import { commonOptions } from './sdk/common-options.ts';
import { connectorSettings, unknownSourceDiagnostics } from './sdk/settings.ts';

/**
 * Every problem with the keys of `connectors:` in vaultline.yml: sources that do not exist and
 * options a source does not have, with file:line and a did-you-mean. `extract` refuses them before
 * calling anything; `parse` and `build` list them with the project's own diagnostics, so a typo is
 * found the first time the project is checked, not on the next extract.
 */
export function connectorConfigDiagnostics(config: VaultlineConfig): Diagnostic[] {
  const out = unknownSourceDiagnostics(config, SOURCE_NAMES);
  for (const connector of CONNECTORS) {
    if (!(connector.name in (config.connectors ?? {}))) continue;
    const settings = connectorSettings(config, connector.name);
    out.push(...settings.diagnostics([...commonOptions(connector), ...connector.options]));
  }
  return out;
}
