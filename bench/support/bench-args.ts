/**
 * Command-line options of the benchmark scripts: a bad value prints what is allowed and the
 * usage line, and exits 2 (usage), before anything starts.
 */
export interface BenchArgs {
  /** `--name N`: a number in [min, max] (whole unless `whole: false`), or `fallback`. */
  number(name: string, fallback: number, limits: { readonly min: number; readonly max?: number; readonly whole?: boolean }): number;
  /** `--name VALUE` one of `choices`, or `fallback`. */
  choice<C extends string>(name: string, fallback: C, choices: readonly C[]): C;
  /** `--name` present. */
  flag(name: string): boolean;
}

export function benchArgs(argv: readonly string[], usage: string): BenchArgs {
  const value = (name: string): string | undefined => {
    const index = argv.indexOf(name);
    return index === -1 ? undefined : argv[index + 1];
  };
  const fail = (message: string): never => {
    process.stderr.write(`${message}\n${usage}`);
    process.exit(2);
  };
  return {
    number(name, fallback, { min, max, whole = true }) {
      const raw = value(name);
      const parsed = raw === undefined ? fallback : Number(raw);
      const range = max === undefined ? `${min.toLocaleString('en-US')} or more` : `from ${min.toLocaleString('en-US')} to ${max.toLocaleString('en-US')}`;
      if (!Number.isFinite(parsed) || (whole && !Number.isInteger(parsed)) || parsed < min || (max !== undefined && parsed > max)) {
        fail(`${name} must be ${whole ? 'a whole number' : 'a number'} ${range}.`);
      }
      return parsed;
    },
    choice(name, fallback, choices) {
      const raw = value(name) ?? fallback;
      if (!(choices as readonly string[]).includes(raw)) fail(`${name} is ${choices.join(' or ')}.`);
      return raw as (typeof choices)[number];
    },
    flag: (name) => argv.includes(name),
  };
}
