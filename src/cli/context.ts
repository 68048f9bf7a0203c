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

/**
 * What a verb needs from the CLI: the project's configuration (loaded lazily, so `init` and `--help`
 * work outside a project) and one way to print results — text for people, JSON for machines.
 */
export class CliContext {
  private config?: VaultlineConfig;
  constructor(
    readonly options: GlobalOptions,
    readonly cwd: string = process.cwd(),
  ) {}

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
      this.config = loadConfig(this.projectDir());
      const { projectDir: _dir, configFile, secretPaths: _secrets, ...settings } = this.config;
      // The whole resolved configuration at debug level; the logger masks secrets by name and value.
      log().debug({ settings }, `loaded ${configFile}`);
    }
    return this.config;
  }

  /** Prints a result: `json` on stdout with --json, else the text. Both pass through the redactor. */
  result(text: string | (() => string), json: unknown): void {
    if (this.json) process.stdout.write(`${redactor.text(JSON.stringify(json, null, 2))}\n`);
    else {
      const rendered = typeof text === 'function' ? text() : text;
      if (rendered) process.stdout.write(`${redactor.text(rendered)}\n`);
    }
  }
}
