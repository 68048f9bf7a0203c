import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseYamlWithPositions, yamlSyntaxDiagnostics } from '../../config/yaml-positions.ts';
import { zodIssuesToDiagnostics } from '../../config/zod-diagnostics.ts';
import { type Diagnostic, displayPath } from '../../shared/diagnostics.ts';
import { DATE_RANGE, type Dashboard, dashboardSchema } from './schema.ts';

/** The folder of a project's dashboards, relative to the project (configurable later). */
export const DASHBOARDS_DIR = 'dashboards';

/** A dashboard's file name without `.yml`: what the routes and the page call it. */
export const DASHBOARD_NAME = /^[A-Za-z0-9_][A-Za-z0-9_-]*$/;

export interface DashboardFile {
  name: string;
  path: string;
  /** The file's modification time: part of the cache key, so an edited file is read again. */
  mtimeMs: number;
  /** Undefined when the file has errors (then `diagnostics` says which). */
  dashboard?: Dashboard;
  diagnostics: Diagnostic[];
}

/** Parses and checks one dashboard file's text; every problem with its file:line. */
export function parseDashboard(
  text: string,
  file: string,
): { dashboard?: Dashboard; diagnostics: Diagnostic[] } {
  const yaml = parseYamlWithPositions(text);
  if (yaml.errors.length > 0) return { diagnostics: yamlSyntaxDiagnostics(yaml, file) };
  const raw: unknown = yaml.doc.toJS() ?? {};
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    return {
      diagnostics: [{ file, line: 1, message: 'must be a mapping (title:, charts:, …)', severity: 'error' }],
    };
  const parsed = dashboardSchema.safeParse(raw);
  if (!parsed.success)
    return {
      diagnostics: zodIssuesToDiagnostics(parsed.error.issues, {
        file,
        yaml,
        schema: dashboardSchema,
        data: raw,
      }),
    };
  const diagnostics: Diagnostic[] = [];
  const problem = (path: (string | number)[], message: string, hint?: string) =>
    diagnostics.push({
      file,
      line: yaml.lineOf(path),
      message,
      severity: 'error',
      ...(hint ? { hint } : {}),
    });

  const dashboard = parsed.data;
  const chartNames = new Set<string>();
  dashboard.charts.forEach((chart, i) => {
    const at = `charts.${i} (${chart.name})`;
    if (chartNames.has(chart.name))
      problem(['charts', i, 'name'], `${at}: another chart is also named "${chart.name}"`);
    chartNames.add(chart.name);
    if ((chart.sql === undefined) === (chart.relation === undefined))
      problem(
        ['charts', i],
        `${at}: give exactly one of sql: and relation:`,
        'sql: one SELECT; relation: schema.table of a mart',
      );
    if (['line', 'bar', 'area'].includes(chart.type) && (chart.x === undefined || chart.y === undefined))
      problem(['charts', i], `${at}: a ${chart.type} chart needs x: (a column) and y: (a list of columns)`);
    if (chart.type === 'map' && (chart.lat === undefined || chart.lon === undefined))
      problem(['charts', i], `${at}: a map needs lat: and lon: (the columns of the points' coordinates)`);
    if (chart.series !== undefined && chart.y !== undefined && chart.y.length > 1)
      problem(['charts', i, 'series'], `${at}: series: splits one y column into series; give a single y:`);
    if (chart.aggregate !== undefined && (chart.type !== 'number' || chart.value === undefined))
      problem(
        ['charts', i, 'aggregate'],
        `${at}: aggregate: is for number charts, with value: naming the column`,
      );
    if (chart.drill && !/\$point\.[A-Za-z_]/.test(chart.drill.sql))
      problem(
        ['charts', i, 'drill', 'sql'],
        `${at}: drill.sql uses no $point.<column>: every point would drill to the same keys`,
      );
  });
  const filterNames = new Set<string>();
  dashboard.filters.forEach((filter, i) => {
    if (filterNames.has(filter.name))
      problem(['filters', i, 'name'], `filters.${i}: another filter is also named "${filter.name}"`);
    filterNames.add(filter.name);
    if (filter.type === 'date_range' && filter.default !== undefined && !DATE_RANGE.test(filter.default))
      problem(
        ['filters', i, 'default'],
        `filters.${i}.default must be YYYY-MM-DD..YYYY-MM-DD (either side may be empty)`,
      );
    filter.charts?.forEach((chart, j) => {
      if (!chartNames.has(chart))
        problem(
          ['filters', i, 'charts', j],
          `filters.${i}.charts: no chart named "${chart}"`,
          `charts: ${[...chartNames].join(', ')}`,
        );
    });
  });
  // In file order, as a user fixes them (stable: problems of one line keep their order).
  diagnostics.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  return diagnostics.length > 0 ? { diagnostics } : { dashboard, diagnostics };
}

/**
 * Reads dashboard files, memoized by modification time: a dashboard request stats its file and parses
 * it again only when it changed.
 */
export class DashboardLoader {
  private readonly parsed = new Map<string, DashboardFile>();

  constructor(private readonly dir: string) {}

  /** Every `*.yml` / `*.yaml` in the folder, by name (none when the folder does not exist). */
  list(): DashboardFile[] {
    if (!existsSync(this.dir)) return [];
    return readdirSync(this.dir)
      .filter((file) => /\.ya?ml$/.test(file))
      .sort()
      .map((file) => this.read(join(this.dir, file)));
  }

  /** The dashboard named `name`, or undefined when there is no such file. */
  get(name: string): DashboardFile | undefined {
    if (!DASHBOARD_NAME.test(name)) return undefined;
    for (const ext of ['.yml', '.yaml']) {
      const path = join(this.dir, `${name}${ext}`);
      if (existsSync(path)) return this.read(path);
    }
    return undefined;
  }

  private read(path: string): DashboardFile {
    const mtimeMs = statSync(path).mtimeMs;
    const known = this.parsed.get(path);
    if (known && known.mtimeMs === mtimeMs) return known;
    const name = basename(path).replace(/\.ya?ml$/, '');
    const file = displayPath(path);
    const result: DashboardFile = DASHBOARD_NAME.test(name)
      ? { name, path, mtimeMs, ...parseDashboard(readFileSync(path, 'utf8'), file) }
      : {
          name,
          path,
          mtimeMs,
          diagnostics: [
            {
              file,
              message: 'a dashboard file name must use letters, digits, _ and - only',
              severity: 'error',
            },
          ],
        };
    this.parsed.set(path, result);
    return result;
  }
}
