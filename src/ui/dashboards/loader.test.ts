import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { formatDiagnostic } from '../../shared/diagnostics.ts';
import { DashboardLoader, parseDashboard } from './loader.ts';

const problems = (text: string) => parseDashboard(text, 'dashboards/d.yml').diagnostics.map(formatDiagnostic);

describe('dashboard files', () => {
  test('a valid file parses, with defaults', () => {
    const { dashboard, diagnostics } = parseDashboard(
      'title: T\ncharts:\n  - {name: c, type: table, relation: marts.m}\n',
      'd.yml',
    );
    assert.deepEqual(diagnostics, []);
    assert.deepEqual(dashboard?.filters, []);
    assert.equal(dashboard?.charts[0]?.relation, 'marts.m');
  });

  test('an unknown key is reported at its line, with a suggestion', () => {
    assert.deepEqual(problems('title: T\ncharts:\n  - name: c\n    type: table\n    relaton: marts.m\n'), [
      'dashboards/d.yml:5: charts.0.relaton is not a known key (did you mean "relation"?)',
    ]);
  });

  test('wrong types and values name the key and the line', () => {
    const found = problems('title: T\ncharts:\n  - name: c\n    type: pie\n    sql: select 1\n    y: x\n');
    assert.deepEqual(found, [
      'dashboards/d.yml:4: charts.0.type must be one of line, bar, area, table, number, map (got "pie")',
      'dashboards/d.yml:6: charts.0.y must be an array (got "x")',
    ]);
  });

  test('checks beyond the shape: one source, the columns a type needs, names, filter references', () => {
    const found = problems(
      [
        'title: T',
        'filters:',
        '  - {name: f, type: date_range, column: d, default: "last week", charts: [nope]}',
        'charts:',
        '  - {name: a, type: line, sql: select 1, relation: marts.m, y: [v]}',
        '  - {name: a, type: map, sql: select 1}',
        '  - {name: b, type: bar, sql: select 1, x: k, y: [v], aggregate: sum, drill: {hub: h, sql: select 1 as hk}}',
      ].join('\n'),
    );
    assert.deepEqual(found, [
      'dashboards/d.yml:3: filters.0.default must be YYYY-MM-DD..YYYY-MM-DD (either side may be empty)',
      'dashboards/d.yml:3: filters.0.charts: no chart named "nope" (charts: a, b)',
      'dashboards/d.yml:5: charts.0 (a): give exactly one of sql: and relation: (sql: one SELECT; relation: schema.table of a mart)',
      'dashboards/d.yml:5: charts.0 (a): a line chart needs x: (a column) and y: (a list of columns)',
      'dashboards/d.yml:6: charts.1 (a): another chart is also named "a"',
      "dashboards/d.yml:6: charts.1 (a): a map needs lat: and lon: (the columns of the points' coordinates)",
      'dashboards/d.yml:7: charts.2 (b): aggregate: is for number charts, with value: naming the column',
      'dashboards/d.yml:7: charts.2 (b): drill.sql uses no $point.<column>: every point would drill to the same keys',
    ]);
  });

  test('column names must be plain identifiers (they are spliced as quoted identifiers)', () => {
    const found = problems(
      'title: T\ncharts:\n  - {name: c, type: line, sql: select 1, x: "a\\" or 1=1 --", y: [v]}\n',
    );
    assert.equal(found.length, 1);
    assert.match(found[0] ?? '', /d\.yml:3: charts\.0\.x must be a column name/);
  });

  test('YAML syntax errors and a non-mapping file', () => {
    assert.match(problems('title: [\n')[0] ?? '', /^dashboards\/d\.yml:\d+: YAML syntax/);
    assert.deepEqual(problems('- a\n'), ['dashboards/d.yml:1: must be a mapping (title:, charts:, …)']);
  });

  test('the loader lists the folder, finds by name, and reads a file again when it changes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vaultline-dash-'));
    try {
      const loader = new DashboardLoader(join(dir, 'dashboards'));
      assert.deepEqual(loader.list(), []);
      const folder = join(dir, 'dashboards');
      mkdirSync(folder);
      const path = join(folder, 'one.yml');
      writeFileSync(path, 'title: One\ncharts: [{name: c, type: table, sql: select 1}]\n');
      writeFileSync(join(folder, 'two.yaml'), 'title: [\n');
      writeFileSync(join(folder, 'notes.txt'), 'not a dashboard');
      assert.deepEqual(
        loader.list().map((f) => [f.name, f.dashboard?.title ?? null, f.diagnostics.length > 0]),
        [
          ['one', 'One', false],
          ['two', null, true],
        ],
      );
      assert.equal(loader.get('../one'), undefined);
      assert.equal(loader.get('missing'), undefined);
      writeFileSync(path, 'title: Changed\ncharts: [{name: c, type: table, sql: select 1}]\n');
      const later = new Date(Date.now() + 5000);
      utimesSync(path, later, later);
      assert.equal(loader.get('one')?.dashboard?.title, 'Changed');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
