/**
 * Reading a step's result document for `runs show`: extract's --json document (summary, sources,
 * skipped: src/cli/extract.ts) and the run results of run/build/test/seed (src/run/results-file.ts).
 * The documents come from disk and from other versions: read defensively, never trusted to be whole.
 */

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  value !== null && typeof value === 'object' && !Array.isArray(value);
const list = (value: unknown): Json[] => (Array.isArray(value) ? value.filter(isObject) : []);
const num = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) ? value : 0);
const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** Per source of an extract step: totals, and which resources had new data and which had none. */
export function extractLines(result: unknown): string[] | undefined {
  if (!isObject(result) || !Array.isArray(result.summary)) return undefined;
  const sources = new Map(list(result.sources).map((s) => [str(s.source), s]));
  const rows = list(result.summary);
  const width = Math.max(0, ...rows.map((r) => (str(r.source) ?? '').length));
  const lines: string[] = [];
  for (const row of rows) {
    const name = str(row.source) ?? '?';
    if (name === 'total') continue;
    const parts = [`${num(row.objects)} object(s)`, `${num(row.records)} record(s) landed`];
    if (num(row.failures)) parts.push(`${num(row.failures)} failed request(s)`);
    if (num(row.skipped)) parts.push(`${num(row.skipped)} body(ies) builds will skip`);
    lines.push(`${name.padEnd(width)}  ${parts.join(', ')}`);
    const { fresh, empty } = resourcesOf(sources.get(name));
    if (fresh.length) lines.push(`${' '.repeat(width)}  new data: ${fresh.join(', ')}`);
    if (empty.length) lines.push(`${' '.repeat(width)}  no new data: ${empty.join(', ')}`);
    for (const failure of list(sources.get(name)?.failures).slice(0, 3))
      lines.push(
        `${' '.repeat(width)}  failed: ${str(failure.unit) ?? '?'}: ${firstLine(str(failure.message) ?? '')}`,
      );
  }
  const total = rows.find((r) => r.source === 'total');
  if (total)
    lines.push(
      `total: ${num(total.objects)} object(s), ${num(total.records)} record(s) from ${rows.length - 1} source(s)`,
    );
  for (const body of list(result.skipped).slice(0, 5))
    lines.push(`skipped ${str(body.key) ?? '?'}: ${str(body.reason) ?? ''}`);
  return lines;
}

/** Resources with records landed ("12 records"), and those whose every answer was "no data". */
function resourcesOf(source: Json | undefined): { fresh: string[]; empty: string[] } {
  const byResource = new Map<string, { records: number; objects: number; noData: number }>();
  for (const object of list(source?.objects)) {
    const name = str(object.resource) ?? '?';
    const entry = byResource.get(name) ?? { records: 0, objects: 0, noData: 0 };
    entry.objects++;
    entry.records += num(object.records);
    if (object.no_data !== undefined || num(object.records) === 0) entry.noData++;
    byResource.set(name, entry);
  }
  const fresh: string[] = [];
  const empty: string[] = [];
  for (const [name, entry] of byResource) {
    if (entry.records > 0) fresh.push(`${name} (${entry.records} record(s) in ${entry.objects} object(s))`);
    else empty.push(name);
  }
  return { fresh, empty };
}

/** Models built by status, vault rows added per table, tests passed and failed (by name). */
export function runResultLines(result: unknown): string[] | undefined {
  if (!isObject(result) || !Array.isArray(result.results)) return undefined;
  const nodes = list(result.results);
  const lines: string[] = [];
  const of = (kind: string) => nodes.filter((n) => n.resource_type === kind);
  for (const [kind, label] of [
    ['seed', 'seeds'],
    ['model', 'models'],
  ] as const) {
    const group = of(kind);
    if (group.length) lines.push(`${label}: ${byStatus(group)}${namesWith(group, ['error'], 'error')}`);
  }
  const vault = of('vault');
  if (vault.length) {
    const added = vault.filter((n) => num(n.rows_affected) > 0);
    const rows = added.reduce((sum, n) => sum + num(n.rows_affected), 0);
    const change = added.length
      ? `${rows} row(s) added to ${added.length} table(s)` +
        (added.length < vault.length ? `, ${vault.length - added.length} unchanged` : '')
      : 'no new rows, every table unchanged';
    lines.push(`vault: ${byStatus(vault)}${namesWith(vault, ['error'], 'error')}; ${change}`);
    const width = Math.max(0, ...added.map((n) => (str(n.name) ?? '').length));
    for (const node of added)
      lines.push(`  ${(str(node.name) ?? '?').padEnd(width)}  +${num(node.rows_affected)}`);
  }
  const tests = of('test');
  if (tests.length) {
    const passed = tests.filter((t) => t.status === 'pass').length;
    const failed = tests.filter((t) => t.status === 'fail' || t.status === 'error');
    const parts = [`${passed} passed`];
    if (failed.length) parts.push(`${failed.length} failed`);
    for (const status of ['warn', 'skipped']) {
      const count = tests.filter((t) => t.status === status).length;
      if (count) parts.push(`${count} ${status === 'warn' ? 'warned' : 'skipped'}`);
    }
    lines.push(`tests: ${parts.join(', ')}`);
    for (const test of failed)
      lines.push(
        `  FAIL ${str(test.name) ?? '?'}${str(test.message) ? `: ${firstLine(str(test.message) ?? '')}` : ''}`,
      );
  }
  for (const node of nodes.filter((n) => n.status === 'error'))
    lines.push(
      `error in ${str(node.name) ?? '?'}:`,
      ...firstLines(str(node.message) ?? 'no message', 3).map((l) => `  ${l}`),
    );
  return lines;
}

function byStatus(nodes: Json[]): string {
  const counts = new Map<string, number>();
  for (const node of nodes)
    counts.set(str(node.status) ?? '?', (counts.get(str(node.status) ?? '?') ?? 0) + 1);
  return [...counts].map(([status, count]) => `${count} ${status}`).join(', ');
}

function namesWith(nodes: Json[], statuses: string[], label: string): string {
  const names = nodes.filter((n) => statuses.includes(str(n.status) ?? '')).map((n) => str(n.name) ?? '?');
  return names.length ? ` (${label}: ${names.join(', ')})` : '';
}

export function firstLine(text: string): string {
  return text.split('\n', 1)[0] ?? '';
}

export function firstLines(text: string, count: number): string[] {
  const lines = text.trimEnd().split('\n');
  return lines.length > count
    ? [...lines.slice(0, count), `… (${lines.length - count} more line(s))`]
    : lines;
}
