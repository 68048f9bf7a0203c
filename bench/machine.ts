/**
 * What every benchmark reports beside its figures (BENCHMARKS.md asks for machine, versions and load):
 * the machine's facts and the median of repeated runs. Shared by bench/vault-load and bench/landed-json.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

function sh(cmd: string): string {
  try {
    return execFileSync('sh', ['-c', cmd], { encoding: 'utf8' }).trim();
  } catch {
    return '?';
  }
}

/**
 * CPU model, cores, memory (free -h), Node, the installed DuckDB binding (and the pin, if different),
 * the installed PostgreSQL client (pg), OS.
 */
export function machine(root: string): Record<string, string> {
  const installed = JSON.parse(
    readFileSync(join(root, 'node_modules/@duckdb/node-api/package.json'), 'utf8'),
  ).version;
  const pinned = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).dependencies[
    '@duckdb/node-api'
  ];
  const pgVersion = JSON.parse(readFileSync(join(root, 'node_modules/pg/package.json'), 'utf8')).version;
  return {
    cpu: sh("grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'"),
    cores: sh('nproc'),
    memory: sh('free -h | awk \'/Mem:/ {print $2 " total, " $7 " available"}\''),
    node: process.version,
    duckdb: `@duckdb/node-api ${installed}${pinned !== installed ? ` (package.json: ${pinned})` : ''}`,
    pg: pgVersion,
    os: sh('uname -sr'),
  };
}
