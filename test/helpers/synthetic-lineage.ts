import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A project of `models` models for lineage at scale (the UI's tests and bench/ui): model_i reads
 * model_{i-1} and, further upstream, model_{i/2}, so every node has neighbours near and far.
 */
export function writeSyntheticLineage(dir: string, models: number): void {
  writeFileSync(
    join(dir, 'vaultline.yml'),
    'name: synthetic\nwarehouse:\n  type: duckdb\n  path: .vaultline/warehouse.duckdb\n',
  );
  mkdirSync(join(dir, 'models'), { recursive: true });
  for (let i = 0; i < models; i++) {
    const half = Math.floor(i / 2);
    const sql =
      i === 0
        ? 'select 1 as id'
        : half !== i - 1 && half !== 0
          ? `select id from {{ ref('model_${i - 1}') }} union all select id from {{ ref('model_${half}') }}`
          : `select id from {{ ref('model_${i - 1}') }}`;
    writeFileSync(join(dir, 'models', `model_${i}.sql`), `${sql}\n`);
  }
}
