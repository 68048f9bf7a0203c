import type { Session } from '../../engine/dialect.ts';
import type { Engine } from '../../engine/engine.ts';
import { type BuildTarget, viewColumnsKept } from './target.ts';

/**
 * `target` for replacing it with a view of `sql`: on an engine whose views bind early, whether the
 * existing view keeps its columns (then it is replaced in place and the views over it stay; else it
 * is swapped). Asked of the catalog without running `sql`; engines with late-bound views need nothing.
 */
export async function viewTarget(
  session: Session,
  engine: Engine,
  target: BuildTarget,
  sql: string,
): Promise<BuildTarget> {
  if (engine.dialect.capabilities.lateBoundViews || target.existing !== 'view') return target;
  const existing = await engine.catalog.columns(session, target.schema, target.name);
  let incoming: Awaited<ReturnType<Engine['catalog']['queryColumns']>>;
  try {
    incoming = await engine.catalog.queryColumns(session, sql);
  } catch {
    // The SQL does not bind: the build itself fails on it, with the engine's message.
    return { ...target, viewColumnsKept: false };
  }
  return { ...target, viewColumnsKept: viewColumnsKept(existing, incoming) };
}
