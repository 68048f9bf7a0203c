import { formatDiagnostic, hasErrors } from '../shared/diagnostics.ts';
import { DiagnosticsError } from '../shared/errors.ts';
import type { ProjectGraph } from './types.ts';

/**
 * No command runs a project with errors (DESIGN.md). Throws DiagnosticsError (exit 2) listing every
 * error; warnings are left for the caller to print.
 */
export function assertNoErrors(graph: ProjectGraph): void {
  if (!hasErrors(graph.diagnostics)) return;
  const errors = graph.diagnostics.filter((d) => d.severity === 'error');
  throw new DiagnosticsError(
    `project ${graph.projectName} has ${errors.length} error(s); fix them (\`vaultline parse\` lists them) and try again:`,
    errors,
  );
}

/** Warnings as printable lines. */
export function warningLines(graph: ProjectGraph): string[] {
  return graph.diagnostics.filter((d) => d.severity === 'warning').map(formatDiagnostic);
}
