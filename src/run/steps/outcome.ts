import type { NodeResult } from '../../project/types.ts';

/** What a step reports; the executor adds id, timings and history. */
export type StepOutcome = Pick<NodeResult, 'status'> &
  Partial<
    Pick<
      NodeResult,
      'message' | 'rowsAffected' | 'failures' | 'sample' | 'compiledSql' | 'skippedPayloads' | 'error'
    >
  >;
