/**
 * DESIGN.md Safety, on the run layer with a real DuckDB warehouse: a model, a test and a preview each
 * execute exactly one statement, and a preview runs read-only. Hostile input — a `--vars` value that
 * closes the quote and adds `DROP TABLE`, a model that is a DROP, DROP/ATTACH/COPY/multi-statement
 * inline previews, file-reading SELECTs — fails with a clear error and leaves the warehouse and the
 * filesystem as they were. (End to end through the CLI with the real renderer: cli-sql-safety.test.ts.)
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { GraphNode, NodeResult } from '../src/project/types.ts';
import { countRelations } from '../src/run/inventory.ts';
import { previewQuery } from '../src/run/preview.ts';
import { openWarehouse } from '../src/run/warehouse.ts';
import { test as dataTest, graphOf, miniRender, model, selectAll, source } from './helpers/run-graph.ts';
import { tempProject } from './helpers/run-project.ts';

const INJECTION = "3917'; DROP TABLE vault.hub_country; --";

describe('a model, a test and a preview execute exactly one statement', () => {
  const p = tempProject();
  after(() => p.cleanup());

  const hub = model('hub_country', "select 1 as id, 'ZA' as code union all select 2, 'BR'", {
    schema: 'vault',
  });
  const pick = model('pick', "select * from {{ ref('hub_country') }} where code = '{{ var('code') }}'");
  const other = model('answer', 'select 42 as answer');
  const eph = model('eph_pick', "select * from {{ ref('hub_country') }} where code = '{{ var('code') }}'", {
    materialized: 'ephemeral',
  });
  const usesEph = model('uses_eph', "select count(*) as n from {{ ref('eph_pick') }}");
  const singular: GraphNode = {
    ...dataTest('assert_code', 'hub_country', {
      rawSql: "select * from {{ ref('hub_country') }} where code = '{{ var('code') }}' and false",
    }),
    file: 'tests/assert_code.sql',
  };
  const graph = graphOf([hub, pick, other, eph, usesEph, singular]);
  const resultOf = (results: NodeResult[], name: string) =>
    results.find((r) => r.uniqueId.endsWith(`.${name}`))!;
  const snapshot = async () => {
    const { session } = await openWarehouse(p.config);
    try {
      return await countRelations(session);
    } finally {
      await session.close();
    }
  };

  before(async () => {
    const { result } = await p.run('build', selectAll(graph), { vars: { code: 'ZA' } });
    assert.equal(result.success, true, JSON.stringify(result.results.map((r) => [r.uniqueId, r.message])));
  });

  test('a --vars value that adds a statement fails its model, test and ephemeral user; nothing else changes', async () => {
    const before = await snapshot();
    const { result } = await p.run('build', selectAll(graph), { vars: { code: INJECTION } });
    assert.equal(result.success, false);
    const failed = resultOf(result.results, 'pick');
    assert.equal(failed.status, 'error');
    assert.match(
      failed.message ?? '',
      /^models\/pick\.sql: model pick: its SQL holds 2 statements \(the second begins on compiled line 1: select \* from "vault"\."hub_country" where code = '3917'; DROP TABLE vault\.hub_country; --'\), and a model runs exactly one query; nothing ran\. Remove the extra statement; .*\| sql_literal/,
    );
    // The ephemeral's own file is named, not the model it is inlined into.
    assert.match(
      resultOf(result.results, 'uses_eph').message ?? '',
      /^models\/eph_pick\.sql: model eph_pick: its SQL holds 2 statements/,
    );
    assert.match(
      resultOf(result.results, 'assert_code').message ?? '',
      /^tests\/assert_code\.sql: test assert_code: its SQL holds 2 statements/,
    );
    assert.equal(resultOf(result.results, 'answer').status, 'success', 'the rest of the build runs');
    assert.deepEqual(await snapshot(), before, 'hub_country still exists; pick keeps its previous rows');
    assert.deepEqual(await p.query('select code from main.pick'), [{ code: 'ZA' }]);
  });

  test('a model that is one statement but not a query is refused by its kind', async () => {
    const drop = model('dropper', 'drop table vault.hub_country');
    const { result } = await p.run('run', selectAll(graphOf([hub, drop]), [drop.uniqueId]));
    assert.match(
      result.results[0]!.message ?? '',
      /^models\/dropper\.sql: model dropper: its SQL is a DROP statement, not a query; nothing ran/,
    );
    assert.deepEqual(await p.query('select count(*)::int as n from vault.hub_country'), [{ n: 2 }]);
  });

  test('a sql: source holding two statements fails the model reading it, naming the YAML file', async () => {
    await p.land('demo', 'docs', '{"a": 1}', '2026-02-01T00:00:00Z');
    const src = source('demo', 'docs', {
      sql: 'select json from payload; drop table vault.hub_country',
      line: 7,
    });
    const reader = model('reads_docs', "select * from {{ source('demo', 'docs') }}");
    const { result } = await p.run('run', selectAll(graphOf([src, reader])));
    assert.match(
      result.results[0]!.message ?? '',
      /^models\/sources\.yml:7: source docs: its SQL holds 2 statements/,
    );
    assert.deepEqual(await p.query('select count(*)::int as n from vault.hub_country'), [{ n: 2 }]);
  });

  describe('previews: one SELECT on a read-only connection', () => {
    const base = () => ({ config: p.config, graph, render: miniRender, store: p.store, limit: 10 });
    const files = () => readdirSync(p.dir, { recursive: true }).map(String).sort();

    test('a query, with a trailing semicolon and comment, previews', async () => {
      const shown = await previewQuery({
        ...base(),
        inline: "select count(*) as n from {{ ref('hub_country') }}; -- how many",
      });
      assert.deepEqual(shown.rows, [{ n: 2 }]);
      const picked = await previewQuery({ ...base(), node: pick, vars: { code: 'BR' } });
      assert.deepEqual(picked.rows, [{ id: 2, code: 'BR' }]);
    });

    test('DROP, ATTACH, COPY, INSTALL, SET, PRAGMA, several statements and injected vars all fail; nothing changes', async () => {
      const before = await snapshot();
      const filesBefore = files();
      const cases: [string | { node: GraphNode; vars: Record<string, unknown> }, RegExp][] = [
        ['DROP TABLE vault.hub_country', /^--inline: inline query: its SQL is a DROP statement, not a query/],
        [`ATTACH '${join(p.dir, 'evil.duckdb')}' AS evil`, /is an ATTACH statement, not a query/],
        [`COPY (SELECT 1) TO '${join(p.dir, 'x.csv')}'`, /is a COPY statement, not a query/],
        ['INSTALL httpfs', /is an INSTALL statement/],
        ['SET enable_external_access = true', /is a SET statement/],
        ['PRAGMA database_size', /is a PRAGMA statement/],
        [
          'select 1;\ndrop table vault.hub_country',
          /^--inline: inline query: its SQL holds 2 statements \(the second begins on compiled line 2: drop table vault\.hub_country\), and a preview runs exactly one query/,
        ],
        [
          { node: pick, vars: { code: INJECTION } },
          /^models\/pick\.sql: model pick: its SQL holds 2 statements/,
        ],
      ];
      for (const [input, pattern] of cases) {
        const request = typeof input === 'string' ? { inline: input } : input;
        await assert.rejects(previewQuery({ ...base(), ...request }), (error: unknown) => {
          assert.equal((error as Error).name, 'NotOneQueryError', String(error));
          assert.match((error as Error).message, pattern);
          return true;
        });
      }
      assert.deepEqual(await snapshot(), before);
      assert.deepEqual(files(), filesBefore);
      assert.equal(existsSync(join(p.dir, 'evil.duckdb')), false);
    });

    test('a SELECT reading or writing files outside the warehouse fails on the read-only connection', async () => {
      for (const inline of [
        "select * from read_csv('/etc/passwd')",
        `select * from read_text('${join(p.dir, 'vaultline.yml')}')`,
        "select * from glob('/etc/*')",
      ]) {
        await assert.rejects(previewQuery({ ...base(), inline }), /disabled by configuration/, inline);
      }
    });
  });
});
