// Small shared pieces of the command-line tools: flag parsing and error reporting.
export function parseArgs<K extends string>(argv: string[], known: Record<K, boolean>): Partial<Record<K, string>> & { _: string[] } {
  const out = { _: [] as string[] } as Partial<Record<K, string>> & { _: string[] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) {
      out._.push(arg);
      continue;
    }
    const [flag, inline] = arg.slice(2).split(/=(.*)/s, 2);
    if (!(flag in known))
      throw new Error(
        `${arg}: unknown option; expected one of ${Object.keys(known)
          .map((k) => `--${k}`)
          .join(', ')}`,
      );
    const value = inline ?? argv[++i];
    if (value === undefined || value.startsWith('--')) throw new Error(`--${flag}: needs a value`);
    out[flag as K] = value as never;
  }
  return out;
}

/** Runs a command, printing a clean one-paragraph error (never a stack) and exiting 1 on failure. */
export function runCli(main: () => void | Promise<void>): void {
  Promise.resolve()
    .then(main)
    .catch((error: unknown) => {
      console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
      process.exitCode = 1;
    });
}
