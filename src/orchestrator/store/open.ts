import type { VaultlineConfig } from '../../config/schema.ts';
import { FilePartitionStore } from './partitions.ts';
import { FileRunStore } from './run-log.ts';
import { StateDir } from './safe-fs.ts';
import { FileSchedulerStateStore } from './scheduler-state.ts';
import type { PartitionStore, RunStore, SchedulerStateStore } from './types.ts';

/**
 * The orchestrator's durable state under `<projectDir>/<serve.state_path>`: run history, the
 * scheduler's memory and partitions done. Nothing is created until the first write.
 */
export function openOrchestratorStores(config: Pick<VaultlineConfig, 'projectDir' | 'serve'>): {
  dir: string;
  runs: RunStore;
  scheduler: SchedulerStateStore;
  partitions: PartitionStore;
} {
  const state = new StateDir(config.projectDir, config.serve.state_path);
  return {
    dir: state.dir,
    runs: new FileRunStore(state),
    scheduler: new FileSchedulerStateStore(state),
    partitions: new FilePartitionStore(state),
  };
}
