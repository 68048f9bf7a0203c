import { readFile } from 'node:fs/promises';
import { callLine, captureState } from './capture.ts';
import { checkConfig, mergeConfigs } from './config-keys.ts';
import { jinjaDiagnostic } from './jinja/errors.ts';
import { Relation } from './jinja/relation.ts';
import type { LoadContext, PendingMap } from './load-context.ts';
import type { ProjectFile } from './project-files.ts';
import { storeFailuresTarget } from './test-failures.ts';
import type { TestNode, UniqueId } from './types.ts';

/**
 * Singular tests: tests/**\/*.sql, each a query returning the rows that violate an expectation.
 * `{{ config(severity='warn', store_failures=true) }}` in the file sets its config, as in dbt.
 */
export async function buildSingularTests(
  ctx: LoadContext,
  files: ProjectFile[],
  pending: PendingMap,
  taken: Set<UniqueId>,
): Promise<TestNode[]> {
  const out: TestNode[] = [];
  for (const file of files) {
    const name = file.stem;
    const uniqueId = `test.${ctx.projectName}.${name}`;
    const report = (message: string, line?: number, hint?: string, severity: 'error' | 'warning' = 'error') =>
      ctx.diagnostics.push({ file: file.path, line, node: name, message, hint, severity });
    if (taken.has(uniqueId)) {
      report(`a test named ${name} already exists`, 1, 'rename the file');
      continue;
    }
    taken.add(uniqueId);
    const rawSql = await readFile(file.absolute, 'utf8');
    const base = ctx.folders.tests.resolve(file.folders);
    const { state, captured } = captureState({
      label: `test ${name}`,
      vars: ctx.vars,
      target: ctx.target,
      dialect: ctx.dialect,
      env: ctx.env,
      thisRelation: new Relation('"__test__"'),
      baseConfig: base,
    });
    const { template, problem } = ctx.engine.compile(uniqueId, file.path, rawSql);
    if (problem) ctx.diagnostics.push(jinjaDiagnostic(file.path, name, problem, 'Jinja syntax: '));
    if (template) {
      try {
        ctx.engine.render(template, file.path, state);
      } catch (e) {
        ctx.diagnostics.push(jinjaDiagnostic(file.path, name, e));
      }
    }
    const fromSql: Record<string, unknown>[] = [];
    for (const values of captured.configs) {
      const checked = checkConfig('test', values);
      for (const p of checked.problems) report(p.message, callLine(rawSql, 'config'), p.hint);
      fromSql.push(checked.config);
    }
    for (const variable of captured.missingVars) {
      report(
        `var('${variable}') has no value and no default`,
        callLine(rawSql, 'var', variable),
        'add it under vars:',
        'warning',
      );
    }
    const config = mergeConfigs(base, ...fromSql);
    if (config.enabled === false) continue;
    if (config.where !== undefined) {
      report(
        'where: filters the model of a generic test; a singular test writes its own WHERE',
        callLine(rawSql, 'config'),
        undefined,
        'warning',
      );
    }
    const severity = (config.severity as 'error' | 'warn' | undefined) ?? 'error';
    config.severity = severity;
    const storeFailures = storeFailuresTarget(name, config);
    if (captured.refs.length === 0 && captured.sources.length === 0 && !problem) {
      report(
        'singular test reads no ref() or source(), so it is not attached to any model',
        1,
        "select from {{ ref('model') }}",
        'warning',
      );
    }
    pending.set(uniqueId, {
      file: file.path,
      label: `test ${name}`,
      refs: captured.refs.map((r) => ({ ...r, line: callLine(rawSql, 'ref', r.name) })),
      sources: captured.sources.map((s) => ({ ...s, line: callLine(rawSql, 'source', s.source, s.table) })),
    });
    out.push({
      uniqueId,
      resourceType: 'test',
      name,
      file: file.path,
      line: 1,
      fqn: [...file.folders, name],
      tags: (config.tags as string[] | undefined) ?? [],
      dependsOn: [],
      config,
      testType: 'singular',
      arguments: {},
      severity,
      rawSql,
      ...(storeFailures ? { storeFailures } : {}),
    });
  }
  return out;
}
