import type { VaultlineConfig } from '../config/schema.ts';
import type { Session } from '../engine/dialect.ts';
import type { JobRunner } from '../orchestrator/runner.ts';
import type { RunStore } from '../orchestrator/store/types.ts';
import type { OrchestratorClock, RunEvent } from '../orchestrator/types.ts';

/** What the UI's routes may use: all reads, and the runner for the buttons that start or stop runs. */
export interface UiDeps {
  config: VaultlineConfig;
  runs: RunStore;
  runner: JobRunner;
  clock: OrchestratorClock;
  /**
   * Runs `work` on a read connection of its own (never the one a build writes on): the UI never waits
   * on a build, and a build never waits on the UI.
   */
  read<T>(work: (session: Session) => Promise<T>): Promise<T>;
  /** Run events as they are stored (live logs over server-sent events); returns the unsubscribe. */
  watch(listener: (event: RunEvent) => void): () => void;
  /** Increases each time a run that may have changed the warehouse ends (dashboard caches key on it). */
  warehouseGeneration(): number;
}
