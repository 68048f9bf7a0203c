/**
 * The project layer's public API (src/project/CONTEXT.md): load a project, select nodes, render SQL.
 */
export { assertNoErrors, warningLines } from './assert-no-errors.ts';
export { ephemeralUpstream, prependCtes, renderWithEphemerals } from './ephemeral.ts';
export { RenderError } from './errors.ts';
export { type LoadProjectOptions, loadCheckedProject, loadProject } from './load-project.ts';
export {
  defaultRelationFor,
  ephemeralCteName,
  isEphemeral,
  quoteIdentifier,
  relationIdentity,
  relationName,
  SOURCE_SCHEMA,
} from './relations.ts';
export { renderNode } from './render.ts';
export { childrenOf, findCycles, topologicalOrder } from './resolve-graph.ts';
export { SelectorError } from './selection/parse.ts';
export { type SelectionOptions, selectNodes } from './selection/select.ts';
export type * from './types.ts';
export { mergeVars, parseVarsOption } from './vars.ts';
