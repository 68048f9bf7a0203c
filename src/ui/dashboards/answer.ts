import type { Catalog } from '../../engine/catalog.ts';
import type { Session } from '../../engine/dialect.ts';
import {
  bindDrill,
  chartSource,
  dimensionOptionsQuery,
  filtersOf,
  jsonValue,
  missingColumns,
  singleQuery,
  wrapChartQuery,
} from './query.ts';
import type { Dashboard, DashboardChart, DashboardFilter } from './schema.ts';

type Read = <T>(work: (session: Session) => Promise<T>) => Promise<T>;

export interface ChartAnswer {
  name: string;
  title: string;
  type: DashboardChart['type'];
  x: string | null;
  y: string[];
  series: string | null;
  lat: string | null;
  lon: string | null;
  value: string | null;
  aggregate: DashboardChart['aggregate'] | null;
  drill: { hub: string } | null;
  columns: { name: string; type: string }[];
  /** One array per row, in the order of `columns`. */
  rows: unknown[][];
  /** More rows matched than `row_limit`: the chart shows the first `row_limit`. */
  capped: boolean;
  row_limit: number;
  error?: string;
}

export interface FilterAnswer {
  name: string;
  type: DashboardFilter['type'];
  column: string;
  label: string;
  value: string;
  /** dimension: the values to choose from. */
  options?: string[];
}

export interface DashboardAnswer {
  name: string;
  title: string;
  description: string | null;
  filters: FilterAnswer[];
  charts: ChartAnswer[];
}

/**
 * Every chart of a dashboard, each on a read connection of its own, all at the same time; a chart that
 * fails carries its error and the others still answer.
 */
export async function answerDashboard(
  read: Read,
  catalog: Catalog,
  name: string,
  dashboard: Dashboard,
  values: Record<string, string>,
): Promise<DashboardAnswer> {
  const [charts, filters] = await Promise.all([
    Promise.all(dashboard.charts.map((chart) => answerChart(read, catalog, dashboard, chart, values))),
    Promise.all(dashboard.filters.map((filter) => answerFilter(read, catalog, dashboard, filter, values))),
  ]);
  return { name, title: dashboard.title, description: dashboard.description ?? null, filters, charts };
}

async function answerChart(
  read: Read,
  catalog: Catalog,
  dashboard: Dashboard,
  chart: DashboardChart,
  values: Record<string, string>,
): Promise<ChartAnswer> {
  const base: ChartAnswer = {
    name: chart.name,
    title: chart.title ?? chart.name,
    type: chart.type,
    x: chart.x ?? null,
    y: chart.y ?? [],
    series: chart.series ?? null,
    lat: chart.lat ?? null,
    lon: chart.lon ?? null,
    value: chart.value ?? null,
    aggregate: chart.aggregate ?? null,
    drill: chart.drill ? { hub: chart.drill.hub } : null,
    columns: [],
    rows: [],
    capped: false,
    row_limit: 0,
  };
  try {
    return await read(async (session) => {
      const inner = await chartSource(session, catalog, chart);
      const columns = await catalog.queryColumns(session, inner);
      const filters = filtersOf(dashboard, chart);
      const missing = missingColumns(chart, filters, columns);
      if (missing.length > 0)
        throw new Error(
          `the query returns no column ${missing.join(', ')} (it returns ${columns.map((c) => c.name).join(', ')})`,
        );
      const { sql, params, limit } = wrapChartQuery(session.dialect, inner, chart, filters, values);
      const rows = await session.query(sql, { params });
      const aggregated = chart.type === 'number' && chart.aggregate !== undefined;
      const shown = aggregated ? columns.filter((c) => c.name === chart.value) : columns;
      const families = shown.map((c) => {
        const family = session.dialect.typeFamily(c.dataType);
        // A sum or mean of integers is NUMERIC on PostgreSQL (exact text): read back as a number.
        return aggregated && ['integer', 'float', 'decimal'].includes(family) ? 'decimal' : family;
      });
      return {
        ...base,
        columns: shown.map((c, i) => ({ name: c.name, type: families[i] ?? 'other' })),
        rows: rows.slice(0, limit).map((row) => shown.map((c, i) => jsonValue(row[c.name], families[i]))),
        capped: rows.length > limit,
        row_limit: limit,
      };
    });
  } catch (error) {
    return { ...base, error: error instanceof Error ? error.message : String(error) };
  }
}

async function answerFilter(
  read: Read,
  catalog: Catalog,
  dashboard: Dashboard,
  filter: DashboardFilter,
  values: Record<string, string>,
): Promise<FilterAnswer> {
  const answer: FilterAnswer = {
    name: filter.name,
    type: filter.type,
    column: filter.column,
    label: filter.label ?? filter.name,
    value: values[filter.name] ?? '',
  };
  if (filter.type !== 'dimension') return answer;
  // The choices: the column's values over the first chart the filter applies to, unfiltered.
  const chart = dashboard.charts.find((c) => filter.charts === undefined || filter.charts.includes(c.name));
  if (!chart) return { ...answer, options: [] };
  try {
    const options = await read(async (session) => {
      const inner = await chartSource(session, catalog, chart);
      const rows = await session.query<{ value: string }>(
        dimensionOptionsQuery(session.dialect, inner, filter.column),
      );
      return rows.map((r) => String(r.value));
    });
    return { ...answer, options };
  } catch {
    // The chart itself reports what is wrong with its query.
    return { ...answer, options: [] };
  }
}

/** The most keys a drill returns. */
export const MAX_DRILL_KEYS = 1000;

/** The hub keys behind one point of a chart: its drill SQL with the point's values bound. */
export async function answerDrill(
  read: Read,
  chart: DashboardChart & { drill: NonNullable<DashboardChart['drill']> },
  point: Record<string, unknown>,
): Promise<{ hub: string; keys: string[]; capped: boolean }> {
  const { sql, params } = bindDrill(chart.drill.sql, point);
  const keys = await read(async (session) => {
    const inner = await singleQuery(session, sql, 'drill.sql');
    const rows = await session.query<{ hk: unknown }>(
      `select distinct d.hk from (\n${inner}\n) d limit ${MAX_DRILL_KEYS + 1}`,
      { params },
    );
    return rows.map((r) => String(r.hk)).sort();
  });
  return {
    hub: chart.drill.hub,
    keys: keys.slice(0, MAX_DRILL_KEYS),
    capped: keys.length > MAX_DRILL_KEYS,
  };
}
