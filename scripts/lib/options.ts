/**
 * Command-line options for the scripts: node's parseArgs with -h/--help
 * added. --help prints the usage and exits 0; a bad option prints the error
 * and the usage and exits 2.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

type OptionsConfig = NonNullable<ParseArgsConfig['options']>;

const HELP = { help: { type: 'boolean', short: 'h', default: false } } as const;

type Values<O extends OptionsConfig> = ReturnType<typeof parseArgs<{ options: O & typeof HELP }>>['values'];

export function scriptOptions<const O extends OptionsConfig>(program: string, usage: string, options: O): Values<O> {
  let parsed;
  try {
    parsed = parseArgs<{ options: O & typeof HELP }>({ options: { ...options, ...HELP } });
  } catch (e) {
    process.stderr.write(`${program}: error: ${(e as Error).message}\n${usage}`);
    process.exit(2);
  }
  // Every script gets --help, so its value is there whatever the caller's options.
  if ((parsed.values as { help?: boolean }).help) {
    process.stdout.write(usage);
    process.exit(0);
  }
  return parsed.values;
}

/** An integer option's value (`fallback` when absent); anything else below `min` is a usage error, exit 2. */
export function countOption(program: string, flag: string, text: string | undefined, fallback: number, min = 0): number {
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text) || Number(text) < min) {
    process.stderr.write(`${program}: error: ${flag} needs an integer of at least ${min}, got '${text}'\n`);
    process.exit(2);
  }
  return Number(text);
}

/** Options that each take one string value, by name: `{ tree: { type: 'string' }, ... }`. */
export function stringOptions<const N extends string>(...names: N[]): { [K in N]: { type: 'string' } } {
  return Object.fromEntries(names.map((n) => [n, { type: 'string' }])) as { [K in N]: { type: 'string' } };
}
