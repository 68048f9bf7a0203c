import type { Diagnostic } from '../../shared/diagnostics.ts';
import { didYouMean } from '../../shared/did-you-mean.ts';
import { locateFilter, unclosedBlock } from './locate.ts';
import { TemplateUsageError } from './state.ts';

/** A template problem located in its file: what the loader turns into a diagnostic. */
export interface JinjaProblem {
  line?: number;
  /** 1-based column, where nunjucks (or locate.ts) knows it. */
  column?: number;
  message: string;
  hint?: string;
}

/** Thrown by JinjaEngine.render; carries the template line (1-based) when nunjucks knows it. */
export class TemplateRenderError extends Error {
  constructor(
    readonly problem: JinjaProblem,
    readonly file: string,
  ) {
    super(`${file}${where(problem)}: ${problem.message}${problem.hint ? ` (${problem.hint})` : ''}`);
    this.name = 'TemplateRenderError';
  }
}

/**
 * The diagnostic for a template problem (a JinjaProblem, or whatever a parse-time render threw):
 * file, line and column, the message with `prefix`, the hint.
 */
export function jinjaDiagnostic(
  file: string,
  node: string | undefined,
  thrown: unknown,
  prefix = '',
): Diagnostic {
  const problem =
    thrown instanceof TemplateRenderError
      ? thrown.problem
      : isProblem(thrown)
        ? thrown
        : { message: thrown instanceof Error ? thrown.message : String(thrown) };
  return {
    file,
    ...(problem.line ? { line: problem.line } : {}),
    ...(problem.column ? { column: problem.column } : {}),
    ...(node ? { node } : {}),
    message: `${prefix}${problem.message}`,
    ...(problem.hint ? { hint: problem.hint } : {}),
    severity: 'error',
  };
}

function isProblem(value: unknown): value is JinjaProblem {
  return typeof value === 'object' && value !== null && !(value instanceof Error) && 'message' in value;
}

/** `:line` or `:line:column`, as editors link them. */
export function where(problem: Pick<JinjaProblem, 'line' | 'column'>): string {
  if (!problem.line) return '';
  return `:${problem.line}${problem.column ? `:${problem.column}` : ''}`;
}

const PREFIX = /^\([^)]*\)(?: \[Line \d+, Column \d+\])?\n\s*/;
const POSITION = /^\([^)]*\) \[Line (\d+), Column (\d+)\]/;
const FILTER_NOT_FOUND = /^(?:Error: )?filter not found: (\S+)/;
const UNDEFINED_CALL = /^(?:Error: )?Unable to call `([^`]+)`, which is undefined or falsey/;

/**
 * Nunjucks errors to {line, message, hint}. Its parse errors carry 1-based lines; errors raised while
 * rendering carry the 0-based line of the expression being evaluated (the call site in the template
 * that was rendered), hence `phase`.
 */
export function toProblem(
  error: unknown,
  phase: 'compile' | 'render',
  knownNames: () => Iterable<string>,
  text?: string,
): JinjaProblem {
  const err = error as { lineno?: unknown; colno?: unknown; message?: unknown; cause?: unknown };
  // The position is a property on some errors and only in the message ("(file) [Line 3, Column 9]")
  // on others; both are 1-based at compile time and 0-based while rendering.
  const position = POSITION.exec(String(err?.message ?? ''));
  const rawLine = typeof err?.lineno === 'number' ? err.lineno : position ? Number(position[1]) : undefined;
  const rawColumn = typeof err?.colno === 'number' ? err.colno : position ? Number(position[2]) : undefined;
  const shift = (n: number | undefined) =>
    n === undefined ? undefined : phase === 'render' ? n + 1 : Math.max(1, n);
  const at = { line: shift(rawLine), column: rawLine === undefined ? undefined : shift(rawColumn) };
  const located = { ...(at.line ? { line: at.line } : {}), ...(at.column ? { column: at.column } : {}) };
  const cause = err?.cause;
  if (cause instanceof TemplateUsageError) return { ...located, message: cause.message, hint: cause.hint };
  const message = cause instanceof Error ? cause.message : String(err?.message ?? error).replace(PREFIX, '');
  const undefinedCall = UNDEFINED_CALL.exec(message);
  if (undefinedCall) {
    const name = undefinedCall[1]!.replace(/\["([^"]+)"\]/g, '.$1');
    const suggestion = didYouMean(name, knownNames());
    return {
      ...located,
      message: `\`${name}\` is not a macro or function`,
      hint: suggestion ? `did you mean ${suggestion}?` : 'define it with {% macro %} in a macros/ file',
    };
  }
  const filter = FILTER_NOT_FOUND.exec(message);
  // nunjucks reports an unknown filter at 0:0 (or nowhere): the template text knows better.
  const filterAt = filter && text !== undefined ? locateFilter(text, filter[1]!) : undefined;
  if (filter) {
    return {
      ...(filterAt ?? located),
      message: `unknown filter "${filter[1]}"`,
      hint: "filters are nunjucks' built-ins such as upper, lower, replace, join and default; write a macro for anything else",
    };
  }
  if (/^unexpected end of file/.test(message) && text !== undefined && !located.line) {
    const block = unclosedBlock(text);
    if (block) {
      return {
        line: block.line,
        column: block.column,
        message: `{% ${block.tag} %} is never closed`,
        hint: `add {% end${block.tag} %}`,
      };
    }
  }
  return { ...located, message: message.replace(/^Error: /, '') };
}
