import { readFile } from 'node:fs/promises';
import { relative } from 'node:path';
import type { VaultlineConfig } from '../config/schema.ts';
import { type PositionedYaml, parseYamlWithPositions } from '../config/yaml-positions.ts';
import { connectorConfigDiagnostics } from '../connectors/config-check.ts';
import { engineFor } from '../engine/engine.ts';
import { type Diagnostic, formatDiagnostic } from '../shared/diagnostics.ts';
import { didYouMean } from '../shared/did-you-mean.ts';
import { log } from '../shared/logger.ts';
import { assertNoErrors } from './assert-no-errors.ts';
import { buildModels } from './build-models.ts';
import { buildSeeds } from './build-seeds.ts';
import { buildSources } from './build-sources.ts';
import { buildVaultNodes } from './build-vault.ts';
import { readFolderConfigs } from './folder-config.ts';
import { buildGenericTests, type TestTarget } from './generic-tests.ts';
import { JinjaEngine } from './jinja/engine.ts';
import { jinjaDiagnostic } from './jinja/errors.ts';
import { hasTestBlock } from './jinja/macros.ts';
import type { LoadContext, PendingMap } from './load-context.ts';
import { listProjectFiles, type ProjectFile, toPosix } from './project-files.ts';
import { missingPathDiagnostics } from './project-paths.ts';
import { type ModelProps, type PropertiesFile, readProperties, type SeedProps } from './properties.ts';
import { childrenOf, resolveDependencies } from './resolve-graph.ts';
import { registerRuntime } from './runtime.ts';
import { buildSingularTests } from './singular-tests.ts';
import type { GraphNode, MacroDefinition, ProjectGraph, UniqueId } from './types.ts';

export { assertNoErrors } from './assert-no-errors.ts';

export interface LoadProjectOptions {
  /** Vars on top of vaultline.yml's (e.g. --vars), so parse-time var() calls see them. */
  vars?: Record<string, unknown>;
  /** Environment for env_var() (default process.env). */
  env?: Record<string, string | undefined>;
  /** `target` during parse-time rendering. */
  target?: { name: string; type: string; schema: string };
}

/**
 * Loads a project into a ProjectGraph (DESIGN.md: project files → ProjectGraph). Never throws on a
 * project problem: every problem found becomes a diagnostic {file, line, node, message, hint}, and
 * the graph holds everything that could be built. Callers refuse to run while any error remains
 * (assertNoErrors).
 */
export async function loadProject(
  config: VaultlineConfig,
  options: LoadProjectOptions = {},
): Promise<ProjectGraph> {
  const projectDir = config.projectDir;
  const diagnostics: Diagnostic[] = [];
  const engine = new JinjaEngine();
  const vars = { ...config.vars, ...options.vars };
  const configFile = toPosix(relative(projectDir, config.configFile)) || 'vaultline.yml';
  const dialect = engineFor(config.warehouse.type).dialect;

  const yaml = await readConfigYaml(config.configFile);
  // `connectors:` is not part of the project graph, but a typo in it is a configuration error that
  // `parse` and `build` must report, not only the next `extract`.
  for (const d of connectorConfigDiagnostics(config)) diagnostics.push({ ...d, file: configFile });
  const missing = await missingPathDiagnostics(config, yaml, configFile);
  if (missing.length > 0) {
    const graph: ProjectGraph = {
      projectName: config.name,
      projectDir,
      nodes: new Map(),
      children: new Map(),
      macros: [],
      diagnostics: sortDiagnostics([...diagnostics, ...missing]),
      vars,
    };
    registerRuntime(graph, engine);
    return graph;
  }

  const [modelFiles, propertyFiles, macroFiles, testFiles, seedFiles] = await Promise.all([
    listProjectFiles(projectDir, config.model_paths, ['.sql']),
    listProjectFiles(projectDir, [...config.model_paths, ...config.seed_paths], ['.yml', '.yaml']),
    listProjectFiles(projectDir, config.macro_paths, ['.sql']),
    listProjectFiles(projectDir, config.test_paths, ['.sql']),
    listProjectFiles(projectDir, config.seed_paths, ['.csv']),
  ]);

  // Macros first: models, tests and YAML tests call them. Files under tests/generic/ (or holding a
  // {% test %} block) are macro files, not singular tests.
  const singularFiles: ProjectFile[] = [];
  const allMacroFiles: { file: ProjectFile; text: string }[] = [];
  for (const file of macroFiles) allMacroFiles.push({ file, text: await readFile(file.absolute, 'utf8') });
  for (const file of testFiles) {
    const text = await readFile(file.absolute, 'utf8');
    if (file.folders[0] === 'generic' || hasTestBlock(text)) allMacroFiles.push({ file, text });
    else singularFiles.push(file);
  }
  const macros: MacroDefinition[] = [];
  const macroIndex = new Map<string, MacroDefinition>();
  for (const m of engine.builtinMacros) macroIndex.set(m.name, m);
  for (const { file, text } of allMacroFiles) {
    const { definitions, problems } = engine.loadMacroFile(file.path, text);
    for (const p of problems) diagnostics.push(jinjaDiagnostic(file.path, undefined, p, 'Jinja: '));
    for (const definition of definitions) {
      const earlier = macroIndex.get(definition.name);
      if (earlier && !earlier.builtin) {
        diagnostics.push({
          file: definition.file,
          line: definition.line,
          node: definition.name,
          message: `macro ${definition.name} is already defined at ${earlier.file}:${earlier.line}`,
          hint: 'macro names are global: rename or remove one',
          severity: 'error',
        });
      }
      macroIndex.set(definition.name, definition);
      macros.push(definition);
    }
  }

  const folderSet = (files: ProjectFile[]) => {
    const set = new Set<string>();
    for (const f of files)
      for (let i = 1; i <= f.folders.length; i++) set.add(f.folders.slice(0, i).join('/'));
    return set;
  };
  const folderOptions = { projectName: config.name, yaml, file: configFile, diagnostics };
  const ctx: LoadContext = {
    projectName: config.name,
    projectDir,
    engine,
    diagnostics,
    vars,
    env: options.env ?? process.env,
    target: options.target ?? {
      name: config.profile ?? 'dev',
      type: config.warehouse.type,
      schema: dialect.defaultSchema,
    },
    dialect: config.warehouse.type,
    defaultSchema: dialect.defaultSchema,
    macros: macroIndex,
    folders: {
      models: readFolderConfigs({
        ...folderOptions,
        section: 'models',
        resource: 'model',
        values: config.models,
        knownFolders: folderSet(modelFiles),
      }),
      seeds: readFolderConfigs({
        ...folderOptions,
        section: 'seeds',
        resource: 'seed',
        values: config.seeds,
        knownFolders: folderSet(seedFiles),
      }),
      tests: readFolderConfigs({
        ...folderOptions,
        section: 'tests',
        resource: 'test',
        values: config.tests,
        knownFolders: new Set([...folderSet(propertyFiles), ...folderSet(singularFiles)]),
      }),
    },
  };

  const properties: { props: PropertiesFile; file: ProjectFile; text: string }[] = [];
  for (const file of propertyFiles) {
    const text = await readFile(file.absolute, 'utf8');
    properties.push({ props: readProperties(file.path, text, diagnostics), file, text });
  }
  const modelProps = indexProps(
    properties.flatMap(({ props }) => props.models),
    'model',
    diagnostics,
  );
  const seedProps = indexProps(
    properties.flatMap(({ props }) => props.seeds),
    'seed',
    diagnostics,
  );

  const pending: PendingMap = new Map();
  const nodes = new Map<UniqueId, GraphNode>();
  const add = (node: GraphNode) => nodes.set(node.uniqueId, node);

  const seeds = await buildSeeds(ctx, seedFiles, seedProps);
  seeds.forEach(add);
  const sources = buildSources(
    ctx,
    properties.flatMap(({ props, file }) => props.sources.map((s) => ({ props: s, folders: file.folders }))),
  );
  sources.forEach(add);
  const { models, disabled } = await buildModels(ctx, modelFiles, modelProps, pending);
  for (const model of models) {
    const seed = seeds.find((s) => s.name === model.name);
    if (seed) {
      diagnostics.push({
        file: model.file,
        line: 1,
        node: model.name,
        message: `model ${model.name} has the same name as seed ${seed.file}, so ref('${model.name}') is ambiguous`,
        hint: 'rename the model or the seed',
        severity: 'error',
      });
      continue;
    }
    add(model);
  }

  const vaultNodes = buildVaultNodes({
    projectName: config.name,
    yaml: {
      config: { file: configFile, yaml, data: { vault: config.vault } },
      files: properties.map(({ file, text }) => ({ file: file.path, text, folders: file.folders })),
    },
    models: new Map(models.map((m) => [m.name, m.uniqueId])),
    dialect,
    diagnostics,
  });
  for (const node of vaultNodes) {
    const clash = nodes.get(`model.${config.name}.${node.name}`);
    if (node.resourceType === 'vault' && clash) {
      diagnostics.push({
        file: node.file,
        line: node.line,
        node: node.name,
        message: `vault entity ${node.name} has the same name as model ${clash.file}`,
        hint: 'rename one of them',
        severity: 'error',
      });
      continue;
    }
    add(node);
  }

  // YAML entries for models that do not exist (typos) are errors; their tests cannot be attached.
  const targets: TestTarget[] = [];
  const foldersOf = new Map(properties.map(({ props, file }) => [props.file, file.folders]));
  for (const [name, props] of modelProps) {
    const model = nodes.get(`model.${config.name}.${name}`) ?? nodes.get(`vault.${config.name}.${name}`);
    if (!model) {
      if (disabled.has(name)) continue;
      const known = models.map((m) => m.name);
      const suggestion = didYouMean(name, known);
      diagnostics.push({
        file: props.file,
        line: props.line,
        node: name,
        message: `properties for model ${name}, but no models/**/${name}.sql exists`,
        hint: suggestion ? `did you mean ${suggestion}?` : 'fix the name, or add the model',
        severity: 'error',
      });
      continue;
    }
    targets.push({
      uniqueId: model.uniqueId,
      nameForTests: name,
      onSource: false,
      props,
      folders: foldersOf.get(props.file) ?? [],
      tags: [],
    });
  }
  for (const [name, props] of seedProps) {
    const seed = nodes.get(`seed.${config.name}.${name}`);
    if (seed?.resourceType !== 'seed') {
      diagnostics.push({
        file: props.file,
        line: props.line,
        node: name,
        message: `properties for seed ${name}, but no seeds/**/${name}.csv exists`,
        hint: 'fix the name, or add the CSV',
        severity: 'error',
      });
      continue;
    }
    targets.push({
      uniqueId: seed.uniqueId,
      nameForTests: name,
      onSource: false,
      props,
      folders: foldersOf.get(props.file) ?? [],
      actualColumns: seed.columns?.map((c) => c.name),
      tags: [],
    });
  }
  for (const { props, file } of properties) {
    for (const source of props.sources) {
      for (const table of source.tables) {
        const node = nodes.get(`source.${config.name}.${source.name}.${table.name}`);
        if (!node) continue;
        targets.push({
          uniqueId: node.uniqueId,
          nameForTests: `${source.name}_${table.name}`,
          onSource: true,
          props: table,
          folders: file.folders,
          tags: node.tags,
        });
      }
    }
  }
  const taken = new Set<UniqueId>();
  buildGenericTests(ctx, targets, pending, taken).forEach(add);
  (await buildSingularTests(ctx, singularFiles, pending, taken)).forEach(add);

  resolveDependencies({ projectName: config.name, nodes, pending, disabledModels: disabled, diagnostics });

  const graph: ProjectGraph = {
    projectName: config.name,
    projectDir,
    nodes,
    children: childrenOf(nodes),
    macros,
    diagnostics: sortDiagnostics(diagnostics),
    vars,
  };
  registerRuntime(graph, engine);
  return graph;
}

async function readConfigYaml(path: string): Promise<PositionedYaml | undefined> {
  try {
    return parseYamlWithPositions(await readFile(path, 'utf8'));
  } catch {
    return undefined;
  }
}

function indexProps<T extends ModelProps | SeedProps>(
  list: T[],
  kind: 'model' | 'seed',
  diagnostics: Diagnostic[],
): Map<string, T> {
  const out = new Map<string, T>();
  for (const props of list) {
    const earlier = out.get(props.name);
    if (earlier) {
      diagnostics.push({
        file: props.file,
        line: props.line,
        node: props.name,
        message: `${kind} ${props.name} is described twice (also at ${earlier.file}:${earlier.line})`,
        hint: 'merge the two entries',
        severity: 'error',
      });
      continue;
    }
    out.set(props.name, props);
  }
  return out;
}

/** Errors first, then by file and line: the order a user fixes them in. */
function sortDiagnostics(list: Diagnostic[]): Diagnostic[] {
  return [...list].sort(
    (a, b) =>
      (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1) ||
      (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
      (a.line ?? 0) - (b.line ?? 0),
  );
}

/**
 * For commands that run the project (ls, compile, run, build …): loads it, logs every warning on
 * stderr, and throws DiagnosticsError (exit 2) if any error remains.
 */
export async function loadCheckedProject(
  config: VaultlineConfig,
  options: LoadProjectOptions = {},
): Promise<ProjectGraph> {
  const graph = await loadProject(config, options);
  for (const d of graph.diagnostics) if (d.severity === 'warning') log().warn(formatDiagnostic(d));
  assertNoErrors(graph);
  return graph;
}
