import { prependCtes } from '../../project/ephemeral.ts';
import { ephemeralCteName as projectCteName } from '../../project/relations.ts';
import type { GraphNode } from '../../project/types.ts';

/**
 * `materialized: ephemeral` — never built. Every step that uses an ephemeral model (directly or through
 * other ephemerals) gets it inlined as a CTE, dependencies first, named as `vaultline compile` names it
 * (src/project/relations.ts), and spliced into the step's own WITH list when it has one
 * (src/project/ephemeral.ts prependCtes), so `compile` output and what `run` executes are the same SQL.
 */
export function ephemeralCteName(node: GraphNode): string {
  return projectCteName(node);
}

export function withEphemerals(ctes: { node: GraphNode; sql: string }[], sql: string): string {
  return prependCtes(
    sql,
    ctes.map((c) => `${ephemeralCteName(c.node)} as (\n${indent(c.sql)}\n)`),
  );
}

function indent(sql: string): string {
  return sql
    .split('\n')
    .map((line) => (line ? `  ${line}` : line))
    .join('\n');
}
