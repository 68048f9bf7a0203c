import { z } from 'zod';

/**
 * One dashboard file, `dashboards/<name>.yml`: filters and charts over the warehouse. Strict: an
 * unknown key is a diagnostic with its line (loader.ts), never silently ignored.
 *
 * Column names (x, y, filter columns …) are spliced into the wrapping SQL as quoted identifiers, so
 * they are restricted to plain identifiers here; filter values only ever reach SQL as bind parameters.
 */
const identifier = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a column name (letters, digits, _; not starting with a digit)');

const name = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_-]*$/, 'must use letters, digits, _ and - (not starting with a digit or -)');

/** `schema.table` of a mart (or any relation), validated against the warehouse catalog when queried. */
const relation = z
  .string()
  .regex(
    /^[A-Za-z_][A-Za-z0-9_]*\.[A-Za-z_][A-Za-z0-9_]*$/,
    'must be schema.table, e.g. marts.weather_daily',
  );

/** A date range as text, `YYYY-MM-DD..YYYY-MM-DD`; either side may be empty (open). */
export const DATE_RANGE = /^(\d{4}-\d{2}-\d{2})?\.\.(\d{4}-\d{2}-\d{2})?$/;

export const filterSchema = z.strictObject({
  name,
  type: z.enum(['date_range', 'dimension']),
  column: identifier,
  label: z.string().optional(),
  /** date_range: `from..to` (either side may be empty); dimension: one value. */
  default: z.string().optional(),
  /** The charts the filter applies to (default: every chart). */
  charts: z.array(name).optional(),
});

export const drillSchema = z.strictObject({
  /**
   * One SELECT returning the hub keys behind a point, as column `hk`; `$point.<column>` stands for the
   * clicked point's value of that column (bound as a parameter).
   */
  sql: z.string().min(1),
  /** The hub the keys belong to (the provenance page is `#/provenance/<hub>/<hk>`). */
  hub: identifier,
});

export const chartSchema = z.strictObject({
  name,
  title: z.string().optional(),
  type: z.enum(['line', 'bar', 'area', 'table', 'number', 'map']),
  sql: z.string().min(1).optional(),
  relation: relation.optional(),
  x: identifier.optional(),
  y: z.array(identifier).min(1).optional(),
  /** A column whose values split the rows into one series each (line, bar, area). */
  series: identifier.optional(),
  lat: identifier.optional(),
  lon: identifier.optional(),
  /** number: the column shown (default: the first); map: the column sizing the points. */
  value: identifier.optional(),
  /**
   * number: how the rows make one number, computed by the warehouse over the filtered rows (so a
   * filter narrows it); without it the number is the first row's `value`.
   */
  aggregate: z.enum(['sum', 'min', 'max', 'avg', 'count']).optional(),
  /** The column the rows are ordered by (default: x for line, bar and area; else the query's order). */
  order_by: identifier.optional(),
  descending: z.boolean().optional(),
  /** Rows at most (default and ceiling: MAX_ROWS). */
  limit: z.number().int().positive().optional(),
  drill: drillSchema.optional(),
});

export const dashboardSchema = z.strictObject({
  title: z.string().min(1),
  description: z.string().optional(),
  filters: z.array(filterSchema).default([]),
  charts: z.array(chartSchema).min(1),
});

export type DashboardFilter = z.infer<typeof filterSchema>;
export type DashboardChart = z.infer<typeof chartSchema>;
export type Dashboard = z.infer<typeof dashboardSchema>;

/** The most rows a chart returns (a chart's `limit` may ask for fewer). */
export const MAX_ROWS = 5000;
