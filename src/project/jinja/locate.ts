/**
 * Positions nunjucks does not give: some of its errors name no line ("filter not found: x",
 * "unexpected end of file"), so the loader finds the place in the template text itself.
 */
export interface TemplatePosition {
  line: number;
  column: number;
}

/** The first `| name` in the text: where an unknown filter is used. */
export function locateFilter(text: string, name: string): TemplatePosition | undefined {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const match = new RegExp(`\\|\\s*${escaped}\\b`).exec(text);
  return match ? positionAt(text, match.index + match[0].length - name.length) : undefined;
}

const OPENING = new Set(['if', 'for', 'macro', 'call', 'filter', 'raw', 'test', 'block', 'set']);

/**
 * The innermost block tag still open at the end of the text (`{% for %}` without `{% endfor %}`):
 * what "unexpected end of file" means. `{% set x = … %}` is a statement, not a block.
 */
export function unclosedBlock(text: string): (TemplatePosition & { tag: string }) | undefined {
  const open: (TemplatePosition & { tag: string })[] = [];
  for (const match of text.matchAll(/\{%-?\s*(\w+)([^%]*)%\}/g)) {
    const tag = match[1]!;
    if (tag.startsWith('end')) {
      const index = open.map((o) => o.tag).lastIndexOf(tag.slice(3));
      if (index >= 0) open.splice(index);
    } else if (OPENING.has(tag) && !(tag === 'set' && match[2]!.includes('='))) {
      open.push({ tag, ...positionAt(text, match.index) });
    }
  }
  return open.at(-1);
}

function positionAt(text: string, index: number): TemplatePosition {
  const before = text.slice(0, index);
  const line = before.split('\n').length;
  return { line, column: index - before.lastIndexOf('\n') };
}
