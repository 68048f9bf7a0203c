import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { engineFor } from '../../engine/engine.ts';
import { loadTempProject } from '../test-project.ts';
import { JinjaEngine } from './engine.ts';
import { TemplateRenderError } from './errors.ts';
import { Relation } from './relation.ts';
import { sqlLiteral } from './sql-literal.ts';
import type { JinjaState } from './state.ts';

const { literal } = engineFor('duckdb').dialect;
const quote = (value: unknown) => sqlLiteral(value, (v) => literal(v));

function state(vars: Record<string, unknown>): JinjaState {
  return {
    label: 'model m',
    phase: 'render',
    ref: (name) => new Relation(`"main"."${name}"`),
    source: (s, t) => new Relation(`"sources"."${s}__${t}"`),
    config: () => undefined,
    configGet: () => null,
    variable: (name, fallback) => (Object.hasOwn(vars, name) ? vars[name] : fallback?.value),
    isIncremental: () => false,
    thisRelation: new Relation('"main"."m"'),
    target: {},
    dialect: 'duckdb',
    literal: (v) => literal(v),
    env: { COUNTRY: "Côte d'Ivoire" },
    log: () => undefined,
  };
}

function render(text: string, vars: Record<string, unknown> = {}): string {
  const engine = new JinjaEngine();
  const { template, problem } = engine.compile(`k${Math.random()}`, 'models/m.sql', text);
  assert.equal(problem, undefined, problem?.message);
  return engine.render(template!, 'models/m.sql', state(vars));
}

describe('sqlLiteral', () => {
  it('strings quoted with quotes doubled; numbers, booleans, null as SQL; lists as comma lists', () => {
    assert.equal(quote('ZA'), "'ZA'");
    assert.equal(
      quote("3917'; DROP TABLE vault.hub_country; --"),
      "'3917''; DROP TABLE vault.hub_country; --'",
    );
    assert.equal(quote(42), '42');
    assert.equal(quote(-2.5), '-2.5');
    assert.equal(quote(12345678901234567890n), '12345678901234567890');
    assert.equal(quote(true), 'TRUE');
    assert.equal(quote(null), 'NULL');
    assert.equal(quote(['a', "b'c", 3]), "'a', 'b''c', 3");
    assert.equal(quote([]), 'NULL');
    assert.equal(quote(new Relation('"main"."x"')), `'"main"."x"'`);
  });

  it('refuses undefined, mappings and nested lists, saying what to do', () => {
    assert.throws(() => quote(undefined), /undefined value \(a misspelled variable name\?\)/);
    assert.throws(
      () => quote({ a: 1 }),
      /quotes strings, numbers, booleans, null and lists of them \(got \{"a":1\}\)/,
    );
    assert.throws(() => quote([[1]]), /not a list of lists/);
  });

  it('a hostile value stays one string literal: DuckDB parses the result as one query', async () => {
    const session = await engineFor('duckdb').openScratch(':memory:');
    try {
      for (const hostile of [
        "'; DROP TABLE t; --",
        "\\'; DROP TABLE t; --",
        '$$; DROP TABLE t; $$',
        "a'||'b",
      ]) {
        const sql = `select ${quote(hostile)} as v`;
        assert.equal((await session.singleStatement(sql)).kind, 'query', sql);
        assert.deepEqual(await session.query(sql), [{ v: hostile }]);
      }
    } finally {
      await session.close();
    }
  });
});

describe('the sql_literal filter', () => {
  it("renders var() and env_var() values through the engine's quoting", () => {
    assert.equal(
      render(
        "where code = {{ var('code') | sql_literal }} and id in ({{ var('ids') | sql_literal }}) and name = {{ env_var('COUNTRY') | sql_literal }} and x = {{ var('missing', none) | sql_literal }}",
        { code: "3917'; DROP TABLE x; --", ids: [1, 2] },
      ),
      "where code = '3917''; DROP TABLE x; --' and id in (1, 2) and name = 'Côte d''Ivoire' and x = NULL",
    );
  });

  it('misuse is a template error with the line of the var() call', () => {
    assert.throws(
      () => render("select 1\nwhere x = {{ var('point') | sql_literal }}", { point: { x: 1 } }),
      (e: unknown) =>
        e instanceof TemplateRenderError &&
        e.problem.line === 2 &&
        /sql_literal quotes strings, numbers, booleans, null and lists/.test(e.problem.message),
    );
    assert.throws(() => render('{{ no_such_name | sql_literal }}'), /undefined value/);
  });

  it('misuse is found when the project is parsed, with file and line', async () => {
    const { graph, cleanup } = await loadTempProject(
      {
        'models/m.sql': "select 1\nwhere x = {{ var('point') | sql_literal }}",
      },
      { vars: { point: { x: 1 } } },
    );
    try {
      const errors = graph.diagnostics.filter((d) => d.severity === 'error');
      assert.deepEqual(
        errors.map((d) => [d.file, d.line]),
        [['models/m.sql', 2]],
      );
      assert.match(errors[0]!.message, /sql_literal quotes strings/);
    } finally {
      await cleanup();
    }
  });
});
