/**
 * The vault's part of the build's preflight: every staging column an entity's YAML names (business
 * keys, attributes, sequence, child keys, per-source and per-hub key overrides, a PIT's as_of column,
 * the load timestamp and record source) checked against the columns its staging relation WILL have
 * when the entity loads — before the build changes anything. Pure: the run layer finds the columns
 * (src/run/vault-preflight.ts); a relation whose columns it cannot know is left to the load.
 */
import type { Diagnostic } from '../shared/diagnostics.ts';
import { didYouMean } from '../shared/did-you-mean.ts';
import type { StagingColumnRef, VaultEntitySpec } from './types.ts';

/** The staging relations whose columns the check needs, by the names the YAML uses. */
export function preflightRelations(specs: readonly VaultEntitySpec[]): string[] {
  return [...new Set(specs.flatMap((s) => (s.stagingColumns ?? []).map((c) => c.relation)))];
}

/**
 * One error per column an entity names that its staging relation will not have, at the YAML line that
 * names it. `columnsOf` gives a relation's future columns, or undefined when they cannot be known.
 * Names match case-insensitively, as unquoted SQL identifiers do.
 */
export function checkStagingColumns(
  specs: readonly VaultEntitySpec[],
  columnsOf: (relation: string) => readonly string[] | undefined,
): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const spec of specs) {
    for (const ref of spec.stagingColumns ?? []) {
      const columns = columnsOf(ref.relation);
      if (!columns) continue;
      const present = new Set(columns.map((c) => c.toLowerCase()));
      if (ref.anyOf.some((c) => present.has(c.toLowerCase()))) continue;
      diagnostics.push({
        file: ref.file,
        line: ref.line,
        node: spec.name,
        message: `${ref.relation} has no column ${ref.anyOf.join(' or ')} (${ref.role})`,
        hint: hintFor(ref, columns),
        severity: 'error',
      });
    }
  }
  return diagnostics;
}

function hintFor(ref: StagingColumnRef, columns: readonly string[]): string {
  const suggestion = ref.anyOf.map((c) => didYouMean(c, columns)).find((s) => s !== undefined);
  if (suggestion) return `did you mean "${suggestion}"?`;
  if (ref.role === 'load timestamp' || ref.role === 'record source') {
    return `every staging relation a vault entity reads carries it: select ${ref.anyOf.at(-1)} from the source in ${ref.relation}`;
  }
  const shown = columns.slice(0, 12).join(', ') + (columns.length > 12 ? ', …' : '');
  return `select it in ${ref.relation}, or name one of its columns: ${shown}`;
}
