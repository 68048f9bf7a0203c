import type { Catalog, Column } from '../../engine/catalog.ts';
import type { Dialect, Session, SqlParam, TypeFamily } from '../../engine/dialect.ts';
import { VaultlineError } from '../../shared/errors.ts';
import { DATE_RANGE, type Dashboard, type DashboardChart, type DashboardFilter, MAX_ROWS } from './schema.ts';

/** A filter value from the request that is not of the filter's form (answered with 400). */
export class DashboardFilterError extends VaultlineError {}

/** A chart that cannot be answered: its message is shown in the chart's place. */
export class ChartQueryError extends VaultlineError {}

/** Each filter's value as text: from the request, else its default, else '' (no filtering). */
export function filterValues(
  dashboard: Dashboard,
  query: Record<string, string | undefined>,
): Record<string, string> {
  const values: Record<string, string> = {};
  for (const filter of dashboard.filters) {
    const value = query[filter.name] ?? filter.default ?? '';
    if (filter.type === 'date_range' && value !== '' && !DATE_RANGE.test(value))
      throw new DashboardFilterError(
        `filter ${filter.name}: "${value}" is not a date range (YYYY-MM-DD..YYYY-MM-DD, either side may be empty)`,
      );
    values[filter.name] = value;
  }
  return values;
}

export function filtersOf(dashboard: Dashboard, chart: DashboardChart): DashboardFilter[] {
  return dashboard.filters.filter((f) => f.charts === undefined || f.charts.includes(chart.name));
}

/**
 * The chart's query wrapped with its filters, as SQL text and parameters: every filter value is a bind
 * parameter ($1 …), never part of the text; only quoted identifiers of the dashboard file are spliced.
 * `limit + 1` rows are asked for, so the caller knows whether the answer was capped.
 */
export function wrapChartQuery(
  dialect: Dialect,
  inner: string,
  chart: DashboardChart,
  filters: readonly DashboardFilter[],
  values: Record<string, string>,
): { sql: string; params: SqlParam[]; limit: number } {
  const params: SqlParam[] = [];
  const bind = (value: SqlParam) => {
    params.push(value);
    return `$${params.length}`;
  };
  const column = (name: string) => `q.${dialect.quoteIdentifier(name)}`;
  const conditions: string[] = [];
  for (const filter of filters) {
    const value = values[filter.name] ?? '';
    if (value === '') continue;
    if (filter.type === 'dimension') {
      conditions.push(`cast(${column(filter.column)} as ${dialect.types.text}) = ${bind(value)}`);
      continue;
    }
    const [, from, to] = DATE_RANGE.exec(value) ?? [];
    // The end day is included whole, whether the column is a date or a timestamp.
    if (from) conditions.push(`${column(filter.column)} >= cast(${bind(from)} as date)`);
    if (to) conditions.push(`${column(filter.column)} < cast(${bind(to)} as date) + interval '1 day'`);
  }
  const orderBy = chart.order_by ?? (['line', 'bar', 'area'].includes(chart.type) ? chart.x : undefined);
  const aggregated = chart.type === 'number' && chart.aggregate !== undefined;
  const limit = Math.min(chart.limit ?? MAX_ROWS, MAX_ROWS);
  const sql = [
    `select ${selectList(dialect, chart)} from (\n${inner}\n) q`,
    conditions.length > 0 ? `where ${conditions.join('\n  and ')}` : '',
    orderBy && !aggregated ? `order by ${column(orderBy)}${chart.descending ? ' desc' : ''} nulls last` : '',
    `limit ${limit + 1}`,
  ]
    .filter(Boolean)
    .join('\n');
  return { sql, params, limit };
}

/** `*`, or for a number with `aggregate:` the one aggregate of its value column (named as the column). */
function selectList(dialect: Dialect, chart: DashboardChart): string {
  if (chart.type !== 'number' || chart.aggregate === undefined || chart.value === undefined) return '*';
  const column = dialect.quoteIdentifier(chart.value);
  const call =
    chart.aggregate === 'avg'
      ? `cast(avg(q.${column}) as double precision)`
      : `${chart.aggregate}(q.${column})`;
  return `${call} as ${column}`;
}

/** The distinct values of a dimension filter's column over a chart's query (the filter's choices). */
export function dimensionOptionsQuery(dialect: Dialect, inner: string, column: string): string {
  const quoted = dialect.quoteIdentifier(column);
  return `select value from (select distinct cast(q.${quoted} as ${dialect.types.text}) as value from (\n${inner}\n) q) d where value is not null order by value collate "C" limit 500`;
}

/**
 * A drill's SQL with each `$point.<column>` replaced by a parameter bound to the point's value of that
 * column: the clicked values never become SQL text.
 */
export function bindDrill(sql: string, point: Record<string, unknown>): { sql: string; params: SqlParam[] } {
  const params: SqlParam[] = [];
  const index = new Map<string, number>();
  const text = sql.replace(/\$point\.([A-Za-z_][A-Za-z0-9_]*)/g, (_, name: string) => {
    let at = index.get(name);
    if (at === undefined) {
      if (!(name in point))
        throw new DashboardFilterError(`the point has no value for ${name} (the drill uses $point.${name})`);
      const value = point[name];
      if (value !== null && !['string', 'number', 'boolean'].includes(typeof value))
        throw new DashboardFilterError(`the point's ${name} must be a string, number, boolean or null`);
      params.push(value as SqlParam);
      at = params.length;
      index.set(name, at);
    }
    return `$${at}`;
  });
  return { sql: text, params };
}

/** The SELECT a chart reads: its relation (checked against the catalog) or its one query. */
export async function chartSource(
  session: Session,
  catalog: Catalog,
  chart: DashboardChart,
): Promise<string> {
  if (chart.relation !== undefined) {
    const [schema = '', name = ''] = chart.relation.split('.');
    if ((await catalog.relationKind(session, schema, name)) === undefined)
      throw new ChartQueryError(
        `relation ${chart.relation} is not in the warehouse (build it first, or check its schema and name)`,
      );
    return `select * from ${session.dialect.relation(schema, name)}`;
  }
  return singleQuery(session, chart.sql ?? '', 'sql');
}

/** `sql` checked by the engine's parser to be exactly one query; its text ready to wrap. */
export async function singleQuery(session: Session, sql: string, what: string): Promise<string> {
  const statement = await session.singleStatement(sql);
  if (statement.kind !== 'query')
    throw new ChartQueryError(`${what} must be one SELECT; this is a ${statement.keyword} statement`);
  return statement.text;
}

/** The columns a chart and its filters name that its query does not return. */
export function missingColumns(
  chart: DashboardChart,
  filters: readonly DashboardFilter[],
  columns: readonly Column[],
): string[] {
  const have = new Set(columns.map((c) => c.name));
  const wanted = [
    chart.x,
    ...(chart.y ?? []),
    chart.series,
    chart.lat,
    chart.lon,
    chart.value,
    chart.order_by,
    ...filters.map((f) => f.column),
  ];
  return [...new Set(wanted.filter((c): c is string => c !== undefined && !have.has(c)))];
}

/**
 * A result value as JSON can carry it: BIGINT as a number while exact (else its digits), dates as
 * `YYYY-MM-DD`, timestamps as ISO text, PostgreSQL's exact numeric text as a number for a chart.
 */
export function jsonValue(value: unknown, family?: TypeFamily): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint')
    return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER)
      ? Number(value)
      : value.toString();
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return null;
    const iso = value.toISOString();
    return family === 'date' ? iso.slice(0, 10) : iso.replace(/\.000Z$/, 'Z');
  }
  if (
    typeof value === 'string' &&
    family === 'decimal' &&
    value.trim() !== '' &&
    Number.isFinite(Number(value))
  )
    return Number(value);
  if (value instanceof Uint8Array) return Buffer.from(value).toString('hex');
  if (Array.isArray(value)) return value.map((v) => jsonValue(v));
  if (typeof value === 'object')
    return Object.fromEntries(Object.entries(value as object).map(([k, v]) => [k, jsonValue(v)]));
  return value;
}
