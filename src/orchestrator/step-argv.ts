/**
 * A job step is one vaultline command as a person would type it after `vaultline`:
 * `build --select "tag:marts" --full-refresh`. It is split into arguments the way a POSIX shell splits
 * words (single and double quotes, backslash escapes), but nothing is expanded: no variables, globs
 * or command substitution, and no shell ever runs it — the server executes it in its own process.
 */
export function splitStep(step: string): { argv: string[] } | { problem: string } {
  const argv: string[] = [];
  let word: string | undefined;
  let quote: "'" | '"' | undefined;
  for (let i = 0; i < step.length; i++) {
    const ch = step[i] as string;
    if (quote === "'") {
      if (ch === "'") quote = undefined;
      else word = (word ?? '') + ch;
    } else if (quote === '"') {
      if (ch === '"') quote = undefined;
      else if (ch === '\\' && (step[i + 1] === '"' || step[i + 1] === '\\')) word = (word ?? '') + step[++i];
      else word = (word ?? '') + ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      word ??= '';
    } else if (ch === '\\' && i + 1 < step.length) {
      word = (word ?? '') + step[++i];
    } else if (/\s/.test(ch)) {
      if (word !== undefined) argv.push(word);
      word = undefined;
    } else if (';|&<>`$'.includes(ch)) {
      // `${VAR}` in vaultline.yml is replaced when the config loads; a `$` left here would reach the
      // command literally, which is never what its author meant.
      return {
        problem: `"${ch}" is shell syntax; a step is one vaultline command (quote it if it is part of a value)`,
      };
    } else word = (word ?? '') + ch;
  }
  if (quote) return { problem: `has an unclosed ${quote} quote` };
  if (word !== undefined) argv.push(word);
  if (argv.length === 0) return { problem: 'is empty' };
  return { argv };
}

/** Verbs a job step may run: the ones that do a pipeline's work. */
export const STEP_VERBS = [
  'extract',
  'parse',
  'land',
  'landing',
  'compile',
  'ls',
  'run',
  'test',
  'build',
  'seed',
  'show',
  'tables',
  'compact',
  'export',
] as const;

/** Verbs that manage the orchestrator or the project itself: never a step (they would recurse or mutate it). */
export const NOT_STEP_VERBS = ['init', 'serve', 'run-job', 'backfill', 'runs', 'schedule', 'config'] as const;

export function stepVerbProblem(argv: readonly string[]): string | undefined {
  const verb = argv[0] ?? '';
  if ((STEP_VERBS as readonly string[]).includes(verb)) return undefined;
  if ((NOT_STEP_VERBS as readonly string[]).includes(verb))
    return `"${verb}" cannot be a job step (steps do pipeline work: ${STEP_VERBS.join(', ')})`;
  if (verb === 'vaultline')
    return 'starts with "vaultline"; write the command without it (e.g. "build", not "vaultline build")';
  return `"${verb}" is not a vaultline verb a step can run (one of ${STEP_VERBS.join(', ')})`;
}
