/** The benchmarks' command line: `--name value` options and repeatable `--only part`. */
export function benchArgs(argv: string[] = process.argv.slice(2)) {
  const option = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const only = argv.flatMap((a, i) => (argv[i - 1] === '--only' ? [a] : []));
  return { args: argv, option, wanted: (part: string) => only.length === 0 || only.includes(part) };
}
