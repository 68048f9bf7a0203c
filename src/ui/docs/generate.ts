import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { VaultlineConfig } from '../../config/schema.ts';
import type { Session } from '../../engine/dialect.ts';
import { systemOrchestratorClock } from '../../orchestrator/clock.ts';
import { JobRunner } from '../../orchestrator/runner.ts';
import { openOrchestratorStores } from '../../orchestrator/store/open.ts';
import { openWarehouse } from '../../run/warehouse.ts';
import { VaultlineError } from '../../shared/errors.ts';
import { createUiApp } from '../app.ts';

const STATIC = join(dirname(fileURLToPath(import.meta.url)), '..', 'static');
const require = createRequire(import.meta.url);

export interface GeneratedDocs {
  path: string;
  nodes: number;
  bytes: number;
  /** Whether the warehouse could be read (column types, row counts, last builds). */
  withWarehouse: boolean;
}

/**
 * `vaultline docs generate`: the lineage, node and data-dictionary pages as one self-contained HTML file
 * (scripts, styles, dagre and the data inlined), so it opens from disk (file://) or any static host, as
 * dbt docs do. The data is what the served UI's own routes answer (the same code, called in process),
 * read from the warehouse read-only when it exists.
 */
export async function generateDocs(config: VaultlineConfig, outDir: string): Promise<GeneratedDocs> {
  const stores = openOrchestratorStores(config);
  let session: Session | undefined;
  try {
    session = (await openWarehouse(config, { readOnly: true })).session;
  } catch {
    session = undefined; // not built yet (or held by a build): the docs say so, without types and counts
  }
  try {
    const app = createUiApp({
      config,
      runs: stores.runs,
      // Never started: the docs only read.
      runner: new JobRunner({ config, stores, clock: systemOrchestratorClock, signal: AbortSignal.abort() }),
      clock: systemOrchestratorClock,
      read: (work) => (session ? work(session) : Promise.reject(new Error('the warehouse is not built yet'))),
      watch: () => () => undefined,
      warehouseGeneration: () => 0,
    });
    const get = async (path: string) => {
      const response = await app.request(path);
      const body = (await response.json()) as { error?: string };
      if (!response.ok)
        throw new VaultlineError(`docs: ${path} answered ${response.status}: ${body.error ?? ''}`);
      return body;
    };
    const project = await get('/ui/api/project');
    const graph = (await get('/ui/api/graph?tests=1&limit=5000')) as {
      nodes: Array<{ id: string }>;
      omitted?: number;
    };
    const nodes: Record<string, unknown> = {};
    for (const node of graph.nodes)
      if (!node.id.startsWith('dashboard.'))
        nodes[node.id] = await get(`/ui/api/nodes/${encodeURIComponent(node.id)}`);
    const data = { project, graph, nodes, generated_at: new Date().toISOString() };
    const html = page(data);
    mkdirSync(outDir, { recursive: true });
    const path = join(outDir, 'index.html');
    writeFileSync(path, html);
    return {
      path,
      nodes: graph.nodes.length,
      bytes: Buffer.byteLength(html),
      withWarehouse: session !== undefined,
    };
  } finally {
    await session?.close();
  }
}

/** The UI's browser modules as one inline module: their imports are each other, so they are joined. */
function bundle(files: string[]): string {
  return files
    .map((file) => readFileSync(join(STATIC, file), 'utf8'))
    .map((code) => code.replace(/^import [^;]+ from '[^']+';\n/gm, '').replace(/^export /gm, ''))
    .join('\n');
}

/** JSON safe inside <script>: no `</script>` or `<!--` can end it early. */
function inlineJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

function page(data: { project: unknown }): string {
  const name = (data.project as { name?: string }).name ?? 'vaultline';
  const dagre = readFileSync(
    join(dirname(require.resolve('@dagrejs/dagre/package.json')), 'dist', 'dagre.js'),
    'utf8',
  );
  const safe = (code: string) => code.replace(/<\/script/gi, '<\\/script');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${name.replace(/[<>&"]/g, '')} — vaultline docs</title>
<link rel="icon" href="data:,">
<style>${readFileSync(join(STATIC, 'style.css'), 'utf8')}</style>
</head>
<body>
<header class="top"><a class="brand" href="#/lineage">vaultline docs</a>
<nav><a href="#/lineage" data-page="lineage" class="active">Lineage</a></nav><span id="project" class="muted"></span></header>
<main id="page" aria-live="polite"></main>
<script>${safe(dagre)}</script>
<script>globalThis.VAULTLINE_DATA = ${inlineJson(data)};</script>
<script type="module">${safe(bundle(['api.js', 'pages/lineage.js', 'static-app.js']))}</script>
</body>
</html>
`;
}
