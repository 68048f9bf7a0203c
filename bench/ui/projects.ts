/**
 * The benchmark's projects, written to temp folders (serveExample copies them and serves the copy):
 * - lineageProject(n): n models, model_i reads model_{i-1} and model_{i/2} (far upstream), as
 *   test/ui/lineage.test.ts generates them; never built (the lineage and node pages read the manifest).
 * - martProject(rows, slow): a DuckDB project with the table `tables.big` of `rows` rows, the view
 *   `marts.big_mart` over it, dashboards/big.yml (8 charts, a date filter and a dimension filter),
 *   a job `big` that builds both, and a job `slow` whose one model keeps DuckDB busy until cancelled.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeSyntheticLineage } from '../../test/helpers/synthetic-lineage.ts';

export function lineageProject(models: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'vaultline-bench-ui-lineage-'));
  writeSyntheticLineage(dir, models);
  return dir;
}

/** A join DuckDB cannot finish soon (3·10^12 pairs): the build the measurements run beside. */
export const SLOW_SQL =
  'select count(*) as n from range(100000000) a, range(30000) b where a.range * b.range = -1';

/** The jobs of the run history (history.ts) exist too, so the Runs pages know them. */
export const HISTORY_JOBS = ['hourly', 'nightly', 'refresh'] as const;

export function martProject(rows: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'vaultline-bench-ui-mart-'));
  const jobs = HISTORY_JOBS.map((job) => `  ${job}:\n    steps: ["parse"]\n`).join('');
  writeFileSync(
    join(dir, 'vaultline.yml'),
    [
      'name: bench_ui',
      'warehouse:\n  type: duckdb\n  path: .vaultline/warehouse.duckdb',
      'models:\n  bench_ui:',
      '    tables:\n      +materialized: table\n      +schema: tables',
      '    marts:\n      +materialized: view\n      +schema: marts',
      '    slow:\n      +materialized: table\n      +schema: slow',
      'jobs:',
      '  big:\n    steps: ["build --select +big_mart"]',
      '  slow:\n    steps: ["build --select slow_count"]',
      jobs,
    ].join('\n'),
  );
  for (const folder of ['tables', 'marts', 'slow'])
    mkdirSync(join(dir, 'models', folder), { recursive: true });
  writeFileSync(
    join(dir, 'models', 'tables', 'big.sql'),
    `select range as id, date '2020-01-01' + cast(range % 1500 as integer) as day, range % 97 as k, random() as v from range(${rows})\n`,
  );
  writeFileSync(join(dir, 'models', 'marts', 'big_mart.sql'), "select * from {{ ref('big') }}\n");
  writeFileSync(join(dir, 'models', 'slow', 'slow_count.sql'), `${SLOW_SQL}\n`);
  mkdirSync(join(dir, 'dashboards'));
  writeFileSync(join(dir, 'dashboards', 'big.yml'), BIG_DASHBOARD);
  // One dashboard per chart too (chart_<name>): where a whole dashboard's time goes.
  const [head = '', charts = ''] = BIG_DASHBOARD.split('charts:\n');
  const filters = head.split('\n').filter((line) => line.startsWith('  - {'));
  for (const chart of charts.split(/(?= {2}- name: )/)) {
    const name = /name: (\w+)/.exec(chart)?.[1] ?? '';
    const own = filters.filter(
      (f) => f.includes(` ${name},`) || f.includes(` ${name}]`) || f.includes(`[${name},`),
    );
    writeFileSync(
      join(dir, 'dashboards', `chart_${name}.yml`),
      `title: ${name}\nfilters:\n${own.map((f) => f.replace(/, charts: \[[^\]]*\]/, '')).join('\n')}\ncharts:\n${chart}`,
    );
  }
  return dir;
}

export const BIG_CHARTS = ['per_day', 'per_k', 'spread', 'rows', 'total', 'top', 'buckets', 'per_k_table'];

/** 8 charts over marts.big_mart; the date filter narrows the 6 charts that have a `day` column. */
const BIG_DASHBOARD = `title: Big mart
description: 8 charts over a 10M-row mart (bench/ui).
filters:
  - {name: day, type: date_range, column: day, charts: [per_day, spread, rows, total, top, buckets]}
  - {name: k, type: dimension, column: k, charts: [per_k, per_k_table]}
charts:
  - name: per_day
    type: line
    sql: select day, sum(v) as v from marts.big_mart group by day
    x: day
    y: [v]
  - name: per_k
    type: bar
    sql: select k, sum(v) as v from marts.big_mart group by k
    x: k
    y: [v]
  - name: spread
    type: area
    sql: select day, avg(v) as v_avg, max(v) as v_max from marts.big_mart group by day
    x: day
    y: [v_avg, v_max]
  - name: rows
    type: number
    relation: marts.big_mart
    value: id
    aggregate: count
  - name: total
    type: number
    relation: marts.big_mart
    value: v
    aggregate: sum
  - name: top
    type: table
    sql: select id, day, k, v from marts.big_mart
    order_by: v
    descending: true
    limit: 20
  - name: buckets
    type: line
    sql: select day, k % 5 as bucket, count(*) as n from marts.big_mart group by day, k % 5
    x: day
    y: [n]
    series: bucket
  - name: per_k_table
    type: table
    sql: select k, count(*) as n, avg(v) as avg_v from marts.big_mart group by k
    order_by: n
    descending: true
    limit: 20
`;
