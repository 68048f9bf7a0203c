import type { Command } from 'commander';
import { loadCheckedProject } from '../project/load-project.ts';
import { selectNodes } from '../project/selection/select.ts';
import type { GraphNode, ResourceType } from '../project/types.ts';
import { UsageError } from '../shared/errors.ts';
import { log } from '../shared/logger.ts';
import type { ContextProvider } from './verbs.ts';

const RESOURCE_ORDER: ResourceType[] = ['seed', 'source', 'model', 'vault', 'test'];
const OUTPUTS = ['name', 'path', 'json'] as const;

/** `vaultline ls --select … --exclude …`: the nodes a selection picks, without running anything. */
export function registerLs(program: Command, context: ContextProvider): void {
  program
    .command('ls')
    .description('list the nodes a selection picks (models, sources, seeds, tests)')
    .option(
      '-s, --select <selector...>',
      'dbt-style selectors: names, path:, tag:, source:, +x, x+, @x; space = union, comma = intersection',
    )
    .option('--exclude <selector...>', 'selectors to leave out')
    .option('--resource-type <type...>', `only these resource types (${RESOURCE_ORDER.join(', ')})`)
    .option('--output <format>', `name, path or json (one JSON object per line)`, 'name')
    .action(
      async (options: { select?: string[]; exclude?: string[]; resourceType?: string[]; output: string }) => {
        const ctx = context();
        if (!(OUTPUTS as readonly string[]).includes(options.output)) {
          throw new UsageError(`--output must be one of ${OUTPUTS.join(', ')} (got "${options.output}")`);
        }
        for (const type of options.resourceType ?? []) {
          if (!(RESOURCE_ORDER as string[]).includes(type)) {
            throw new UsageError(
              `--resource-type must be one of ${RESOURCE_ORDER.join(', ')} (got "${type}")`,
            );
          }
        }
        const graph = await loadCheckedProject(ctx.loadConfig());
        const selection = selectNodes(graph, { select: options.select, exclude: options.exclude });
        for (const warning of selection.warnings) log().warn(warning);
        const nodes = [...selection.selected]
          .map((id) => graph.nodes.get(id)!)
          .filter((node) => !options.resourceType || options.resourceType.includes(node.resourceType))
          .sort(
            (a, b) =>
              RESOURCE_ORDER.indexOf(a.resourceType) - RESOURCE_ORDER.indexOf(b.resourceType) ||
              (a.uniqueId < b.uniqueId ? -1 : a.uniqueId > b.uniqueId ? 1 : 0),
          );
        ctx.result(
          () => nodes.map((node) => formatNode(node, options.output)).join('\n'),
          nodes.map(describeNode),
        );
        if (nodes.length === 0) log().warn('the selection matches no node');
      },
    );
}

function displayName(node: GraphNode): string {
  return node.resourceType === 'source' ? `${node.sourceName}.${node.tableName}` : node.name;
}

function formatNode(node: GraphNode, output: string): string {
  if (output === 'path') return node.file;
  if (output === 'json') return JSON.stringify(describeNode(node));
  return displayName(node);
}

function describeNode(node: GraphNode) {
  return {
    name: displayName(node),
    resource_type: node.resourceType,
    unique_id: node.uniqueId,
    path: node.file,
    tags: node.tags,
    config: node.config,
    depends_on: node.dependsOn,
  };
}
