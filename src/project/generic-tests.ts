import { didYouMean } from '../shared/did-you-mean.ts';
import { captureState } from './capture.ts';
import { CONFIG_KEYS, checkConfig, mergeConfigs } from './config-keys.ts';
import { Relation } from './jinja/relation.ts';
import type { LoadContext, PendingMap } from './load-context.ts';
import type { ColumnProps, ModelProps, TestEntry } from './properties.ts';
import { isJinjaExpression } from './render.ts';
import { storeFailuresTarget } from './test-failures.ts';
import { genericTestName, shortHash } from './test-names.ts';
import type { TestNode, UniqueId } from './types.ts';

/** A model, seed or source table whose YAML declares tests. */
export interface TestTarget {
  uniqueId: UniqueId;
  /** The name tests are named after: the model or seed name, or `<source>_<table>`. */
  nameForTests: string;
  onSource: boolean;
  props: ModelProps;
  /** Folders of the YAML file (for the test's fqn and `tests:` folder configs). */
  folders: string[];
  /** Columns known exactly (a seed's CSV header): a test on any other column is an error. */
  actualColumns?: string[];
  tags: string[];
}

const ENTRY_KEYS = new Set(['arguments', 'config', 'name', 'description', 'column_name', 'test_name']);
const TEST_CONFIG_KEYS = new Set(Object.keys(CONFIG_KEYS.test));

interface ParsedEntry {
  testName: string;
  args: Record<string, unknown>;
  config: Record<string, unknown>;
  customName?: string;
  description?: string;
  columnName?: string;
  deprecated: string[];
}

/**
 * Generic tests from YAML, in the dbt 1.10 form
 *   - accepted_values: {arguments: {values: [a, b]}, config: {severity: warn, where: "…", store_failures: true}}
 * (the older form with arguments and config at the top level is accepted with a deprecation warning).
 * Each test calls the macro `test_<name>` (built-in or a project `{% test %}` block); it is rendered
 * once here, in capture mode, so a broken test is reported at parse time with its YAML line.
 */
export function buildGenericTests(
  ctx: LoadContext,
  targets: readonly TestTarget[],
  pending: PendingMap,
  taken: Set<UniqueId>,
): TestNode[] {
  const out: TestNode[] = [];
  for (const target of targets) {
    const entries: { entry: TestEntry; column?: ColumnProps }[] = [
      ...target.props.tests.map((entry) => ({ entry })),
      ...target.props.columns.flatMap((column) => column.tests.map((entry) => ({ entry, column }))),
    ];
    for (const { entry, column } of entries) {
      const test = buildOne(ctx, target, entry, column, pending, taken);
      if (test) out.push(test);
    }
  }
  return out;
}

function buildOne(
  ctx: LoadContext,
  target: TestTarget,
  entry: TestEntry,
  column: ColumnProps | undefined,
  pending: PendingMap,
  taken: Set<UniqueId>,
): TestNode | undefined {
  const file = target.props.file;
  const report = (message: string, hint?: string, severity: 'error' | 'warning' = 'error') =>
    ctx.diagnostics.push({ file, line: entry.line, node: target.props.name, message, hint, severity });
  const parsed = parseEntry(entry, report);
  if (!parsed) return undefined;
  const { testName, args } = parsed;
  if (parsed.deprecated.length > 0) {
    report(
      `test ${testName}: ${parsed.deprecated.join(', ')} at the top level of a test is deprecated (dbt 1.10)`,
      'put test arguments under arguments: and severity/where/tags under config:',
      'warning',
    );
  }
  const macroName = `test_${testName}`;
  const definition = ctx.macros.get(macroName);
  if (!definition) {
    const known = [...ctx.macros.values()].filter((m) => m.kind === 'test').map((m) => m.name.slice(5));
    const suggestion = didYouMean(testName, known);
    report(
      `unknown test "${testName}"`,
      suggestion
        ? `did you mean "${suggestion}"?`
        : `define it with {% test ${testName}(model, column_name) %} in macros/ or tests/generic/ (known: ${known.join(', ')})`,
    );
    return undefined;
  }
  const columnName = column?.name ?? parsed.columnName;
  if (!checkArguments(testName, definition.arguments ?? [], args, columnName, report)) return undefined;
  if (columnName !== undefined) {
    if (target.actualColumns && !target.actualColumns.includes(columnName)) {
      report(
        `test ${testName} is on column "${columnName}", which ${target.nameForTests} does not have`,
        `columns: ${target.actualColumns.join(', ')}`,
      );
      return undefined;
    }
    const declared = target.props.columns.map((c) => c.name);
    if (!column && declared.length > 0 && !declared.includes(columnName)) {
      const suggestion = didYouMean(columnName, declared);
      report(
        `test ${testName} is on column "${columnName}", which is not among the declared columns of ${target.props.name}`,
        suggestion ? `did you mean "${suggestion}"?` : 'declare the column under columns:',
        'warning',
      );
    }
  }

  const checked = checkConfig('test', parsed.config);
  for (const p of checked.problems) report(`test ${testName}: ${p.message}`, p.hint);
  const config = mergeConfigs(
    ctx.folders.tests.resolve(target.folders),
    { tags: target.tags },
    { tags: column?.tags ?? [] },
    checked.config,
  );
  if (config.enabled === false) return undefined;

  let name =
    parsed.customName ??
    genericTestName({
      testName,
      targetName: target.nameForTests,
      onSource: target.onSource,
      column: columnName,
      args,
    });
  if (taken.has(`test.${ctx.projectName}.${name}`)) {
    name = `${name.slice(0, 56)}_${shortHash(`${file}:${entry.line}:${JSON.stringify(entry.raw)}`)}`;
    report(
      `test ${testName} on ${target.props.name}${columnName ? `.${columnName}` : ''} is declared more than once`,
      'remove the duplicate',
      'warning',
    );
  }
  const uniqueId = `test.${ctx.projectName}.${name}`;
  if (taken.has(uniqueId)) {
    report(`test name ${name} is already used`, 'give the test a distinct name: with name:');
    return undefined;
  }
  taken.add(uniqueId);

  const { state, captured } = captureState({
    label: `test ${name}`,
    vars: ctx.vars,
    target: ctx.target,
    dialect: ctx.dialect,
    env: ctx.env,
    thisRelation: new Relation('"__test__"'),
    baseConfig: config,
  });
  try {
    const kwargs: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(args)) {
      kwargs[key] = isJinjaExpression(value) ? ctx.engine.renderText(`{{ ${value} }}`, file, state) : value;
    }
    kwargs.model = new Relation('"__model__"');
    if (columnName !== undefined) kwargs.column_name = columnName;
    ctx.engine.callMacro(macroName, kwargs, file, state);
  } catch (error) {
    const problem = (error as { problem?: { message: string; hint?: string } }).problem;
    report(`test ${name}: ${problem?.message ?? String(error)}`, problem?.hint);
  }
  pending.set(uniqueId, {
    file,
    label: `test ${name}`,
    refs: captured.refs.map((r) => ({ ...r, line: entry.line })),
    sources: captured.sources.map((s) => ({ ...s, line: entry.line })),
  });
  const severity = (config.severity as 'error' | 'warn' | undefined) ?? 'error';
  config.severity = severity;
  const storeFailures = storeFailuresTarget(name, config);
  return {
    uniqueId,
    resourceType: 'test',
    name,
    file,
    line: entry.line,
    fqn: [...target.folders, name],
    tags: (config.tags as string[] | undefined) ?? [],
    ...(parsed.description ? { description: parsed.description } : {}),
    dependsOn: [target.uniqueId],
    config,
    testType: 'generic',
    testName,
    attachedNode: target.uniqueId,
    ...(columnName !== undefined ? { columnName } : {}),
    arguments: args,
    severity,
    ...(typeof config.where === 'string' ? { where: config.where } : {}),
    ...(storeFailures ? { storeFailures } : {}),
  };
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function parseEntry(
  entry: TestEntry,
  report: (message: string, hint?: string) => void,
): ParsedEntry | undefined {
  if (typeof entry.raw === 'string') return { testName: entry.raw, args: {}, config: {}, deprecated: [] };
  const raw = entry.raw;
  let testName: string;
  let body: unknown;
  if (typeof raw.test_name === 'string') {
    testName = raw.test_name;
    body = raw;
  } else {
    const keys = Object.keys(raw);
    if (keys.length !== 1) {
      report(
        `a test is one key, the test name, holding arguments: and config: (got ${keys.join(', ')})`,
        'e.g. - accepted_values: {arguments: {values: [a, b]}, config: {severity: warn}}',
      );
      return undefined;
    }
    testName = keys[0]!;
    body = raw[testName] ?? {};
  }
  if (testName.includes('.')) {
    report(
      `test ${testName}: tests from packages are not supported`,
      `copy the test into tests/generic/ as {% test ${testName.split('.').pop()}(model, column_name) %}`,
    );
    return undefined;
  }
  if (!isMapping(body)) {
    report(`test ${testName}: expected a mapping with arguments: and config: (got ${JSON.stringify(body)})`);
    return undefined;
  }
  const parsed: ParsedEntry = { testName, args: {}, config: {}, deprecated: [] };
  for (const [key, value] of Object.entries(body)) {
    if (key === 'test_name') continue;
    if (key === 'arguments' || key === 'config') {
      if (!isMapping(value)) {
        report(`test ${testName}: ${key}: must be a mapping (got ${JSON.stringify(value)})`);
        return undefined;
      }
      Object.assign(key === 'arguments' ? parsed.args : parsed.config, value);
    } else if (key === 'name' && typeof value === 'string') parsed.customName = value;
    else if (key === 'description' && typeof value === 'string') parsed.description = value;
    else if (key === 'column_name' && typeof value === 'string') parsed.columnName = value;
    else if (ENTRY_KEYS.has(key)) {
      report(`test ${testName}: ${key}: must be a string (got ${JSON.stringify(value)})`);
      return undefined;
    } else {
      parsed.deprecated.push(key);
      if (TEST_CONFIG_KEYS.has(key)) parsed.config[key] = value;
      else parsed.args[key] = value;
    }
  }
  if (typeof parsed.args.column_name === 'string' && parsed.columnName === undefined) {
    parsed.columnName = parsed.args.column_name;
  }
  delete parsed.args.column_name;
  return parsed;
}

function checkArguments(
  testName: string,
  declared: readonly { name: string; optional: boolean }[],
  args: Record<string, unknown>,
  columnName: string | undefined,
  report: (message: string, hint?: string) => void,
): boolean {
  let ok = true;
  const names = declared.map((a) => a.name);
  for (const key of Object.keys(args)) {
    if (!names.includes(key) || key === 'model') {
      const suggestion = didYouMean(key, names);
      const listed = names.filter((n) => n !== 'model' && n !== 'column_name');
      report(
        `test ${testName} has no argument "${key}"`,
        suggestion
          ? `did you mean "${suggestion}"?`
          : listed.length
            ? `its arguments: ${listed.join(', ')}`
            : 'it takes no arguments',
      );
      ok = false;
    }
  }
  for (const arg of declared) {
    if (arg.optional || arg.name === 'model') continue;
    if (arg.name === 'column_name') {
      if (columnName === undefined) {
        report(
          `test ${testName} tests a column`,
          "list it under a column's data_tests:, or give column_name:",
        );
        ok = false;
      }
    } else if (!(arg.name in args)) {
      report(`test ${testName} needs the argument "${arg.name}"`, `add it under arguments: (${arg.name}: …)`);
      ok = false;
    }
  }
  if (!ok) return false;
  if (testName === 'accepted_values' && (!Array.isArray(args.values) || args.values.length === 0)) {
    report('test accepted_values: values must be a non-empty list', 'arguments: {values: [a, b]}');
    return false;
  }
  if (testName === 'relationships') {
    if (!isJinjaExpression(args.to)) {
      report(
        `test relationships: to must be ref('model') or source('source', 'table') (got ${JSON.stringify(args.to)})`,
        "arguments: {to: ref('customers'), field: id}",
      );
      return false;
    }
    if (typeof args.field !== 'string' || args.field === '') {
      report(
        'test relationships: field must name the column in the referenced model',
        "arguments: {to: ref('customers'), field: id}",
      );
      return false;
    }
  }
  return true;
}
