import { type PositionedYaml, parseYamlWithPositions } from '../config/yaml-positions.ts';
import type { Dialect } from '../engine/dialect.ts';
import type { Diagnostic } from '../shared/diagnostics.ts';
import {
  DEFAULT_VAULT_SCHEMA,
  entityDependencies,
  loadVaultSpecs,
  type VaultEntitySpec,
  vaultTests,
} from '../vault/index.ts';
import type { GraphNode, TestNode, UniqueId, VaultNode } from './types.ts';

export interface VaultYamlInput {
  /** vaultline.yml (relative path for diagnostics), its parsed text and interpolated data. */
  config: { file: string; yaml?: PositionedYaml; data: unknown };
  /** Every models/**\/*.yml, by relative path with its text and folders. */
  files: { file: string; text: string; folders: string[] }[];
}

/**
 * Data Vault entities declared under `vault:` (vaultline.yml and models/**\/*.yml) become VaultNodes
 * in the graph — built, selected, tested and reported like any model — and their automatic tests
 * (hash keys not_null/unique, relationships to parents) become TestNodes attached to them.
 */
export function buildVaultNodes(input: {
  projectName: string;
  yaml: VaultYamlInput;
  models: Map<string, UniqueId>;
  dialect: Dialect;
  diagnostics: Diagnostic[];
}): GraphNode[] {
  const { projectName, yaml, models, diagnostics } = input;
  const result = loadVaultSpecs({
    config: { file: yaml.config.file, yaml: yaml.config.yaml, data: yaml.config.data },
    // Files with YAML syntax errors are already reported by the properties reader: skip them here
    // so no problem is listed twice; only files that declare `vault:` need a look.
    files: yaml.files.flatMap((f) => {
      if (!/^vault\s*:/m.test(f.text)) return [];
      const parsed = parseYamlWithPositions(f.text);
      return parsed.errors.length > 0 ? [] : [{ file: f.file, yaml: parsed }];
    }),
    knownModels: models.keys(),
  });
  diagnostics.push(...result.diagnostics);

  const foldersOf = new Map(yaml.files.map((f) => [f.file, f.folders]));
  const idOf = (name: string) => `vault.${projectName}.${name}`;
  const entities = new Map(result.entities.map((e) => [e.name, e]));
  const schemaOf = (spec: VaultEntitySpec) => spec.schema ?? DEFAULT_VAULT_SCHEMA;
  const relationOf = (name: string) => {
    const entity = entities.get(name);
    return { schema: entity ? schemaOf(entity) : DEFAULT_VAULT_SCHEMA, name };
  };

  const nodes: GraphNode[] = [];
  for (const spec of result.entities) {
    const deps = entityDependencies(spec);
    const dependsOn: UniqueId[] = [];
    for (const model of deps.models) {
      const id = models.get(model);
      if (id) dependsOn.push(id);
    }
    for (const entity of deps.entities) if (entities.has(entity)) dependsOn.push(idOf(entity));
    const folders = foldersOf.get(spec.file) ?? [];
    const node: VaultNode = {
      uniqueId: idOf(spec.name),
      resourceType: 'vault',
      name: spec.name,
      file: spec.file,
      line: spec.line,
      fqn: [projectName, ...folders, spec.name],
      tags: [...new Set(['vault', ...spec.tags])],
      description: spec.description,
      dependsOn,
      config: { materialized: spec.kind, schema: schemaOf(spec), tags: spec.tags },
      entity: spec.kind,
      schema: schemaOf(spec),
      alias: spec.name,
      spec,
    };
    nodes.push(node);

    for (const test of vaultTests(spec, input.dialect, relationOf)) {
      const testNode: TestNode = {
        uniqueId: `test.${projectName}.${test.name}`,
        resourceType: 'test',
        name: test.name,
        file: spec.file,
        line: spec.line,
        fqn: [projectName, ...folders, test.name],
        tags: node.tags,
        dependsOn: [node.uniqueId, ...test.dependsOn.filter((e) => entities.has(e)).map(idOf)],
        config: { severity: 'error', materialized: 'test' },
        testType: 'generic',
        testName: test.testName,
        attachedNode: node.uniqueId,
        columnName: test.columns.length === 1 ? test.columns[0] : undefined,
        arguments: test.arguments,
        severity: test.severity,
        fixedSql: test.sql,
      };
      nodes.push(testNode);
    }
  }
  return nodes;
}
