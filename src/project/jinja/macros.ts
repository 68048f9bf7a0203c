import nunjucks from 'nunjucks';
import type { MacroDefinition } from '../types.ts';

/**
 * `{% test name(model, column_name) %} … {% endtest %}` is dbt's syntax for a custom generic test; it is
 * a macro named `test_<name>`. Rewriting it keeps every line where it was, so errors point right.
 */
export function rewriteTestBlocks(text: string): string {
  return text
    .replace(/\{%(-?)(\s*)test(\s+)([A-Za-z_][A-Za-z0-9_]*)(\s*)\(/g, '{%$1$2macro$3test_$4$5(')
    .replace(/\{%(-?)(\s*)endtest(\s*)(-?)%\}/g, '{%$1$2endmacro$3$4%}');
}

export function hasTestBlock(text: string): boolean {
  return /\{%-?\s*test\s+[A-Za-z_]/.test(text);
}

interface AstNode {
  typename: string;
  lineno: number;
  name?: { value: string };
  args?: { children: AstNode[] };
  children?: AstNode[];
  value?: string;
  key?: { value: string };
}

/**
 * The macros a file defines (top level), read from nunjucks' AST so arguments and lines are exact.
 * Throws nunjucks' parse error for a syntax error (the caller reports it with its line).
 */
export function macroDefinitions(
  text: string,
  file: string,
  env: nunjucks.Environment,
  options: { builtin?: boolean } = {},
): MacroDefinition[] {
  const parser = (
    nunjucks as unknown as { parser: { parse(src: string, ext: unknown, opts: unknown): AstNode } }
  ).parser;
  const extensions = (env as unknown as { extensionsList: unknown }).extensionsList;
  const root = parser.parse(rewriteTestBlocks(text), extensions, (env as unknown as { opts: unknown }).opts);
  const testNames = new Set(
    [...text.matchAll(/\{%-?\s*test\s+([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => `test_${m[1]}`),
  );
  const out: MacroDefinition[] = [];
  for (const node of root.children ?? []) {
    if (node.typename !== 'Macro' || !node.name) continue;
    const args: { name: string; optional: boolean }[] = [];
    for (const arg of node.args?.children ?? []) {
      if (arg.typename === 'Symbol' && arg.value !== undefined)
        args.push({ name: arg.value, optional: false });
      else
        for (const pair of arg.children ?? [])
          if (pair.key) args.push({ name: pair.key.value, optional: true });
    }
    out.push({
      name: node.name.value,
      file,
      line: node.lineno + 1,
      kind: testNames.has(node.name.value) ? 'test' : 'macro',
      arguments: args,
      ...(options.builtin ? { builtin: true } : {}),
    });
  }
  return out;
}
