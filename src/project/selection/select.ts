import { didYouMean } from '../../shared/did-you-mean.ts';
import type { ProjectGraph, SelectedGraph, UniqueId } from '../types.ts';
import { ancestors, descendants, withAttachedTests } from './graph-ops.ts';
import { CLOSED_VALUES, METHODS, matchAtom } from './methods.ts';
import { parseSelection, type SelectorAtom, SelectorError, type SelectorToken } from './parse.ts';

export interface SelectionOptions {
  /** `--select` arguments; empty or missing selects every node. */
  select?: readonly string[];
  exclude?: readonly string[];
}

/**
 * Node selection as in dbt (DESIGN.md: ProjectGraph → SelectedGraph), a pure function of the graph.
 * Tests attached to a selected node are selected with it (eager indirect selection), and the same
 * applies to --exclude. Throws SelectorError (exit 2) for an unknown method or value; returns
 * warnings for selectors that match nothing, notably a comma intersection that matches nothing
 * although each part does (usually a union written with a comma).
 */
export function selectNodes(graph: ProjectGraph, options: SelectionOptions = {}): SelectedGraph {
  const warnings: string[] = [];
  const selectTokens = parseSelection(options.select ?? []);
  const excludeTokens = parseSelection(options.exclude ?? []);
  const selected =
    selectTokens.length === 0
      ? new Set(graph.nodes.keys())
      : withAttachedTests(graph, evaluate(graph, selectTokens, '--select', warnings));
  if (excludeTokens.length > 0) {
    const excluded = withAttachedTests(graph, evaluate(graph, excludeTokens, '--exclude', warnings));
    for (const id of excluded) selected.delete(id);
  }
  return { graph, selected, warnings };
}

function evaluate(
  graph: ProjectGraph,
  tokens: SelectorToken[],
  flag: string,
  warnings: string[],
): Set<UniqueId> {
  const union = new Set<UniqueId>();
  for (const token of tokens) {
    const parts = token.atoms.map((atom) => ({ atom, ids: evaluateAtom(graph, atom, flag, warnings) }));
    let result = parts[0]?.ids ?? new Set<UniqueId>();
    for (const part of parts.slice(1)) result = new Set([...result].filter((id) => part.ids.has(id)));
    if (parts.length > 1 && result.size === 0 && parts.every((p) => p.ids.size > 0)) {
      warnings.push(emptyIntersection(flag, token, parts));
    }
    for (const id of result) union.add(id);
  }
  return union;
}

function emptyIntersection(
  flag: string,
  token: SelectorToken,
  parts: { atom: SelectorAtom; ids: Set<UniqueId> }[],
): string {
  const counts = parts.map((p) => `${p.atom.raw} matches ${p.ids.size}`).join(', ');
  const union = token.atoms.map((a) => a.raw).join(' ');
  return (
    `${flag} "${token.raw}" matches nothing: a comma means AND (nodes matching every part), and no node is in all parts (${counts}). ` +
    `For a union (nodes matching any part), separate with spaces: ${flag} "${union}"`
  );
}

function evaluateAtom(
  graph: ProjectGraph,
  atom: SelectorAtom,
  flag: string,
  warnings: string[],
): Set<UniqueId> {
  const closed = CLOSED_VALUES[atom.method];
  if (closed && !closed.includes(atom.value)) {
    const suggestion = didYouMean(atom.value, closed);
    throw new SelectorError(
      `${flag} "${atom.raw}": ${atom.method} is one of ${closed.join(', ')}${suggestion ? ` — did you mean ${atom.method}:${suggestion}?` : ''}`,
    );
  }
  const base = matchAtom(graph, atom.method, atom.value, atom.methodArgs);
  if (base.size === 0) {
    const candidates = METHODS[atom.method]!.candidates(graph, atom.methodArgs);
    const suggestion = didYouMean(atom.value, candidates);
    const method = atom.implicitMethod ? '' : `${[atom.method, ...atom.methodArgs].join('.')}:`;
    warnings.push(
      `${flag} "${atom.raw}" matches no node${suggestion ? ` (did you mean ${method}${suggestion}?)` : ''}`,
    );
    return base;
  }
  const out = new Set(base);
  if (atom.childrensParents) {
    const down = descendants(graph, base);
    for (const id of down) out.add(id);
    for (const id of ancestors(graph, out)) out.add(id);
    return out;
  }
  if (atom.parents !== undefined) for (const id of ancestors(graph, base, atom.parents)) out.add(id);
  if (atom.children !== undefined) for (const id of descendants(graph, base, atom.children)) out.add(id);
  return out;
}
