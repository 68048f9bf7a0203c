import type { SqlLiteral } from '../types.ts';
import { plain } from './args.ts';
import { TemplateUsageError } from './state.ts';

/**
 * `{{ var('country') | sql_literal }}` — the one way a value should reach SQL (DESIGN.md Safety):
 * rendered by the engine's own quoting (the Dialect's `literal`), never pasted in as text.
 *
 * - string → `'text'` with every `'` doubled (so `3917'; DROP TABLE x; --` stays one string);
 * - number → as is (`42`, `-2.5`); bigint → its digits; boolean → `TRUE`/`FALSE`; null → `NULL`;
 * - a list → its items' literals joined by `, ` (for `in ({{ var('ids') | sql_literal }})`); an empty
 *   list → `NULL` (so `x in (NULL)` matches nothing, as an empty list should);
 * - undefined (a misspelled name), a mapping or a list inside a list → an error saying what to do.
 */
export function sqlLiteral(value: unknown, literal: SqlLiteral): string {
  const v = plain(value);
  if (Array.isArray(v)) {
    if (v.length === 0) return 'NULL';
    return v
      .map((item) => {
        if (Array.isArray(item)) {
          throw new TemplateUsageError(
            'sql_literal quotes a list of scalars, not a list of lists',
            "pass a flat list, e.g. --vars '{ids: [1, 2]}'",
          );
        }
        return scalar(item, literal);
      })
      .join(', ');
  }
  return scalar(v, literal);
}

function scalar(value: unknown, literal: SqlLiteral): string {
  if (value === null) return literal(null);
  switch (typeof value) {
    case 'string':
    case 'number':
    case 'boolean':
      return literal(value);
    case 'bigint':
      return value.toString();
    case 'undefined':
      throw new TemplateUsageError(
        'sql_literal got an undefined value (a misspelled variable name?)',
        "quote a value that exists: {{ var('name') | sql_literal }}",
      );
    default:
      throw new TemplateUsageError(
        `sql_literal quotes strings, numbers, booleans, null and lists of them (got ${JSON.stringify(value)})`,
        "pick one field: {{ var('x').field | sql_literal }}",
      );
  }
}
