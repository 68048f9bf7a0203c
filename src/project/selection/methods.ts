import { posix } from 'node:path';
import type { GraphNode, ProjectGraph, UniqueId } from '../types.ts';
import { globMatch } from './glob.ts';

/**
 * Selector methods: each picks nodes for a value. `candidates` lists the values that would match
 * something, for "did you mean" when a value matches nothing.
 * Adding a method: see src/project/CONTEXT.md "adding a new selector method".
 */
export interface SelectorMethod {
  describe: string;
  matches(graph: ProjectGraph, node: GraphNode, value: string, args: readonly string[]): boolean;
  candidates(graph: ProjectGraph, args: readonly string[]): string[];
}

const RESOURCE_TYPES = ['model', 'source', 'seed', 'test', 'vault'];
const TEST_TYPES: Record<string, 'generic' | 'singular'> = {
  generic: 'generic',
  singular: 'singular',
  // dbt's older names
  schema: 'generic',
  data: 'singular',
};

function fqnPrefix(parts: readonly string[], fqn: readonly string[]): boolean {
  if (parts.length > fqn.length) return false;
  for (let i = 0; i < parts.length; i++) {
    if (parts[i] === '*') return true;
    if (!globMatch(parts[i]!, fqn[i]!)) return false;
  }
  return true;
}

function normalisePath(graph: ProjectGraph, value: string): string {
  let path = value.replaceAll('\\', '/');
  const root = graph.projectDir.replaceAll('\\', '/');
  if (path.startsWith(`${root}/`)) path = path.slice(root.length + 1);
  return posix.normalize(path).replace(/^\.\//, '').replace(/\/+$/, '');
}

/** Config values a selector can compare with, including defaults the node carries as fields. */
function configValue(node: GraphNode, key: string): unknown {
  if (key in node.config) return node.config[key];
  if (node.resourceType === 'model' && key === 'materialized') return node.materialized;
  if (
    (node.resourceType === 'model' || node.resourceType === 'seed') &&
    (key === 'schema' || key === 'alias')
  ) {
    return node[key];
  }
  if (node.resourceType === 'test' && key === 'severity') return node.severity;
  return undefined;
}

function configMatches(actual: unknown, value: string): boolean {
  if (Array.isArray(actual)) return actual.some((item) => configMatches(item, value));
  if (actual === undefined || actual === null) return false;
  if (typeof actual === 'object') return false;
  return globMatch(value, String(actual));
}

export const METHODS: Record<string, SelectorMethod> = {
  fqn: {
    describe: 'node name, or dotted folder path (staging.stg_items, basic.marts); * globs',
    matches(graph, node, value) {
      if (globMatch(value, node.name)) return true;
      const parts = value.split('.');
      return fqnPrefix(parts, node.fqn) || fqnPrefix(parts, [graph.projectName, ...node.fqn]);
    },
    candidates(graph) {
      const out = new Set<string>();
      for (const node of graph.nodes.values()) {
        out.add(node.name);
        for (let i = 1; i < node.fqn.length; i++) out.add(node.fqn.slice(0, i).join('.'));
      }
      return [...out];
    },
  },
  path: {
    describe: 'a file or folder relative to the project (path:models/staging)',
    matches(graph, node, value) {
      const path = normalisePath(graph, value);
      return (
        path === '' ||
        path === '.' ||
        node.file === path ||
        node.file.startsWith(`${path}/`) ||
        globMatch(path, node.file)
      );
    },
    candidates(graph) {
      const out = new Set<string>();
      for (const node of graph.nodes.values()) {
        const parts = node.file.split('/');
        for (let i = 1; i <= parts.length; i++) out.add(parts.slice(0, i).join('/'));
      }
      return [...out];
    },
  },
  file: {
    describe: 'a file name, with or without extension (file:stg_items.sql)',
    matches(_graph, node, value) {
      const base = posix.basename(node.file);
      return globMatch(value, base) || globMatch(value, base.replace(/\.[^.]+$/, ''));
    },
    candidates(graph) {
      return [...new Set([...graph.nodes.values()].map((n) => posix.basename(n.file)))];
    },
  },
  source: {
    describe: 'a source or one of its tables (source:demo, source:demo.items)',
    matches(graph, node, value) {
      if (node.resourceType !== 'source') return false;
      const parts = value.split('.');
      const full = [node.sourceName, node.tableName];
      return fqnPrefix(parts, full) || fqnPrefix(parts, [graph.projectName, ...full]);
    },
    candidates(graph) {
      const out = new Set<string>();
      for (const node of graph.nodes.values()) {
        if (node.resourceType !== 'source') continue;
        out.add(node.sourceName);
        out.add(`${node.sourceName}.${node.tableName}`);
      }
      return [...out];
    },
  },
  tag: {
    describe: 'a tag from +tags, config(tags=…) or YAML (tag:marts)',
    matches(_graph, node, value) {
      return node.tags.some((tag) => globMatch(value, tag));
    },
    candidates(graph) {
      return [...new Set([...graph.nodes.values()].flatMap((n) => n.tags))];
    },
  },
  config: {
    describe: 'any config value (config.materialized:incremental, config.severity:warn)',
    matches(_graph, node, value, args) {
      return configMatches(configValue(node, args.join('.')), value);
    },
    candidates(graph, args) {
      const out = new Set<string>();
      for (const node of graph.nodes.values()) {
        const value = configValue(node, args.join('.'));
        for (const item of ([] as unknown[]).concat(value))
          if (item !== undefined && item !== null) out.add(String(item));
      }
      return [...out];
    },
  },
  resource_type: {
    describe: `one of ${RESOURCE_TYPES.join(', ')}`,
    matches(_graph, node, value) {
      return node.resourceType === value;
    },
    candidates() {
      return RESOURCE_TYPES;
    },
  },
  test_type: {
    describe: 'generic or singular',
    matches(_graph, node, value) {
      return node.resourceType === 'test' && node.testType === TEST_TYPES[value];
    },
    candidates() {
      return Object.keys(TEST_TYPES);
    },
  },
  test_name: {
    describe: 'the generic test a test uses (test_name:not_null)',
    matches(_graph, node, value) {
      return node.resourceType === 'test' && node.testName !== undefined && globMatch(value, node.testName);
    },
    candidates(graph) {
      return [
        ...new Set(
          [...graph.nodes.values()].flatMap((n) =>
            n.resourceType === 'test' && n.testName ? [n.testName] : [],
          ),
        ),
      ];
    },
  },
  package: {
    describe: 'the project (every node; there are no packages)',
    matches(graph, _node, value) {
      return globMatch(value, graph.projectName);
    },
    candidates(graph) {
      return [graph.projectName];
    },
  },
};

export const METHOD_NAMES = Object.keys(METHODS);

/** Values of resource_type: and test_type: are closed sets: a typo there is an error, not "no match". */
export const CLOSED_VALUES: Record<string, string[]> = {
  resource_type: RESOURCE_TYPES,
  test_type: Object.keys(TEST_TYPES),
};

export function matchAtom(
  graph: ProjectGraph,
  method: string,
  value: string,
  args: readonly string[],
): Set<UniqueId> {
  const impl = METHODS[method]!;
  const out = new Set<UniqueId>();
  for (const node of graph.nodes.values()) if (impl.matches(graph, node, value, args)) out.add(node.uniqueId);
  return out;
}
