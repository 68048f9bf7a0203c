/**
 * Which source column a staging column is computed from, read off the staging model's SQL: the
 * select-list expression aliased to the column (`{{ clean_key("id") }} as earthquake_id`, or a bare
 * `longitude`) must name exactly one of the source's columns. Anything cleverer (a join, a CTE that
 * renames, two source columns in one expression) is reported as a reason, never guessed.
 */
export function sourceColumnOf(
  stagingSql: string,
  stagingColumn: string,
  sourceColumns: readonly string[],
): { column: string } | { reason: string } {
  const sql = stripComments(stagingSql);
  const known = new Map(sourceColumns.map((c) => [c.toLowerCase(), c]));
  const alias = new RegExp(`\\bas\\s+"?${escapeRegExp(stagingColumn)}"?(?![A-Za-z0-9_])`, 'i').exec(sql);
  if (!alias) {
    const same = known.get(stagingColumn.toLowerCase());
    if (same) return { column: same };
    return { reason: `the staging SQL has no "as ${stagingColumn}" and the source has no such column` };
  }
  const expression = expressionBefore(sql, alias.index);
  const named = new Set<string>();
  // Quotes are dropped: a Jinja macro takes SQL as a string (`clean_key("lower(id)")`).
  for (const match of expression.replace(/["'`]/g, ' ').matchAll(/[A-Za-z_][A-Za-z0-9_]*/g)) {
    const column = known.get(match[0].toLowerCase());
    if (column) named.add(column);
  }
  if (named.size === 1) return { column: [...named][0] as string };
  return {
    reason:
      named.size === 0
        ? `"${expression.trim()}" (staging column ${stagingColumn}) names no source column`
        : `"${expression.trim()}" (staging column ${stagingColumn}) names several source columns: ${[...named].join(', ')}`,
  };
}

/** The select-list item ending at `end`: back to the previous comma or `select` outside brackets. */
function expressionBefore(sql: string, end: number): string {
  let depth = 0;
  for (let i = end - 1; i >= 0; i--) {
    const c = sql[i];
    if (c === ')' || c === '}') depth++;
    else if (c === '(' || c === '{') {
      if (depth === 0) return sql.slice(i + 1, end);
      depth--;
    } else if (depth === 0 && c === ',') return sql.slice(i + 1, end);
    else if (depth === 0 && /\bselect$/i.test(sql.slice(Math.max(0, i - 6), i + 1)))
      return sql.slice(i + 1, end);
  }
  return sql.slice(0, end);
}

function stripComments(sql: string): string {
  return sql
    .replace(/\{#[\s\S]*?#\}/g, ' ')
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/--[^\n]*/g, ' ');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
