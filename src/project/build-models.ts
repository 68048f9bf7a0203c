import { readFile } from 'node:fs/promises';
import { callLine, captureState } from './capture.ts';
import { checkConfig, mergeConfigs } from './config-keys.ts';
import { jinjaDiagnostic } from './jinja/errors.ts';
import { Relation } from './jinja/relation.ts';
import type { LoadContext, PendingMap } from './load-context.ts';
import type { ProjectFile } from './project-files.ts';
import type { ModelProps } from './properties.ts';
import { quoteIdentifier } from './relations.ts';
import type { IncrementalStrategy, Materialization, ModelNode } from './types.ts';

/**
 * One ModelNode per models/**\/*.sql. Config precedence (dbt's): vaultline.yml folders < the model's
 * `config:` in a properties YAML < `{{ config(...) }}` in the SQL; tags accumulate.
 */
export async function buildModels(
  ctx: LoadContext,
  files: ProjectFile[],
  props: Map<string, ModelProps>,
  pending: PendingMap,
): Promise<{ models: ModelNode[]; disabled: Set<string> }> {
  const models: ModelNode[] = [];
  const disabled = new Set<string>();
  const seen = new Map<string, string>();
  for (const file of files) {
    const name = file.stem;
    const uniqueId = `model.${ctx.projectName}.${name}`;
    const error = (message: string, line?: number, hint?: string, severity: 'error' | 'warning' = 'error') =>
      ctx.diagnostics.push({ file: file.path, line, node: name, message, hint, severity });
    if (seen.has(name)) {
      error(
        `a model named ${name} is already defined in ${seen.get(name)}`,
        1,
        'model names must be unique: rename one file',
      );
      continue;
    }
    seen.set(name, file.path);
    const rawSql = await readFile(file.absolute, 'utf8');
    const yaml = props.get(name);
    const yamlChecked = checkConfig('model', yaml?.config ?? {});
    for (const p of yamlChecked.problems) {
      ctx.diagnostics.push({
        file: yaml!.file,
        line: yaml!.configLines[p.key] ?? yaml!.line,
        node: name,
        message: p.message,
        hint: p.hint,
        severity: 'error',
      });
    }
    const base = mergeConfigs(ctx.folders.models.resolve(file.folders), yamlChecked.config);

    const { state, captured } = captureState({
      label: `model ${name}`,
      vars: ctx.vars,
      target: ctx.target,
      dialect: ctx.dialect,
      env: ctx.env,
      thisRelation: new Relation(
        `${quoteIdentifier(String(base.schema ?? ctx.defaultSchema))}.${quoteIdentifier(String(base.alias ?? name))}`,
        { schema: String(base.schema ?? ctx.defaultSchema), identifier: String(base.alias ?? name) },
      ),
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
    const configLine = callLine(rawSql, 'config');
    const fromSql: Record<string, unknown>[] = [];
    for (const values of captured.configs) {
      const checked = checkConfig('model', values);
      for (const p of checked.problems) error(p.message, configLine, p.hint);
      fromSql.push(checked.config);
    }
    for (const variable of captured.missingVars) {
      error(
        `var('${variable}') has no value in vaultline.yml vars and no default`,
        callLine(rawSql, 'var', variable),
        `add it under vars:, give a default (var('${variable}', …)), or pass --vars when running`,
        'warning',
      );
    }
    const config = mergeConfigs(base, ...fromSql);
    if (config.enabled === false) {
      disabled.add(name);
      continue;
    }
    const materialized = (config.materialized as Materialization | undefined) ?? 'view';
    config.materialized = materialized;
    const uniqueKey =
      config.unique_key === undefined ? undefined : ([] as string[]).concat(config.unique_key as string);
    let incremental: ModelNode['incremental'];
    if (materialized === 'incremental') {
      // With a unique_key the default is merge (the run layer uses delete+insert where MERGE is missing).
      const strategy =
        (config.incremental_strategy as IncrementalStrategy | undefined) ?? (uniqueKey ? 'merge' : 'append');
      if (strategy !== 'append' && !uniqueKey) {
        error(
          `incremental_strategy ${strategy} needs a unique_key`,
          configLine ?? yaml?.configLines.incremental_strategy,
          "add unique_key='id' (or a list of columns)",
        );
      }
      if (strategy === 'append' && uniqueKey) {
        error(
          'unique_key has no effect with incremental_strategy append (rows are only added)',
          configLine,
          "use incremental_strategy='merge' to update rows by key",
          'warning',
        );
      }
      incremental = {
        strategy,
        ...(uniqueKey ? { uniqueKey } : {}),
        onSchemaChange:
          (config.on_schema_change as 'fail' | 'append_new_columns' | 'ignore' | undefined) ?? 'ignore',
      };
    } else {
      for (const key of ['unique_key', 'incremental_strategy', 'on_schema_change'] as const) {
        if (config[key] !== undefined) {
          error(
            `${key} only applies to incremental models (this one is ${materialized})`,
            configLine,
            undefined,
            'warning',
          );
        }
      }
    }
    pending.set(uniqueId, {
      file: file.path,
      label: `model ${name}`,
      refs: captured.refs.map((r) => ({ ...r, line: callLine(rawSql, 'ref', r.name) })),
      sources: captured.sources.map((s) => ({ ...s, line: callLine(rawSql, 'source', s.source, s.table) })),
    });
    models.push({
      uniqueId,
      resourceType: 'model',
      name,
      file: file.path,
      line: 1,
      fqn: [...file.folders, name],
      tags: (config.tags as string[] | undefined) ?? [],
      description: yaml?.description,
      dependsOn: [],
      config,
      rawSql,
      materialized,
      schema: (config.schema as string | undefined) ?? ctx.defaultSchema,
      alias: (config.alias as string | undefined) ?? name,
      ...(incremental ? { incremental } : {}),
      columns: (yaml?.columns ?? []).map((c) => ({
        name: c.name,
        description: c.description,
        dataType: c.dataType,
      })),
    });
  }
  return { models, disabled };
}
