import { loadavg } from 'node:os';

/** The benchmarks' command line: `--name value` options and repeatable `--only part`. */
export function benchArgs(argv: string[] = process.argv.slice(2)) {
  const option = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const only = argv.flatMap((a, i) => (argv[i - 1] === '--only' ? [a] : []));
  return { args: argv, option, wanted: (part: string) => only.length === 0 || only.includes(part) };
}

/** The load average (1/5/15 min) as the figures print it. */
export const loadAverage = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

export const ms = (value: number) => `${value.toFixed(1)} ms`;
