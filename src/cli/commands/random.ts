/**
 * `dnn-verify random --seed S --method M --size N [--low L --high H] [--loc --scale] [--dtype D] --out FILE.npy`
 * Writes NumPy's legacy stream for the seed to a standard .npy file, so that any language can use it.
 */
import { parseOptions } from '../args.ts';
import { RandomState, type IntDType } from '../../random/index.ts';
import { writeNpy, writeNpyChunks } from '../../io/npy.ts';
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

/**
 * The float methods, made and written chunk by chunk (see writeNpyChunks): each value depends only on its place
 * in the one stream, so chunks give the bits one call would. Arguments are checked first by a call that draws
 * nothing (size 0), with the method's own errors.
 */
function floatFill(rs: RandomState, values: { [k in 'method' | 'loc' | 'scale' | 'low' | 'high']?: string }) {
  switch (values.method) {
    case 'randn':
      return (chunk: Float64Array) => rs.fillStandardNormal(chunk);
    case 'rand':
      return (chunk: Float64Array) => rs.fillRandomSample(chunk);
    case 'normal': {
      const loc = parseNumber(values.loc, '--loc', 0);
      const scale = parseNumber(values.scale, '--scale', 1);
      rs.normal(loc, scale, [0]);
      return (chunk: Float64Array) => {
        rs.fillStandardNormal(chunk);
        for (let i = 0; i < chunk.length; i++) chunk[i] = loc + scale * chunk[i];
      };
    }
    case 'uniform': {
      const low = parseNumber(values.low, '--low', 0);
      const high = parseNumber(values.high, '--high', 1);
      rs.uniform(low, high, [0]);
      const range = high - low;
      return (chunk: Float64Array) => {
        rs.fillRandomSample(chunk);
        for (let i = 0; i < chunk.length; i++) chunk[i] = low + range * chunk[i];
      };
    }
    default:
      return undefined;
  }
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
    const fill = floatFill(rs, values);
    if (fill) {
      writeNpyChunks(values.out!, shape, fill);
      return 0;
    }
    const size = shape.length === 1 ? shape[0] : shape;
    let out: unknown;
    switch (values.method) {
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
