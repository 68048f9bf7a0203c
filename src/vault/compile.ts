/**
 * `compileVaultEntity`: the SQL of an entity's load, for `vaultline compile` and docs, without running
 * anything. With the staging columns it is exactly what a first load would run; without them
 * (no warehouse yet) hashing dispatches on the runtime type and column types are left to the load.
 */
import type { Dialect } from '../engine/dialect.ts';
import type { HashMacros } from './hashing.ts';
import { entityKey, META_SCHEMA } from './names.ts';
import { stagingNames } from './run.ts';
import type { StagingInput } from './sql/common.ts';
import { type PitInputs, pitSatelliteInput } from './sql/pit.ts';
import { planVaultLoad } from './sql/plan.ts';
import type { Relation, VaultEntitySpec } from './types.ts';

export interface CompileVaultOptions {
  target: Relation;
  relationOf(name: string): Relation;
  /** A staging relation's columns (name → type) when known. */
  columnsOf?(name: string): ReadonlyMap<string, string> | undefined;
  macros?: HashMacros;
  metaSchema?: string;
}

/** Readable SQL: every statement of a first load, each preceded by a comment saying what it does. */
export function compileVaultEntity(
  spec: VaultEntitySpec,
  dialect: Dialect,
  options: CompileVaultOptions,
): string {
  const staging: StagingInput[] = stagingNames(spec).map((name) => {
    const columns = options.columnsOf?.(name);
    return {
      name,
      relation: options.relationOf(name),
      columns: columns ?? new Map(),
      ...(columns ? {} : { untyped: true }),
    };
  });
  let pit: PitInputs | undefined;
  if (spec.kind === 'pit') {
    pit = {
      parent: options.relationOf(spec.parent.entity),
      satellites: spec.satellites.map((s) => pitSatelliteInput(spec, s, options.relationOf(s.name))),
      // Readable SQL: the ranges are read from vault_changes at run time.
      changes: [spec.parent.entity, ...spec.satellites.map((s) => s.name)].map((name) => ({
        entity: entityKey(options.relationOf(name)),
        after: 0,
        upTo: 0,
      })),
      asOf:
        spec.asOf.kind === 'daily'
          ? { kind: 'daily', from: '<day of the first parent load>', to: '<today>' }
          : {
              kind: 'model',
              relation: options.relationOf(spec.asOf.model),
              column: spec.asOf.column,
              to: '<now>',
            },
    };
  }
  const plan = planVaultLoad(
    spec,
    {
      dialect,
      hashing: spec.hashing,
      ...(options.macros ? { macros: options.macros } : {}),
      target: options.target,
      metaSchema: options.metaSchema ?? META_SCHEMA,
      fullRefresh: false,
      // Readable SQL: the real load number is read from vault_read_keys at run time.
      arrival: 1,
    },
    staging,
    pit,
  );
  return plan.statements.map((s) => `-- ${s.label}\n${s.sql};`).join('\n\n');
}
