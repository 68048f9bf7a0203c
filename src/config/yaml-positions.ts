import { type Document, isMap, isPair, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import type { Diagnostic } from '../shared/diagnostics.ts';

/**
 * YAML parsed with positions, so every diagnostic can say `file:line`. Shared by vaultline.yml and the
 * project's models/*.yml files.
 */
export interface PositionedYaml {
  doc: Document.Parsed;
  lineCounter: LineCounter;
  /** 1-based line of the value at `path`, or of its nearest existing ancestor. */
  lineOf(path: readonly PropertyKey[]): number;
  /** 1-based line of the key `key` inside the mapping at `path` (for unknown-key errors). */
  lineOfKey(path: readonly PropertyKey[], key: string): number;
  /** Syntax errors with their lines. */
  errors: { line: number; message: string }[];
}

export function parseYamlWithPositions(text: string): PositionedYaml {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const lineAt = (offset: number | undefined) =>
    offset === undefined ? 1 : lineCounter.linePos(offset).line;

  const nodeAt = (path: readonly PropertyKey[]): { node: unknown; depth: number } => {
    let node: unknown = doc.contents;
    let depth = 0;
    for (const segment of path) {
      if (isMap(node)) {
        const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment));
        if (!pair) break;
        node = pair.value ?? pair.key;
      } else if (isSeq(node) && typeof segment === 'number') {
        const item = node.items[segment];
        if (item === undefined) break;
        node = item;
      } else break;
      depth++;
    }
    return { node, depth };
  };

  const rangeStart = (node: unknown): number | undefined =>
    node && typeof node === 'object' && 'range' in node ? (node as Node).range?.[0] : undefined;

  return {
    doc,
    lineCounter,
    errors: doc.errors.map((e) => ({
      line: lineAt(e.pos[0]),
      message: e.message.split('\n')[0] ?? e.message,
    })),
    lineOf(path) {
      return lineAt(rangeStart(nodeAt(path).node));
    },
    lineOfKey(path, key) {
      const { node } = nodeAt(path);
      if (isMap(node)) {
        const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === key);
        if (pair) return lineAt(rangeStart(pair.key));
      }
      return lineAt(rangeStart(node));
    },
  };
}

/** A file's YAML syntax errors as diagnostics (vaultline.yml, vault specs, dashboards). */
export function yamlSyntaxDiagnostics(yaml: PositionedYaml, file: string): Diagnostic[] {
  return yaml.errors.map((e) => ({
    file,
    line: e.line,
    message: `YAML syntax: ${e.message}`,
    severity: 'error',
  }));
}
