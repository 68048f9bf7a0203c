import { join } from 'node:path';
import type { VaultlineConfig } from '../config/schema.ts';
import { log } from '../shared/logger.ts';
import type { JobRunner } from './runner.ts';
import { pollSensor } from './sensors/poll.ts';
import type { RunStore } from './store/types.ts';
import type { OrchestratorClock } from './types.ts';

/**
 * Polls every enabled sensor at its interval; each new item starts one run of the sensor's job.
 * The run history is the second witness of what was triggered (sensors/CONTEXT.md): read once at
 * start, then kept up to date here, so a crash between queueing a run and writing the cursor never
 * starts the item twice.
 */
export class SensorLoop {
  private readonly triggered = new Set<string>();

  constructor(
    private readonly deps: {
      config: VaultlineConfig;
      clock: OrchestratorClock;
      runner: JobRunner;
      runs: RunStore;
      signal: AbortSignal;
    },
  ) {
    for (const run of deps.runs.list({ limit: Number.MAX_SAFE_INTEGER }))
      if (run.trigger.kind === 'sensor') this.triggered.add(`${run.trigger.sensor}\u0000${run.trigger.item}`);
  }

  async run(): Promise<void> {
    const sensors = Object.entries(this.deps.config.sensors).filter(([, sensor]) => sensor.enabled);
    await Promise.all(sensors.map(([name]) => this.loop(name)));
  }

  private async loop(name: string): Promise<void> {
    const { clock, signal, config } = this.deps;
    const sensor = config.sensors[name];
    if (!sensor) return;
    while (!signal.aborted) {
      await this.pollOnce(name);
      try {
        await clock.sleep(sensor.interval, signal);
      } catch {
        return;
      }
    }
  }

  async pollOnce(name: string): Promise<void> {
    const { config, clock, runner } = this.deps;
    const sensor = config.sensors[name];
    if (!sensor) return;
    const outcome = await pollSensor(name, sensor, {
      projectDir: config.projectDir,
      config,
      stateDir: join(config.projectDir, config.serve.state_path),
      now: clock.now(),
      alreadyTriggered: (id) => this.triggered.has(`${name}\u0000${id}`),
      trigger: async (items) => {
        for (const item of items) {
          this.triggered.add(`${name}\u0000${item.id}`);
          log().info(`sensor ${name}: new ${item.path} → job ${sensor.job}`);
          runner.start({ job: sensor.job, trigger: { kind: 'sensor', sensor: name, item: item.id } });
        }
      },
    });
    if (outcome.error)
      log().warn(`sensor ${name}: ${outcome.error} (it polls again in ${sensor.interval / 1000}s)`);
  }
}
