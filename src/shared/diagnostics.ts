import { isAbsolute, relative } from 'node:path';

/**
 * Diagnostics are collected, never thrown one at a time: a user fixing a project wants every problem
 * in one pass, each pointing at a file and line, and a hint on how to fix it.
 */
export interface Diagnostic {
  file: string;
  line?: number;
  /** 1-based column, where known (template errors): shown as file:line:column. */
  column?: number;
  /** The model, source, config key or other node the problem belongs to. */
  node?: string;
  message: string;
  /** "Did you mean …?" or "Add …": how to fix it. */
  hint?: string;
  severity: 'error' | 'warning';
}

export function formatDiagnostic(d: Diagnostic): string {
  const where =
    d.line !== undefined ? `${d.file}:${d.line}${d.column !== undefined ? `:${d.column}` : ''}` : d.file;
  const node = d.node ? `${d.node}: ` : '';
  const hint = d.hint ? ` (${d.hint})` : '';
  const prefix = d.severity === 'warning' ? 'warning: ' : '';
  return `${where}: ${prefix}${node}${d.message}${hint}`;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/**
 * How a diagnostic names a file: relative to the working folder when the file is inside it (what a user
 * typed, and what editors turn into links), else the absolute path.
 */
export function displayPath(path: string, cwd: string = process.cwd()): string {
  const rel = relative(cwd, path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}
