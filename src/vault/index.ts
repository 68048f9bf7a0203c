/**
 * The vault layer's public API (what the project and run layers call). See CONTEXT.md.
 */

export { compileVaultEntity } from './compile.ts';
export { DEFAULT_VAULT_SCHEMA } from './defaults.ts';
export { VaultHashingMismatchError, VaultInputMissingError } from './errors.ts';
export {
  DEFAULT_HASHING,
  type HashAlgorithm,
  type HashColumn,
  type HashingStandard,
  type HashMacros,
  hashDiffSql,
  hashingFingerprint,
  hashKeySql,
} from './hashing.ts';
export { COL, currentStateRelation, META_SCHEMA } from './names.ts';
export { checkStagingColumns, preflightRelations } from './preflight.ts';
export {
  prepareVaultMeta,
  type RunVaultEntityOptions,
  runVaultEntity,
  stagingNames,
  VaultLoadError,
  type VaultLoadResult,
  type VaultSourceCounts,
} from './run.ts';
export {
  type LoadVaultSpecsInput,
  type LoadVaultSpecsResult,
  loadVaultSpecs,
  type VaultYamlFile,
} from './spec/load.ts';
export type { PlanContext, StagingInput, VaultPlan, VaultStatement } from './sql/common.ts';
export { VaultPlanError } from './sql/common.ts';
export { planVaultLoad } from './sql/plan.ts';
export { type VaultTestDefinition, vaultTests } from './tests.ts';
export * from './types.ts';
