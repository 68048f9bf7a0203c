import type { GraphNode, ProjectGraph, RenderContext } from '../project/types.ts';

/**
 * What a node is rendered with is the shared contract RenderContext (src/project/types.ts): for one
 * step, where each referenced node lives (a source may be a temporary view over only new objects, an
 * ephemeral model a CTE name) and the values behind `is_incremental()`, `this`, `target` and `var()`.
 */
export type { RenderContext };

/** `renderNode` from src/project/render.ts; injected so the run layer can be tested on its own. */
export type RenderNode = (graph: ProjectGraph, node: GraphNode, ctx: RenderContext) => string;
