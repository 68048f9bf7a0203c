import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import type { VaultlineConfig } from '../config/schema.ts';
import type { Dialect } from '../engine/dialect.ts';
import { engineFor } from '../engine/engine.ts';
import { renderWithEphemerals } from '../project/ephemeral.ts';
import { projectHashMacros } from '../project/hash-macros.ts';
import { loadCheckedProject } from '../project/load-project.ts';
import { compiledPath, defaultRelationFor, relationName } from '../project/relations.ts';
import { topologicalOrder } from '../project/resolve-graph.ts';
import { selectNodes } from '../project/selection/select.ts';
import type { GraphNode, ProjectGraph, RenderContext, VaultNode } from '../project/types.ts';
import { mergeVars, parseVarsOption } from '../project/vars.ts';
import { relationByName } from '../run/vault-builder.ts';
import { VaultlineError } from '../shared/errors.ts';
import { log } from '../shared/logger.ts';
import { redactor } from '../shared/redact.ts';
import { compileVaultEntity, type VaultEntitySpec } from '../vault/index.ts';
import type { ContextProvider } from './verbs.ts';

/**
 * `vaultline compile`: the SQL each selected model, test and vault entity would run, written to
 * `<target_path>/compiled/<file path>` (generic tests and vault entities: `<yml path>/<name>.sql`).
 * Ephemeral models are inlined as CTEs; incremental models compile as their full (non-incremental)
 * query; a vault entity as its first load.
 */
export function registerCompile(program: Command, context: ContextProvider): void {
  program
    .command('compile')
    .description('render the SQL of models, tests and vault entities into target/compiled/ (nothing runs)')
    .option('-s, --select <selector...>', 'dbt-style selectors (default: everything)')
    .option('--exclude <selector...>', 'selectors to leave out')
    .option('--vars <yaml>', "variables for var(), as YAML or JSON: '{key: value}'")
    .action(async (options: { select?: string[]; exclude?: string[]; vars?: string }) => {
      const ctx = context();
      const config = ctx.loadConfig();
      const cliVars = parseVarsOption(options.vars);
      const graph = await loadCheckedProject(config, { vars: cliVars });
      const selection = selectNodes(graph, { select: options.select, exclude: options.exclude });
      for (const warning of selection.warnings) log().warn(warning);
      const outDir = resolve(config.projectDir, config.target_path, 'compiled');
      const written: { unique_id: string; path: string }[] = [];
      const failures: string[] = [];
      for (const id of topologicalOrder(graph.nodes, selection.selected)) {
        const node = graph.nodes.get(id)!;
        if (node.resourceType !== 'model' && node.resourceType !== 'test' && node.resourceType !== 'vault')
          continue;
        const vars = mergeVars(config.vars, cliVars);
        let sql: string;
        try {
          sql = renderNodeSql(config, graph, node, vars);
        } catch (error) {
          failures.push((error as Error).message);
          continue;
        }
        const path = join(outDir, compiledPath(node));
        await mkdir(dirname(path), { recursive: true });
        // A secret read by env_var() is written as *** (the SQL that runs keeps the value).
        await writeFile(path, `${redactor.text(sql)}\n`);
        written.push({ unique_id: id, path: relative(ctx.cwd, path) || path });
      }
      ctx.result(
        () =>
          `compiled ${written.length} node(s) into ${relative(ctx.cwd, outDir) || outDir}${failures.length ? `; ${failures.length} failed` : ''}`,
        { written, failures },
      );
      if (failures.length > 0) {
        throw new VaultlineError(
          `${failures.length} node(s) did not compile:\n${failures.map((f) => `  ${f}`).join('\n')}`,
        );
      }
    });
}

export { compiledPath };

/**
 * A vault entity's load as a first load would run it (src/vault/compile.ts), with the project's
 * hashing macros; no warehouse is opened, so hashing dispatches on the runtime type of each column.
 */
/** A model's, test's or vault entity's SQL as `vaultline compile` writes it (the UI renders with it too). */
export function renderNodeSql(
  config: VaultlineConfig,
  graph: ProjectGraph,
  node: GraphNode,
  vars: Record<string, unknown>,
): string {
  return node.resourceType === 'vault'
    ? compileVaultNode(graph, node, engineFor(config.warehouse.type).dialect, vars)
    : renderWithEphemerals(
        graph,
        node,
        compileContext(graph, node, config.warehouse.type, vars, config.profile),
      );
}

export function compileVaultNode(
  graph: ProjectGraph,
  node: VaultNode,
  dialect: Dialect,
  vars: Record<string, unknown>,
): string {
  const spec = node.spec as VaultEntitySpec;
  const macros = projectHashMacros(graph, { dialect, standard: spec.hashing, vars });
  return compileVaultEntity(spec, dialect, {
    target: { schema: node.schema, name: node.alias },
    relationOf: (name) => relationByName(graph, name, node.name),
    ...(macros ? { macros } : {}),
  });
}

/** The RenderContext compile uses: warehouse relations from relations.ts, never incremental. */
export function compileContext(
  graph: ProjectGraph,
  node: GraphNode,
  warehouseType: VaultlineConfig['warehouse']['type'],
  vars: Record<string, unknown>,
  profile?: string,
): RenderContext {
  const { dialect } = engineFor(warehouseType);
  return {
    relationFor: defaultRelationFor(graph),
    isIncremental: false,
    thisRelation: node.resourceType === 'test' ? '' : relationName(node),
    target: { name: profile ?? 'dev', type: warehouseType, schema: dialect.defaultSchema },
    vars,
    dialect: warehouseType,
    literal: (value) => dialect.literal(value),
  };
}
