import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type TestWarehouse, testEngines } from '../../../test/helpers/engines.ts';
import type { Session } from '../../engine/dialect.ts';
import { answerDashboard, answerDrill } from './answer.ts';
import { parseDashboard } from './loader.ts';
import { bindDrill, DashboardFilterError, filterValues, jsonValue, wrapChartQuery } from './query.ts';
import type { Dashboard } from './schema.ts';

function dashboardOf(yaml: string): Dashboard {
  const { dashboard, diagnostics } = parseDashboard(yaml, 'd.yml');
  assert.deepEqual(diagnostics, []);
  return dashboard as Dashboard;
}

const DASHBOARD = `
title: Sales
filters:
  - {name: day, type: date_range, column: sold_at}
  - {name: shop, type: dimension, column: shop}
charts:
  - {name: per_day, type: bar, relation: dash.sales, x: shop, y: [amount]}
  - {name: total, type: number, sql: "select shop, sold_at, amount from dash.sales", value: amount, aggregate: sum}
  - name: keys
    type: table
    relation: dash.sales
    drill: {hub: hub_sale, sql: "select id as hk from dash.sales where shop = $point.shop and amount >= $point.amount"}
`;

describe('dashboard queries: filter values reach SQL only as parameters', () => {
  test('the wrapping SQL holds placeholders, never a value', () => {
    const dashboard = dashboardOf(DASHBOARD);
    const values = filterValues(dashboard, { day: '2025-01-02..2025-01-03', shop: "x' or '1'='1" });
    const chart = dashboard.charts[0];
    assert.ok(chart);
    const dialect = { quoteIdentifier: (n: string) => `"${n}"`, types: { text: 'text' } } as never;
    const { sql, params, limit } = wrapChartQuery(dialect, 'select 1', chart, dashboard.filters, values);
    assert.deepEqual(params, ['2025-01-02', '2025-01-03', "x' or '1'='1"]);
    assert.doesNotMatch(sql, /2025|or '1'/);
    assert.match(sql, /\$1/);
    assert.equal(limit, 5000);
    assert.match(sql, /limit 5001$/);
  });

  test('a date range must be YYYY-MM-DD..YYYY-MM-DD', () => {
    const dashboard = dashboardOf(DASHBOARD);
    assert.throws(
      () => filterValues(dashboard, { day: "2025-01-01'; drop table x; --" }),
      DashboardFilterError,
    );
    assert.deepEqual(filterValues(dashboard, { day: '..2025-01-01' }), { day: '..2025-01-01', shop: '' });
  });

  test('a drill binds each $point.<column> once, and refuses a point without it or with an object', () => {
    assert.deepEqual(
      bindDrill('select a from t where x = $point.x and y > $point.y or x2 = $point.x', { x: "'", y: 2 }),
      {
        sql: 'select a from t where x = $1 and y > $2 or x2 = $1',
        params: ["'", 2],
      },
    );
    assert.throws(() => bindDrill('select 1 where $point.z', {}), DashboardFilterError);
    assert.throws(() => bindDrill('select 1 where $point.z', { z: { a: 1 } }), DashboardFilterError);
  });

  test('result values as JSON', () => {
    assert.equal(jsonValue(12n), 12);
    assert.equal(jsonValue(2n ** 60n), '1152921504606846976');
    assert.equal(jsonValue(new Date('2025-01-15T00:00:00Z'), 'date'), '2025-01-15');
    assert.equal(jsonValue(new Date('2025-01-15T10:00:00Z'), 'timestamp'), '2025-01-15T10:00:00Z');
    assert.equal(jsonValue('2.50', 'decimal'), 2.5);
    assert.equal(jsonValue('2.50', 'text'), '2.50');
    assert.deepEqual(jsonValue([1n, { a: 2n }]), [1, { a: 2 }]);
  });
});

for (const engine of testEngines()) {
  describe(`dashboard queries on ${engine.name}`, () => {
    let warehouse: TestWarehouse;
    let session: Session;
    const read = <T>(work: (s: Session) => Promise<T>) => session.withConnection(work);
    before(async () => {
      warehouse = await engine.create();
      session = await warehouse.open();
      await session.execute('create schema dash');
      await session.execute(
        `create table dash.sales (id ${session.dialect.types.text}, shop ${session.dialect.types.text}, sold_at ${session.dialect.types.timestamp}, amount ${session.dialect.types.bigint})`,
      );
      await session.execute(`insert into dash.sales values
        ('s1', 'north', timestamp '2025-01-01 10:00:00', 5),
        ('s2', 'north', timestamp '2025-01-02 23:30:00', 7),
        ('s3', 'south', timestamp '2025-01-03 08:00:00', 11),
        ('s4', 'x'' or ''1''=''1', timestamp '2025-01-03 09:00:00', 13)`);
    });
    after(async () => {
      await session?.close();
      await warehouse?.drop();
    });

    test('every chart answers; filters narrow them; a quote in a value matches only itself', async () => {
      const dashboard = dashboardOf(DASHBOARD);
      const all = await answerDashboard(
        read,
        engine.engine.catalog,
        'sales',
        dashboard,
        filterValues(dashboard, {}),
      );
      assert.deepEqual(
        all.charts.map((c) => [c.name, c.error ?? null, c.rows.length]),
        [
          ['per_day', null, 4],
          ['total', null, 1],
          ['keys', null, 4],
        ],
      );
      assert.deepEqual(all.charts[1]?.rows, [[36]]);
      assert.deepEqual(all.filters[1]?.options, ['north', 'south', "x' or '1'='1"].sort());

      // The end day is whole: 2025-01-02 23:30 is in ..2025-01-02.
      const days = await answerDashboard(
        read,
        engine.engine.catalog,
        'sales',
        dashboard,
        filterValues(dashboard, { day: '2025-01-02..2025-01-02' }),
      );
      assert.deepEqual(days.charts[1]?.rows, [[7]]);

      const injected = await answerDashboard(
        read,
        engine.engine.catalog,
        'sales',
        dashboard,
        filterValues(dashboard, { shop: "x' or '1'='1" }),
      );
      assert.deepEqual(
        injected.charts[2]?.rows.map((r) => r[0]),
        ['s4'],
      );
      const nothing = await answerDashboard(
        read,
        engine.engine.catalog,
        'sales',
        dashboard,
        filterValues(dashboard, { shop: "' or 1=1 --" }),
      );
      assert.deepEqual(
        nothing.charts.map((c) => [c.error ?? null, c.rows.length]),
        [
          [null, 0],
          [null, 1],
          [null, 0],
        ],
      );
      assert.deepEqual(nothing.charts[1]?.rows, [[null]]);
    });

    test('a drill returns the keys behind a point, values bound', async () => {
      const dashboard = dashboardOf(DASHBOARD);
      const chart = dashboard.charts[2];
      assert.ok(chart?.drill);
      const drill = { ...chart, drill: chart.drill };
      assert.deepEqual(await answerDrill(read, drill, { shop: 'north', amount: 6 }), {
        hub: 'hub_sale',
        keys: ['s2'],
        capped: false,
      });
      assert.deepEqual((await answerDrill(read, drill, { shop: "north' or '1'='1", amount: 0 })).keys, []);
    });

    test('a chart that is not one query, or reads a missing relation or column, carries its error', async () => {
      const dashboard = dashboardOf(`
title: Bad
charts:
  - {name: two, type: table, sql: "select 1 as a; select 2 as a"}
  - {name: ddl, type: table, sql: "drop table dash.sales"}
  - {name: gone, type: table, relation: dash.nothing}
  - {name: column, type: line, relation: dash.sales, x: shop, y: [nope]}
  - {name: fine, type: table, relation: dash.sales}
`);
      const answer = await answerDashboard(read, engine.engine.catalog, 'bad', dashboard, {});
      const errors = Object.fromEntries(answer.charts.map((c) => [c.name, c.error ?? null]));
      assert.match(errors.two ?? '', /2 statements/);
      assert.match(errors.ddl ?? '', /must be one SELECT; this is a DROP statement/);
      assert.match(errors.gone ?? '', /dash\.nothing is not in the warehouse/);
      assert.match(errors.column ?? '', /returns no column nope/);
      assert.equal(errors.fine, null);
      assert.equal((await session.query('select count(*) as n from dash.sales'))[0]?.n !== undefined, true);
    });
  });
}
