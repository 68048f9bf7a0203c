/** Verbs the CLI hands to a running server: the ones that need the warehouse or write the store. */
export const SUBMITTABLE_VERBS = [
  'extract',
  'parse',
  'run',
  'test',
  'build',
  'seed',
  'tables',
  'compact',
  'run-job',
  'backfill',
];
