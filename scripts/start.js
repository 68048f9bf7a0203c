#!/usr/bin/env node
// `npm start`: the main job on the embedded default — DuckDB, the local landing store and the bundled
// recorded payloads of examples/cloud-dw-datavault — with no network and no keys.
// Each step is a plain `vaultline` command, printed before it runs, so the output doubles as a tutorial.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const project = join(root, 'examples', 'cloud-dw-datavault');
const cli = join(root, 'bin', 'vaultline.js');

function vaultline(...args) {
  console.log(`\n$ vaultline ${args.join(' ')}`);
  const result = spawnSync(process.execPath, [cli, '--project', project, ...args], { stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`\nnpm start stopped: \`vaultline ${args.join(' ')}\` exited with ${result.status ?? result.signal}`);
    process.exit(result.status ?? 1);
  }
}

const sampleDir = join(project, 'sample');
for (const file of readdirSync(sampleDir).filter((name) => name.endsWith('.json')).sort()) {
  // sample/<source>-<resource>.json
  const [source, ...rest] = file.replace(/\.json$/, '').split('-');
  vaultline('land', relative(process.cwd(), join(sampleDir, file)), '--source', source, '--resource', rest.join('_'));
}
vaultline('landing', 'ls');
vaultline('landing', 'verify');
