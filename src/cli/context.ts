import { resolve } from 'node:path';
import { findProjectDir, loadConfig } from '../config/load.ts';
import type { VaultlineConfig } from '../config/schema.ts';
import { UsageError } from '../shared/errors.ts';
import { log } from '../shared/logger.ts';
import { redactor } from '../shared/redact.ts';

/** Global options every verb sees (set on the root command). */
export interface GlobalOptions {
  project?: string;
  json?: boolean;
  verbose?: boolean;
}

/** Where a command's output goes: the terminal, or a run's history inside `vaultline serve`. */
export interface CliOutput {
  stdout(data: string | Uint8Array): Promise<void>;
  stderr(text: string): void;
}

export const processOutput: CliOutput = {
  stdout: (data) =>
    new Promise<void>((resolve, reject) => process.stdout.write(data, (e) => (e ? reject(e) : resolve()))),
  stderr: (text) => {
    process.stderr.write(text);
  },
};

/**
 * How a command runs when it is not the process itself: `vaultline serve` executes job steps and
 * submitted commands in its own process, each with its own output, cancellation and exit code.
 */
export interface CliRuntime {
  output: CliOutput;
  /** Aborted when the run is cancelled or times out, or the server stops: long work stops through it. */
  signal?: AbortSignal;
  /** Receives the --json document of every result printed (kept as the step's result). */
  onResult?: (json: unknown) => void;
}

/**
 * What a verb needs from the CLI: the project's configuration (loaded lazily, so `init` and `--help`
 * work outside a project) and one way to print results — text for people, JSON for machines.
 */
export class CliContext {
  private config?: VaultlineConfig;
  /** 0, or 1 once a verb found problems without throwing (`landing verify`, a failed build). */
  exitCode = 0;
  constructor(
    readonly options: GlobalOptions,
    readonly cwd: string = process.cwd(),
    readonly runtime?: CliRuntime,
    /** The configuration main() loaded already (to look for a server), used when it is this project's. */
    private readonly preloaded?: VaultlineConfig,
  ) {}

  get output(): CliOutput {
    return this.runtime?.output ?? processOutput;
  }

  get signal(): AbortSignal | undefined {
    return this.runtime?.signal;
  }

  /** The command failed, but said why in its output already: exit code 1. */
  fail(): void {
    this.exitCode = 1;
  }

  get json(): boolean {
    return this.options.json === true;
  }

  projectDir(): string {
    if (this.options.project) return resolve(this.cwd, this.options.project);
    const found = findProjectDir(this.cwd);
    if (!found) {
      throw new UsageError(
        `no vaultline.yml in ${this.cwd} or any folder above it (run \`vaultline init\`, or pass --project DIR)`,
      );
    }
    return found;
  }

  loadConfig(): VaultlineConfig {
    if (!this.config) {
      const dir = this.projectDir();
      this.config = this.preloaded?.projectDir === dir ? this.preloaded : loadConfig(dir);
      const { projectDir: _dir, configFile, secretPaths: _secrets, ...settings } = this.config;
      // The whole resolved configuration at debug level; the logger masks secrets by name and value.
      log().debug({ settings }, `loaded ${configFile}`);
    }
    return this.config;
  }

  /** Prints a result: `json` on stdout with --json, else the text. Both pass through the redactor. */
  result(text: string | (() => string), json: unknown): void {
    this.runtime?.onResult?.(json);
    if (this.json) void this.output.stdout(`${redactor.text(JSON.stringify(json, null, 2))}\n`);
    else {
      const rendered = typeof text === 'function' ? text() : text;
      if (rendered) void this.output.stdout(`${redactor.text(rendered)}\n`);
    }
  }
}
