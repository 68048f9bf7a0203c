#!/usr/bin/env node
// `npm start`: the main job on the embedded default — DuckDB, the local landing store and the bundled
// recorded payloads of examples/cloud-dw-datavault — with no network and no keys:
// extract all seven sources from the cassettes → build (staging, vault, marts, tests) → row counts.
// Each step is a plain `vaultline` command, printed before it runs, so the output doubles as a tutorial.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const project = join(root, 'examples', 'cloud-dw-datavault');
const cli = join(root, 'bin', 'vaultline.js');

function vaultline(...args) {
  console.log(`\n$ vaultline ${args.join(' ')}`);
  const result = spawnSync(process.execPath, [cli, '--project', project, ...args], { stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(
      `\nnpm start stopped: \`vaultline ${args.join(' ')}\` exited with ${result.status ?? result.signal}`,
    );
    process.exit(result.status ?? 1);
  }
}

// The example's vaultline.yml sets `replay: cassettes` for every source: no network, no keys.
vaultline('extract', '--all');
vaultline('build');
vaultline('tables', '--schema', 'vault', 'marts', '--require-rows');
console.log(
  `\nThe warehouse is ${join(project, '.vaultline', 'warehouse.duckdb')}; open it with DuckDB, or point a BI tool at it (README: Dashboards).`,
);
console.log(
  `\nTo browse it — lineage, runs and their logs, dashboards, and every number back to its payload — start the UI:\n` +
    `  cd examples/cloud-dw-datavault && npx vaultline serve\n` +
    `and open http://127.0.0.1:8765/ (the server also runs the example's daily job at 06:00 Johannesburg time).`,
);
