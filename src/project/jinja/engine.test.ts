import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { JinjaEngine } from './engine.ts';
import { TemplateRenderError } from './errors.ts';
import { Relation } from './relation.ts';
import { wrapMacroBodies } from './return-shim.ts';
import type { JinjaState } from './state.ts';

/** The brief's macros, verbatim. */
const BRIEF_MACROS = `{% macro hash_key(expr) -%}
{{ return(adapter.dispatch('hash_key', 'cloud_dw_datavault')(expr)) }}
{%- endmacro %}
{% macro default__hash_key(expr) -%}
sha256(upper(trim({{ expr }})))
{%- endmacro %}
{% macro hash_diff(cols) -%}
sha256(upper(trim({{ cols | join(" || '|' || ") }})))
{%- endmacro %}
`;

function state(
  overrides: Partial<JinjaState> = {},
): JinjaState & { logs: string[]; configs: Record<string, unknown>[] } {
  const logs: string[] = [];
  const configs: Record<string, unknown>[] = [];
  return {
    label: 'model m',
    phase: 'render',
    ref: (name, project) =>
      new Relation(`"main"."${project ? `${project}_` : ''}${name}"`, { schema: 'main', identifier: name }),
    source: (s, t) => new Relation(`"sources"."${s}__${t}"`),
    config: (values) => {
      configs.push(values);
    },
    configGet: () => null,
    variable: (name, fallback) => {
      if (name === 'known') return 42;
      if (fallback) return fallback.value;
      throw new Error(`no var ${name}`);
    },
    isIncremental: () => false,
    thisRelation: new Relation('"main"."m"', { schema: 'main', identifier: 'm' }),
    target: { name: 'dev', type: 'duckdb', schema: 'main' },
    dialect: 'duckdb',
    // Marks what it quotes, so a test sees the filter delegate to the engine's quoting.
    literal: (value) => (typeof value === 'string' ? `q'${value.replaceAll("'", "''")}'` : `q:${value}`),
    env: { PLAIN: 'value' },
    log: (message, level) => {
      logs.push(`${level}:${message}`);
    },
    ...overrides,
    logs,
    configs,
  };
}

function render(engine: JinjaEngine, text: string, s: JinjaState = state()): string {
  const key = `k${Math.random()}`;
  const { template, problem } = engine.compile(key, 'models/m.sql', text);
  assert.equal(problem, undefined, problem?.message);
  return engine.render(template!, 'models/m.sql', s);
}

describe('JinjaEngine: the brief macros', () => {
  it('registers them from a file and renders hash_key via adapter.dispatch and return()', () => {
    const engine = new JinjaEngine();
    const { definitions, problems } = engine.loadMacroFile('macros/hashing.sql', BRIEF_MACROS);
    assert.deepEqual(problems, []);
    assert.deepEqual(
      definitions.map((d) => [d.name, d.line, d.arguments?.map((a) => a.name)]),
      [
        ['hash_key', 1, ['expr']],
        ['default__hash_key', 4, ['expr']],
        ['hash_diff', 7, ['cols']],
      ],
    );
    assert.equal(
      render(
        engine,
        `select {{ hash_key("cast(id as varchar)") }} as hk, {{ hash_diff(['a', 'b', 'c']) }} as hd`,
      ),
      `select sha256(upper(trim(cast(id as varchar)))) as hk, sha256(upper(trim(a || '|' || b || '|' || c))) as hd`,
    );
  });

  it('dispatch prefers <dialect>__name over default__name', () => {
    const engine = new JinjaEngine();
    engine.loadMacroFile('macros/hashing.sql', BRIEF_MACROS);
    engine.loadMacroFile(
      'macros/duck.sql',
      '{% macro duckdb__hash_key(expr) %}md5({{ expr }}){% endmacro %}',
    );
    assert.equal(render(engine, '{{ hash_key("x") }}'), 'md5(x)');
    assert.equal(
      render(engine, '{{ hash_key("x") }}', state({ dialect: 'postgres' })),
      'sha256(upper(trim(x)))',
    );
  });

  it('dispatch without any candidate says which macros it looked for', () => {
    const engine = new JinjaEngine();
    const { template } = engine.compile('t', 'models/m.sql', "\n{{ adapter.dispatch('nothing')() }}");
    assert.throws(
      () => engine.render(template!, 'models/m.sql', state()),
      (e: unknown) =>
        e instanceof TemplateRenderError &&
        e.problem.line === 2 &&
        /found no macro duckdb__nothing or default__nothing/.test(e.problem.message),
    );
  });
});

describe('JinjaEngine: return()', () => {
  it('returns non-text values to the caller (lists, numbers)', () => {
    const engine = new JinjaEngine();
    engine.loadMacroFile(
      'macros/cols.sql',
      "{% macro cols() %}{{ return(['a', 'b']) }}{% endmacro %}{% macro two() %}{{ return(2) }}{% endmacro %}",
    );
    assert.equal(
      render(engine, "{{ cols() | join(', ') }} {{ cols() | length }} {{ two() + 1 }}"),
      'a, b 2 3',
    );
  });

  it('a macro defined and used in the same template leaves the template intact after return()', () => {
    const engine = new JinjaEngine();
    const out = render(
      engine,
      '{% set before = "kept" %}{% macro m(x) %}ignored {{ return(x ~ "!") }} never{% endmacro %}{{ m("a") }} {{ before }} {{ m("b") }}',
    );
    assert.equal(out, 'a! kept b!');
  });

  it('call blocks (compiled like macros) still work with the patch', () => {
    const engine = new JinjaEngine();
    engine.loadMacroFile(
      'macros/wrap.sql',
      '{% macro wrap(tag) %}<{{ tag }}>{{ caller() }}</{{ tag }}>{% endmacro %}',
    );
    assert.equal(
      render(engine, '{% set x = 1 %}{% call wrap("b") %}inside {{ x }}{% endcall %} after {{ x }}'),
      '<b>inside 1</b> after 1',
    );
  });

  it('a macro returning a SafeString-built list keeps plain values in config()', () => {
    const engine = new JinjaEngine();
    engine.loadMacroFile('macros/t.sql', '{% macro tag() %}marts{% endmacro %}');
    const s = state();
    render(engine, '{{ config(tags=[tag()]) }}', s);
    assert.deepEqual(s.configs, [{ tags: ['marts'] }]);
  });

  it('the compiled-code patch fails loudly if nunjucks changes shape', () => {
    assert.throws(() => wrapMacroBodies('var callerFrame = frame;\n something else'), /pin nunjucks 3.2.4/);
  });
});

describe('JinjaEngine: dbt functions and syntax', () => {
  it('macros from every file are callable from each other without import', () => {
    const engine = new JinjaEngine();
    engine.loadMacroFile('macros/a.sql', '{% macro outer(x) %}[{{ inner(x) }}]{% endmacro %}');
    engine.loadMacroFile('macros/b.sql', '{% macro inner(x) %}{{ x | upper }}{% endmacro %}');
    assert.equal(render(engine, '{{ outer("q") }}'), '[Q]');
  });

  it('ref, source, this, target, var, env_var, is_incremental, execute', () => {
    const engine = new JinjaEngine();
    const out = render(
      engine,
      "{{ ref('a') }} {{ ref('proj', 'b') }} {{ source('s', 't') }} {{ this }} {{ this.identifier }} {{ target.name }} " +
        "{{ var('known') }} {{ var('missing', 'dflt') }} {{ env_var('PLAIN') }} {{ env_var('NOPE', 'd2') }} " +
        '{{ is_incremental() }} {{ execute }}',
    );
    assert.equal(
      out,
      '"main"."a" "main"."proj_b" "sources"."s__t" "main"."m" m dev 42 dflt value d2 false true',
    );
  });

  it('config() takes keyword arguments or a mapping and renders as nothing', () => {
    const engine = new JinjaEngine();
    const s = state();
    assert.equal(
      render(engine, "{{ config(materialized='table', tags=['a']) }}{{ config({'schema': 'x'}) }}x", s),
      'x',
    );
    assert.deepEqual(s.configs, [{ materialized: 'table', tags: ['a'] }, { schema: 'x' }]);
  });

  it('log(msg, info=true) logs at info, otherwise debug', () => {
    const engine = new JinjaEngine();
    const s = state();
    render(engine, "{{ log('loud', info=true) }}{{ log('quiet') }}{% do log('also', True) %}", s);
    assert.deepEqual(s.logs, ['info:loud', 'debug:quiet', 'info:also']);
  });

  it('{% do %}, Python-style methods and True/None work', () => {
    const engine = new JinjaEngine();
    assert.equal(
      render(
        engine,
        '{% set xs = [] %}{% do xs.append(1) %}{% do xs.append(2) %}{{ xs | join("+") }} {{ True }} {{ None is none }}',
      ),
      '1+2 true true',
    );
  });

  it('env_var without a value or default is an error naming the variable', () => {
    const engine = new JinjaEngine();
    const { template } = engine.compile('e', 'models/m.sql', "select 1\n{{ env_var('NOT_SET_ANYWHERE') }}");
    assert.throws(
      () => engine.render(template!, 'models/m.sql', state()),
      (e: unknown) =>
        e instanceof TemplateRenderError &&
        e.problem.line === 2 &&
        /NOT_SET_ANYWHERE is not set/.test(e.problem.message),
    );
  });

  it('{% test %} blocks become test_<name> macros', () => {
    const engine = new JinjaEngine();
    const { definitions } = engine.loadMacroFile(
      'tests/generic/positive.sql',
      '{% test positive(model, column_name, allow_zero=false) %}\nselect * from {{ model }} where {{ column_name }} < 0\n{% endtest %}',
    );
    assert.deepEqual(
      definitions.map((d) => [d.name, d.kind, d.arguments]),
      [
        [
          'test_positive',
          'test',
          [
            { name: 'model', optional: false },
            { name: 'column_name', optional: false },
            { name: 'allow_zero', optional: true },
          ],
        ],
      ],
    );
    assert.equal(
      engine.callMacro('test_positive', { model: '"t"', column_name: 'x' }, 'y.yml', state()).trim(),
      'select * from "t" where x < 0',
    );
  });

  it('the built-in generic tests can be overridden by the project', () => {
    const engine = new JinjaEngine();
    assert.ok(engine.builtinMacros.some((m) => m.name === 'test_not_null' && m.builtin));
    engine.loadMacroFile(
      'macros/override.sql',
      '{% test not_null(model, column_name) %}custom {{ column_name }}{% endtest %}',
    );
    assert.equal(
      engine.callMacro('test_not_null', { model: 'm', column_name: 'c' }, 'y.yml', state()),
      'custom c',
    );
  });

  it('a macro may not replace a built-in function', () => {
    const engine = new JinjaEngine();
    const { problems } = engine.loadMacroFile('macros/bad.sql', '\n{% macro ref(x) %}{% endmacro %}');
    assert.equal(problems.length, 1);
    assert.equal(problems[0]!.line, 2);
    assert.match(problems[0]!.message, /would replace the built-in ref/);
  });
});

describe('JinjaEngine: errors carry lines', () => {
  it('syntax errors: the line of the bad tag', () => {
    const engine = new JinjaEngine();
    const { problem } = engine.compile('s', 'models/m.sql', 'select 1\nfrom x\n{% if %}\n');
    assert.equal(problem?.line, 3);
  });

  it('a macro file with a syntax error reports it and registers nothing', () => {
    const engine = new JinjaEngine();
    const { definitions, problems } = engine.loadMacroFile('macros/x.sql', '{% macro a() %}\n{% endfor %}');
    assert.deepEqual(definitions, []);
    assert.equal(problems[0]?.line, 2);
  });

  it('calling an unknown macro: the line and a did-you-mean', () => {
    const engine = new JinjaEngine();
    engine.loadMacroFile('macros/hashing.sql', BRIEF_MACROS);
    const { template } = engine.compile('u', 'models/m.sql', 'select\n  {{ hash_kye("x") }}');
    assert.throws(
      () => engine.render(template!, 'models/m.sql', state()),
      (e: unknown) =>
        e instanceof TemplateRenderError &&
        e.problem.line === 2 &&
        e.problem.message === '`hash_kye` is not a macro or function' &&
        e.problem.hint === 'did you mean hash_key?',
    );
  });
});
