/**
 * How to fix a failed vault load, from what the load knows (the spec and its staging columns'
 * types), never from the engine's wording: the same hint on every engine.
 */
import type { StagingInput } from './sql/common.ts';
import type { VaultEntitySpec } from './types.ts';

/**
 * A hint for a statement of `spec`'s load that failed, or undefined when nothing specific is known.
 * The common case: one hub fed by staging models that type its business key differently (the hub
 * takes the first source's types, so another source's values fail to convert).
 */
export function loadFailureHint(spec: VaultEntitySpec, staging: readonly StagingInput[]): string | undefined {
  const conflicts = keyTypeConflicts(spec, staging);
  if (conflicts.length > 0) {
    return (
      `the business key is typed differently by ${spec.name}'s sources: ${conflicts.join('; ')}. ` +
      'Cast it to one type in every staging model (the vault takes the types of the first source)'
    );
  }
  return undefined;
}

/** `item_id is INTEGER in stg_a but VARCHAR in stg_b`, per key part whose staging types differ. */
function keyTypeConflicts(spec: VaultEntitySpec, staging: readonly StagingInput[]): string[] {
  const parts = keyParts(spec);
  const out: string[] = [];
  for (const part of parts) {
    const typed = part.columns
      .map(({ source, column }) => {
        const input = staging.find((s) => s.name === source);
        return { source, column, type: input?.columns.get(column) };
      })
      .filter((t): t is { source: string; column: string; type: string } => t.type !== undefined);
    const first = typed[0];
    const other = typed.find((t) => t.type.toUpperCase() !== first?.type.toUpperCase());
    if (first && other) {
      out.push(
        `${part.name}: ${first.column} is ${first.type} in ${first.source} but ${other.column} is ${other.type} in ${other.source}`,
      );
    }
  }
  return out;
}

/** Each business key part of a hub or link, with the staging column holding it in each source. */
function keyParts(spec: VaultEntitySpec): { name: string; columns: { source: string; column: string }[] }[] {
  if (spec.kind === 'hub') {
    return spec.businessKey.map((name, i) => ({
      name,
      columns: spec.sources.flatMap((s) =>
        s.businessKey[i] ? [{ source: s.name, column: s.businessKey[i] }] : [],
      ),
    }));
  }
  if (spec.kind === 'link') {
    return spec.hubs.flatMap((hub) =>
      hub.businessKey.map((column) => ({
        name: `${hub.hub}.${column}`,
        columns: spec.sources.map((source) => ({ source, column })),
      })),
    );
  }
  return [];
}
