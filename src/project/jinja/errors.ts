import { didYouMean } from '../../shared/did-you-mean.ts';
import { TemplateUsageError } from './state.ts';

/** A template problem located in its file: what the loader turns into a diagnostic. */
export interface JinjaProblem {
  line?: number;
  message: string;
  hint?: string;
}

/** Thrown by JinjaEngine.render; carries the template line (1-based) when nunjucks knows it. */
export class TemplateRenderError extends Error {
  constructor(
    readonly problem: JinjaProblem,
    readonly file: string,
  ) {
    super(
      `${file}${problem.line ? `:${problem.line}` : ''}: ${problem.message}${problem.hint ? ` (${problem.hint})` : ''}`,
    );
    this.name = 'TemplateRenderError';
  }
}

const PREFIX = /^\([^)]*\)(?: \[Line \d+, Column \d+\])?\n\s*/;
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
): JinjaProblem {
  const err = error as { lineno?: unknown; message?: unknown; cause?: unknown };
  const rawLine = typeof err?.lineno === 'number' ? err.lineno : undefined;
  const line = rawLine === undefined ? undefined : phase === 'render' ? rawLine + 1 : Math.max(1, rawLine);
  const cause = err?.cause;
  if (cause instanceof TemplateUsageError) return { line, message: cause.message, hint: cause.hint };
  const text = cause instanceof Error ? cause.message : String(err?.message ?? error).replace(PREFIX, '');
  const undefinedCall = UNDEFINED_CALL.exec(text);
  if (undefinedCall) {
    const name = undefinedCall[1]!.replace(/\["([^"]+)"\]/g, '.$1');
    const suggestion = didYouMean(name, knownNames());
    return {
      line,
      message: `\`${name}\` is not a macro or function`,
      hint: suggestion ? `did you mean ${suggestion}?` : 'define it with {% macro %} in a macros/ file',
    };
  }
  return { line, message: text.replace(/^Error: /, '') };
}
