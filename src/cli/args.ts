/** Option parsing shared by the commands: node's parseArgs, strict, with usage errors on one line. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './errors.ts';

type Options = NonNullable<ParseArgsConfig['options']>;
/** What parseArgs returns for this config, named so that the declaration build can write it out. */
type Parsed<O extends Options> = ReturnType<
  typeof parseArgs<{ args: string[]; options: O; strict: true; allowPositionals: boolean }>
>;

/** Parse `argv` strictly; a value that starts with '-' (e.g. `--low -5`) is accepted as a value. */
export function parseOptions<O extends Options>(argv: string[], options: O, allowPositionals = false): Parsed<O> {
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const name = a.startsWith('--') ? a.slice(2) : undefined;
    const next = argv[i + 1];
    if (
      name &&
      !name.includes('=') &&
      options[name]?.type === 'string' &&
      next !== undefined &&
      /^-\d|^-\./.test(next)
    ) {
      args.push(`${a}=${next}`);
      i++;
    } else {
      args.push(a);
    }
  }
  try {
    return parseArgs({ args, options, strict: true, allowPositionals });
  } catch (err) {
    throw new UsageError((err as Error).message.split('\n')[0]);
  }
}
