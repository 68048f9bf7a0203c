// Dev harness (temporary): loads the example's vault entities with src/vault's executor into a warehouse
// that the CLI built staging into. Usage: tsx vault-load.ts <projectDir> <kinds: base|pit>
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { openDuckDbSession } from '../src/engine/duckdb/session.ts';
import { loadVaultSpecs, runVaultEntity, type VaultEntitySpec } from '../src/vault/index.ts';
import { formatDiagnostic } from '../src/shared/diagnostics.ts';

const [dir, phase] = process.argv.slice(2) as [string, string];
const vaultDir = join(dir, '..', 'vault-yml');
const files = readdirSync(vaultDir).filter((f) => f.endsWith('.yml')).map((f) => ({ file: `models/vault/${f}`, text: readFileSync(join(vaultDir, f), 'utf8') }));
const { entities, diagnostics } = loadVaultSpecs({ files });
if (diagnostics.length) { console.error(diagnostics.map(formatDiagnostic).join('\n')); process.exit(2); }
const byName = new Map(entities.map((e) => [e.name, e]));
const session = await openDuckDbSession(join(dir, '.vaultline/warehouse.duckdb'));
const relationOf = (name: string) => byName.has(name) ? { schema: 'vault', name } : name.startsWith('as_of_') ? { schema: 'vault', name } : { schema: 'staging', name };
const order = (e: VaultEntitySpec) => ({ hub: 0, link: 1, satellite: 2, multi_active_satellite: 2, effectivity_satellite: 2, record_tracking_satellite: 2, pit: 3 })[e.kind];
const todo = entities.filter((e) => (phase === 'pit' ? e.kind === 'pit' : e.kind !== 'pit')).sort((a, b) => order(a) - order(b));
try {
  for (const spec of todo) {
    const r = await runVaultEntity(session, spec, { target: { schema: 'vault', name: spec.name }, relationOf });
    console.log(`${spec.kind.padEnd(24)} ${spec.name.padEnd(32)} read=${r.rowsRead} inserted=${r.rowsInserted} unchanged=${r.unchanged} dup=${r.duplicates} late=${r.skippedLateRows} nullkeys=${r.skippedNullKeys}${r.message ? ' ' + r.message : ''}`);
  }
} catch (e) {
  console.error(e);
  process.exitCode = 1;
} finally {
  await session.close();
}
