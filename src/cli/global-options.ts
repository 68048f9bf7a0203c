import { type Command, Option } from 'commander';
import type { GlobalOptions } from './context.ts';

/**
 * `--project`, `--json` and `--verbose` are accepted before the verb (`vaultline --project DIR build`)
 * and after it (`vaultline build --project DIR`). Options are positional (main.ts): an option after a
 * verb belongs to that verb, so a verb may have an option of the same name — `extract wikimedia
 * --project en.wikipedia.org` is the wiki — and the root's --project never swallows it. Each verb
 * therefore declares the global options itself, through addGlobalOptions, unless it spells one of
 * them its own way; the values are collected from the verb up to the root (the nearest wins).
 */
const GLOBAL = new WeakSet<Option>();

function globalOptions(): Option[] {
  return [
    new Option(
      '--project <dir>',
      'project folder (default: the nearest folder upward holding vaultline.yml)',
    ),
    new Option('--json', 'machine-readable output on stdout (logs stay on stderr)'),
    new Option('-v, --verbose', 'debug logging on stderr'),
  ];
}

/** Adds the global options `command` does not already have (by long or short flag). */
export function addGlobalOptions(command: Command): Command {
  for (const option of globalOptions()) {
    const taken = command.options.some(
      (o) => o.long === option.long || (option.short !== undefined && o.short === option.short),
    );
    if (taken) continue;
    GLOBAL.add(option);
    command.addOption(option);
  }
  return command;
}

/** addGlobalOptions on every verb and sub-verb under `program`. */
export function addGlobalOptionsToVerbs(program: Command): void {
  for (const command of program.commands) {
    addGlobalOptions(command);
    addGlobalOptionsToVerbs(command);
  }
}

/** The global options as given anywhere from `command` up to the root; the nearest to the verb wins. */
export function globalOptionValues(command: Command): GlobalOptions {
  const out: Record<string, unknown> = {};
  for (let c: Command | null = command; c; c = c.parent) {
    for (const option of c.options) {
      if (!GLOBAL.has(option)) continue;
      const key = option.attributeName();
      const value = c.getOptionValue(key);
      if (value !== undefined && out[key] === undefined) out[key] = value;
    }
  }
  return out as GlobalOptions;
}
