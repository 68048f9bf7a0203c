import type { Hono } from 'hono';
import { engineFor } from '../../engine/engine.ts';
import { openLandingStore } from '../../landing/open-store.ts';
import type { LandingStore } from '../../landing/store.ts';
import { compiledSql } from '../compiled-sql.ts';
import type { UiDeps } from '../deps.ts';
import { traceHubKey } from '../provenance/hub-trace.ts';
import { projectLoader } from '../provenance/project.ts';
import { relationRows } from '../provenance/relation-rows.ts';
import { uiJson } from './json.ts';

/**
 * Provenance: from a vault key or a mart row back to the landed payload and the record inside it.
 * GET /ui/api/provenance/:hub/:hk — the hub row, its satellites' versions, links, PIT rows, landed objects.
 * GET /ui/api/provenance/relation/:schema/:table?where={json} — a relation's SQL and matching rows.
 */
export function registerProvenanceRoutes(app: Hono, deps: UiDeps): void {
  const project = projectLoader(deps.config, () => deps.warehouseGeneration());
  const catalog = engineFor(deps.config.warehouse.type).catalog;
  let store: LandingStore | undefined;
  const landing = () => {
    store ??= openLandingStore(deps.config);
    return store;
  };

  app.get('/ui/api/provenance/relation/:schema/:table', async (c) => {
    const loaded = await project();
    const answer = await relationRows(
      (work) => deps.read(work),
      catalog,
      loaded,
      c.req.param('schema'),
      c.req.param('table'),
      c.req.query('where'),
    );
    if (answer.status !== 200) return uiJson(c, answer.body, answer.status);
    const node = loaded.graph.nodes.get(answer.body.unique_id);
    const compiled = node ? compiledSql(deps.config, loaded.graph, node) : { sql: null, from: null };
    return uiJson(c, { ...answer.body, compiled_sql: compiled.sql, compiled_from: compiled.from });
  });

  app.get('/ui/api/provenance/:hub/:hk', async (c) => {
    const answer = await traceHubKey(
      (work) => deps.read(work),
      landing(),
      await project(),
      c.req.param('hub'),
      c.req.param('hk'),
    );
    return uiJson(c, answer.body, answer.status);
  });
}
