/**
 * The artefacts of DESIGN.md's flow: project files → ProjectGraph (compile) → SelectedGraph (select)
 * → ExecutionPlan (plan) → RunResult (run). The CLI, the tests and the run history all read these.
 * This file is the shared contract between src/project/ (loading, templating, graph, selection) and
 * src/run/ (planning, materializations, tests); additions are welcome, changes must keep both sides.
 */
import type { Diagnostic } from '../shared/diagnostics.ts';

export type ResourceType = 'model' | 'source' | 'seed' | 'test' | 'vault';

export type Materialization = 'view' | 'table' | 'incremental' | 'ephemeral';

export type IncrementalStrategy = 'append' | 'merge' | 'delete+insert';

/** Ids as dbt spells them: `model.<project>.<name>`, `source.<project>.<source>.<table>`, `seed.…`, `test.…`. */
export type UniqueId = string;

export interface NodeBase {
  uniqueId: UniqueId;
  resourceType: ResourceType;
  name: string;
  /** Path relative to the project folder, with forward slashes (what `path:` selection matches). */
  file: string;
  line?: number;
  /** Folder parts plus name, e.g. ['staging', 'stg_usgs'], for folder configs and `path:`. */
  fqn: string[];
  tags: string[];
  description?: string;
  /** Direct upstream nodes (from ref/source, a test's model, a vault entity's sources). */
  dependsOn: UniqueId[];
  /** Free-form config as resolved from vaultline.yml folders, YAML and config() (for `config.X:` selection). */
  config: Record<string, unknown>;
}

export interface ColumnSpec {
  name: string;
  description?: string;
  dataType?: string;
}

export interface ModelNode extends NodeBase {
  resourceType: 'model';
  rawSql: string;
  materialized: Materialization;
  /** Target schema and relation name in the warehouse. */
  schema: string;
  alias: string;
  incremental?: {
    strategy: IncrementalStrategy;
    uniqueKey?: string[];
    onSchemaChange: 'fail' | 'append_new_columns' | 'ignore';
  };
  columns: ColumnSpec[];
}

export interface SourceNode extends NodeBase {
  resourceType: 'source';
  sourceName: string;
  tableName: string;
  /** Landing prefix `source/resource` the relation reads. */
  landingPrefix: string;
  /** JSON path (e.g. `$.features[*]` or `[1][*]`) to the record array inside each payload, if any. */
  recordsPath?: string;
  /** SQL over the payload instead of a records path (advanced). */
  sql?: string;
  columns: ColumnSpec[];
}

export interface SeedNode extends NodeBase {
  resourceType: 'seed';
  /** Absolute path of the CSV. */
  path: string;
  schema: string;
  alias: string;
  columnTypes: Record<string, string>;
  /** Column names from the CSV header, in file order (with YAML descriptions where given). */
  columns?: ColumnSpec[];
}

export interface TestNode extends NodeBase {
  resourceType: 'test';
  testType: 'generic' | 'singular';
  /** Generic: not_null, unique, accepted_values, relationships or a custom `{% test %}` name. */
  testName?: string;
  /** The node under test, and its column when the test is on a column. */
  attachedNode?: UniqueId;
  columnName?: string;
  arguments: Record<string, unknown>;
  severity: 'error' | 'warn';
  where?: string;
  /** Singular tests: their SQL (a query returning failing rows). */
  rawSql?: string;
}

/** A Data Vault entity (hub, link, satellite, PIT …), built by src/vault/ and run like a model. */
export interface VaultNode extends NodeBase {
  resourceType: 'vault';
  entity: string;
  schema: string;
  alias: string;
  spec: unknown;
}

export type GraphNode = ModelNode | SourceNode | SeedNode | TestNode | VaultNode;

export interface MacroDefinition {
  name: string;
  file: string;
  line: number;
  /** `test` for a `{% test name(...) %}` block (registered as the macro `test_<name>`). */
  kind?: 'macro' | 'test';
  /** Declared arguments, in order; those with a default are marked optional. */
  arguments?: { name: string; optional: boolean }[];
  /** True for the macros vaultline bundles (the built-in generic tests); users may override them. */
  builtin?: boolean;
}

export interface ProjectGraph {
  projectName: string;
  projectDir: string;
  nodes: Map<UniqueId, GraphNode>;
  /** Downstream edges, the reverse of dependsOn. */
  children: Map<UniqueId, UniqueId[]>;
  macros: MacroDefinition[];
  diagnostics: Diagnostic[];
  /** `vars:` from vaultline.yml (merged with loadProject's `vars` option); `--vars` go on top at render. */
  vars?: Record<string, unknown>;
}

/**
 * What renderNode needs from its caller (src/project/render.ts). The run layer supplies relation names
 * (it knows ephemerals become CTEs and how sources read landed payloads); `vaultline compile` uses
 * src/project/relations.ts.
 */
export interface RenderContext {
  /** The SQL text for a ref()/source() target: `"schema"."alias"`, a CTE name, a relation over payloads. */
  relationFor(uniqueId: UniqueId): string;
  isIncremental: boolean;
  /** What `{{ this }}` renders as (the model's own relation). */
  thisRelation: string;
  target: { name: string; type: string; schema: string };
  /** Project vars merged with --vars. */
  vars: Record<string, unknown>;
  /** Engine name for adapter.dispatch(): `<dialect>__name` is tried before `default__name`. */
  dialect: string;
}

export interface SelectedGraph {
  graph: ProjectGraph;
  selected: Set<UniqueId>;
  /** Warnings such as an intersection that matches nothing while its parts do. */
  warnings: string[];
}

export type NodeStatus = 'success' | 'error' | 'skipped' | 'pass' | 'fail' | 'warn';

export interface NodeResult {
  uniqueId: UniqueId;
  status: NodeStatus;
  /** Why it failed or was skipped (a skipped node names the upstream failure). */
  message?: string;
  rowsAffected?: number;
  /** Tests: failing row count and a few sample rows. */
  failures?: number;
  sample?: Record<string, unknown>[];
  startedAt: string;
  durationMs: number;
  /** Compiled SQL that ran, for the results file and errors. */
  compiledSql?: string;
  /** Payloads skipped because they failed to parse, by landing key. */
  skippedPayloads?: string[];
}

export interface RunResult {
  runId: string;
  command: string;
  startedAt: string;
  finishedAt: string;
  success: boolean;
  results: NodeResult[];
}
