/**
 * `dnn-verify random --seed S --method M --size N [--low L --high H] [--loc --scale] [--dtype D] --out FILE.npy`
 * Writes NumPy's legacy stream for the seed to a standard .npy file, so that any language can use it.
 */
import { parseOptions } from '../args.ts';
import { RandomState, type IntDType } from '../../random/index.ts';
import { writeNpy } from '../../io/npy.ts';
import { UsageError } from '../errors.ts';

const HELP = `usage: dnn-verify random --seed S --method M --size N --out FILE.npy [options]

  --seed S       integer in [0, 2**32-1], or a comma-separated list for init_by_array (e.g. 1,2,3)
  --method M     randn | rand | randint | permutation | normal | uniform
  --size N       number of values, or a comma-separated shape (e.g. 3,4)
  --low L        randint/uniform lower bound (randint default 0, uniform default 0)
  --high H       randint upper bound (exclusive, required), uniform upper bound (default 1)
  --loc X        normal mean (default 0)      --scale X   normal standard deviation (default 1)
  --dtype D      randint dtype: int64 (default), int32, int16, int8, uint64, uint32, uint16, uint8, bool
  --out FILE     the .npy file to write
`;

function parseIntStrict(text: string, what: string): number {
  if (!/^-?\d+$/.test(text.trim())) throw new UsageError(`${what} must be an integer, got '${text}'`);
  return Number(text);
}

function parseNumber(text: string | undefined, what: string, fallback: number): number {
  if (text === undefined) return fallback;
  const v = Number(text);
  if (text.trim() === '' || Number.isNaN(v)) throw new UsageError(`${what} must be a number, got '${text}'`);
  return v;
}

function parseSeed(text: string): number | bigint[] {
  const parts = text.split(',').map((s) => s.trim());
  for (const p of parts)
    if (!/^-?\d+$/.test(p))
      throw new UsageError(`--seed must be an integer or a comma-separated list of integers, got '${text}'`);
  return parts.length === 1 && !text.includes(',') ? Number(parts[0]) : parts.map((p) => BigInt(p));
}

export async function run(argv: string[]): Promise<number> {
  const { values } = parseOptions(argv, {
    seed: { type: 'string' },
    method: { type: 'string' },
    size: { type: 'string' },
    low: { type: 'string' },
    high: { type: 'string' },
    loc: { type: 'string' },
    scale: { type: 'string' },
    dtype: { type: 'string' },
    out: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  for (const required of ['seed', 'method', 'size', 'out'] as const) {
    if (values[required] === undefined) throw new UsageError(`--${required} is required (see --help)`);
  }
  const shape = values.size!.split(',').map((s) => parseIntStrict(s, '--size'));
  if (shape.some((d) => d < 0)) throw new UsageError(`--size must not be negative, got '${values.size}'`);
  const rs = new RandomState(0);
  try {
    rs.seed(parseSeed(values.seed!) as never);
    const size = shape.length === 1 ? shape[0] : shape;
    let out: unknown;
    switch (values.method) {
      case 'randn':
        out = rs.standard_normal(size);
        break;
      case 'rand':
        out = rs.random_sample(size);
        break;
      case 'normal':
        out = rs.normal(parseNumber(values.loc, '--loc', 0), parseNumber(values.scale, '--scale', 1), size);
        break;
      case 'uniform':
        out = rs.uniform(parseNumber(values.low, '--low', 0), parseNumber(values.high, '--high', 1), size);
        break;
      case 'randint': {
        if (values.high === undefined) throw new UsageError('randint needs --high (exclusive upper bound)');
        const low = BigInt(parseIntStrict(values.low ?? '0', '--low'));
        const high = BigInt(parseIntStrict(values.high, '--high'));
        out = rs.randint(low, high, size, (values.dtype ?? 'int64') as IntDType);
        break;
      }
      case 'permutation':
        if (shape.length !== 1) throw new UsageError('permutation takes --size N (one integer)');
        out = rs.permutation(shape[0]);
        break;
      default:
        throw new UsageError(
          `--method must be one of randn, rand, randint, permutation, normal, uniform; got '${values.method}'`,
        );
    }
    if (typeof out !== 'object') throw new UsageError('internal: expected an array');
    writeNpy(values.out!, out as never);
  } catch (err) {
    if (err instanceof UsageError) throw err;
    // NumPy-like argument errors (ValueError, TypeError) are usage errors here
    throw new UsageError(`${(err as Error).name}: ${(err as Error).message}`);
  }
  return 0;
}
