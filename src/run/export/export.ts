import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Session } from '../../engine/dialect.ts';
import type { Engine } from '../../engine/engine.ts';
import type { ExportFormat } from '../../engine/export.ts';
import { isEphemeral, relationIdentity } from '../../project/relations.ts';
import type { GraphNode, SelectedGraph } from '../../project/types.ts';
import { UsageError, VaultlineError } from '../../shared/errors.ts';

export interface ExportedFile {
  uniqueId: string;
  schema: string;
  name: string;
  kind: 'table' | 'view';
  /** The written file: `<out>/<schema>.<name>.<format>`. */
  file: string;
  rows: number;
  bytes: number;
}

/** Nodes that have a warehouse relation of their own: models (not ephemeral), seeds, vault entities. */
export function exportableNodes(selected: SelectedGraph): GraphNode[] {
  const nodes = [...selected.selected]
    .map((id) => selected.graph.nodes.get(id)!)
    .filter(
      (node) =>
        (node.resourceType === 'model' && !isEphemeral(node)) ||
        node.resourceType === 'seed' ||
        node.resourceType === 'vault',
    );
  const label = (n: GraphNode) => {
    const { schema, name } = relationIdentity(n);
    return `${schema}.${name}`;
  };
  return nodes.sort((a, b) => (label(a) < label(b) ? -1 : label(a) > label(b) ? 1 : 0));
}

/**
 * `vaultline export`: every selected relation (tables and views alike) to `<out>/<schema>.<name>.<format>`
 * with the engine's own writer. Every relation is checked to exist before anything is written; each
 * file is written under a temporary name and renamed, so a dashboard never reads half a file.
 */
export async function exportRelations(input: {
  selected: SelectedGraph;
  engine: Engine;
  session: Session;
  outDir: string;
  format: ExportFormat;
  onProgress?: (message: string) => void;
}): Promise<ExportedFile[]> {
  const { engine, session, outDir, format } = input;
  const nodes = exportableNodes(input.selected);
  if (nodes.length === 0) {
    throw new UsageError(
      'the selection has no model, seed or vault relation to export (sources, tests and ephemeral models have none); try --select marts or --select path:models/marts',
    );
  }
  const relations: { node: GraphNode; schema: string; name: string; kind: 'table' | 'view' }[] = [];
  const missing: string[] = [];
  for (const node of nodes) {
    const { schema, name } = relationIdentity(node);
    const kind = await engine.catalog.relationKind(session, schema, name);
    if (kind === undefined) missing.push(`${schema}.${name} (${node.uniqueId})`);
    else relations.push({ node, schema, name, kind });
  }
  if (missing.length > 0) {
    throw new VaultlineError(
      `${missing.length} selected relation(s) are not in the warehouse yet: ${missing.join(', ')}. Build them first (\`vaultline build\`), then export.`,
    );
  }
  await mkdir(outDir, { recursive: true });
  const out: ExportedFile[] = [];
  for (const { node, schema, name, kind } of relations) {
    const file = join(outDir, `${schema}.${name}.${format}`);
    const temp = join(outDir, `.${schema}.${name}.${process.pid}.tmp.${format}`);
    input.onProgress?.(`exporting ${schema}.${name} (${kind}) to ${file}`);
    let rows: number;
    try {
      const columns = await engine.catalog.columns(session, schema, name);
      rows = await engine.export.exportRelation(session, {
        relation: engine.dialect.relation(schema, name),
        columns,
        path: temp,
        format,
      });
      await rename(temp, file);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
    out.push({ uniqueId: node.uniqueId, schema, name, kind, file, rows, bytes: (await stat(file)).size });
  }
  return out;
}
