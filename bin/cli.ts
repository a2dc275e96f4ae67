// Small shared pieces of the command-line tools: the command's usage, flag parsing, npm's own
// flags caught, and error reporting.

/** `value` options take the next argument (`--env k3d` or `--env=k3d`); `flag` options take none. */
export type OptionKind = 'value' | 'flag';

export interface Command<O extends Record<string, OptionKind>> {
  /** The npm script: `npm run <name>`. */
  name: string;
  /** What `--help` prints: usage lines and what the options do. */
  usage: string;
  options: O;
  /**
   * The positional arguments it takes: a count, or `any`. With 0, a bare word is refused (and, when
   * it names an option's value such as an environment, the message suggests the option).
   */
  positionals: number | 'any';
  /** For a refused bare word: the option it was probably meant for (`eks` -> `--env eks`). */
  suggest?: (word: string) => string | undefined;
}

export type Parsed<O extends Record<string, OptionKind>> = { [K in keyof O]?: O[K] extends 'flag' ? boolean : string } & { _: string[] };

const HELP = new Set(['--help', '-h']);

/** Whether the arguments ask for the usage (before any `--` end of options). */
export function wantsHelp(argv: string[]): boolean {
  const end = argv.indexOf('--');
  return (end < 0 ? argv : argv.slice(0, end)).some((a) => HELP.has(a));
}

const envName = (option: string) => `npm_config_${option.replace(/-/g, '_')}`;

/**
 * `npm run <name> --env eks` (without `--` before the options) makes npm take `--env` as its own
 * config: the program sees only `npm_config_env` in its environment, and perhaps `eks` as a bare
 * word. Every option of the command is checked, so none is lost silently.
 */
export function npmTookOptions<O extends Record<string, OptionKind>>(
  command: Command<O>,
  argv: string[],
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  const taken = Object.keys(command.options).filter((option) => env[envName(option)] !== undefined);
  if (!taken.length) return undefined;
  const words = argv.filter((a) => !a.startsWith('-'));
  const shown = taken.map((option) => {
    const value = env[envName(option)]!;
    if (command.options[option] === 'flag') return `--${option}`;
    const given = value === 'true' ? words.shift() : value;
    return `--${option}${given === undefined ? ' <value>' : ` ${given}`}`;
  });
  return `npm took ${taken.map((o) => `--${o}`).join(', ')} itself (the program never saw ${taken.length === 1 ? 'it' : 'them'}); put options after \`--\`: write \`npm run ${command.name} -- ${shown.join(' ')}\``;
}

export function parseArgs<O extends Record<string, OptionKind>>(argv: string[], command: Command<O>): Parsed<O> {
  const known = command.options;
  const values: Record<string, string | boolean> = {};
  const positional: string[] = [];
  const expected = () =>
    Object.keys(known)
      .map((k) => `--${k}`)
      .join(', ');
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positional.push(arg);
      continue;
    }
    if (!arg.startsWith('--')) throw new Error(`${arg}: unknown option; expected one of ${expected()} (or --help)`);
    const [flag, inline] = arg.slice(2).split(/=(.*)/s, 2);
    if (!(flag in known)) throw new Error(`${arg}: unknown option; expected one of ${expected()}`);
    if (known[flag] === 'flag') {
      if (inline !== undefined) throw new Error(`--${flag}: takes no value (received "${inline}")`);
      values[flag] = true;
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined || value.startsWith('--')) throw new Error(`--${flag}: needs a value`);
    values[flag] = value;
  }
  const limit = command.positionals;
  if (limit !== 'any' && positional.length > limit) {
    const extra = positional[limit];
    const hint = command.suggest?.(extra);
    throw new Error(
      limit === 0
        ? `${extra}: unexpected argument; npm run ${command.name} takes options only${hint ? ` (did you mean \`${hint}\`?)` : ''}; see --help`
        : `${extra}: unexpected argument; npm run ${command.name} takes ${limit} argument${limit === 1 ? '' : 's'}; see --help`,
    );
  }
  return { ...values, _: positional } as Parsed<O>;
}

/**
 * Runs a command: `--help`/`-h` prints its usage and exits 0; otherwise the arguments are parsed
 * and `main` runs. A failure prints a clean one-paragraph error (never a stack) and exits 1.
 */
export function runCli<O extends Record<string, OptionKind>>(
  command: Command<O>,
  main: (args: Parsed<O>) => void | Promise<void>,
  argv: string[] = process.argv.slice(2),
): void {
  if (wantsHelp(argv)) {
    console.log(command.usage.trimEnd());
    return;
  }
  Promise.resolve()
    .then(() => {
      const npm = npmTookOptions(command, argv);
      if (npm) throw new Error(npm);
      return main(parseArgs(argv, command));
    })
    .catch((error: unknown) => {
      console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
      process.exitCode = 1;
    });
}
