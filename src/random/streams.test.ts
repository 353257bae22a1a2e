/**
 * The generator against NumPy: committed golden streams (src/random/golden, made by
 * scripts/random_golden.py) always, and NumPy itself live where python3 + numpy are present.
 */
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RandomState, type IntNDArray } from './index.ts';
import { hexFloat } from './glibc-log-data.ts';
import { readNpy } from '../io/npy.ts';
import { NDArray } from '../tensor/ndarray.ts';
import { hasNumpy, numpySkipReason, runPython, PYTHON } from '../../test/oracle/numpy.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const GOLDEN = join(import.meta.dirname, 'golden');
const SCRIPT = join(ROOT, 'scripts', 'random_golden.py');

interface Call {
  method: string;
  args: unknown[];
  file: string;
  dtype: string;
}
interface Case {
  id: string;
  seed: number | number[];
  calls: Call[];
  state: { key: string; pos: number; has_gauss: number; cached_gaussian: string };
}

function call(rs: RandomState, c: Call): NDArray | IntNDArray {
  const a = c.args as unknown as never[];
  switch (c.method) {
    case 'randn':
      return rs.randn(...(a as number[]));
    case 'rand':
      return rs.rand(...(a as number[]));
    case 'randint': {
      const [low, high, size, dtype] = a as unknown as [number, number, number, string];
      return rs.randint(BigInt(low), BigInt(high), size, dtype as never) as IntNDArray;
    }
    case 'permutation':
      return rs.permutation(a[0] as number);
    case 'shuffle_rows': {
      const [rows, cols] = a as unknown as [number, number];
      const x = new NDArray(
        Float64Array.from({ length: rows * cols }, (_, i) => i),
        [rows, cols],
      );
      rs.shuffle(x);
      return x;
    }
    case 'normal':
      return rs.normal(a[0], a[1], a[2]) as NDArray;
    case 'uniform':
      return rs.uniform(a[0], a[1], a[2]) as NDArray;
  }
  throw new Error(`unknown method ${c.method}`);
}

/** Bytes of both arrays equal (so every bit of every float), with dtype and shape. */
function expectSameBits(actual: NDArray | IntNDArray, expected: NDArray | IntNDArray, what: string) {
  const dt = (x: NDArray | IntNDArray) => (x instanceof NDArray ? 'float64' : x.dtype);
  expect(dt(actual), `${what}: dtype`).toBe(dt(expected));
  expect([...actual.shape], `${what}: shape`).toEqual([...expected.shape]);
  const a = Buffer.from(actual.data.buffer, actual.data.byteOffset, actual.data.byteLength);
  const b = Buffer.from(expected.data.buffer, expected.data.byteOffset, expected.data.byteLength);
  if (!a.equals(b)) {
    const width = actual.data.BYTES_PER_ELEMENT;
    let i = 0;
    while (a.readUInt8(i) === b.readUInt8(i)) i++;
    const k = Math.floor(i / width);
    throw new Error(`${what}: first mismatch at element ${k}: ours ${actual.data[k]}, NumPy ${expected.data[k]}`);
  }
}

function replayDir(dir: string): number {
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { cases: Case[] };
  for (const c of manifest.cases) {
    const rs = new RandomState(c.seed as never);
    for (const [k, cl] of c.calls.entries()) {
      const expected = readNpy(join(dir, cl.file));
      const actual = call(rs, cl);
      expectSameBits(
        actual,
        expected,
        `${c.id} call ${k} ${cl.method}(${JSON.stringify(cl.args)}) seed ${JSON.stringify(c.seed).slice(0, 40)}`,
      );
    }
    const [name, key, pos, hasGauss, gauss] = rs.get_state();
    expect(name).toBe('MT19937');
    const expectedKey = readNpy(join(dir, c.state.key)) as IntNDArray;
    expect(
      Buffer.from(key.buffer).equals(
        Buffer.from(expectedKey.data.buffer, expectedKey.data.byteOffset, expectedKey.data.byteLength),
      ),
      `${c.id}: state key`,
    ).toBe(true);
    expect({ pos, hasGauss }, `${c.id}: state`).toEqual({ pos: c.state.pos, hasGauss: c.state.has_gauss });
    expect(
      Object.is(gauss, hexFloat(c.state.cached_gaussian)),
      `${c.id}: cached gaussian ${gauss} vs ${c.state.cached_gaussian}`,
    ).toBe(true);
  }
  return manifest.cases.length;
}

describe('committed golden streams (src/random/golden)', () => {
  it('every case reproduces NumPy bit for bit, and get_state after it', () => {
    expect(replayDir(GOLDEN)).toBeGreaterThanOrEqual(35);
  });
});

describe.skipIf(!hasNumpy())(`live against NumPy ${numpySkipReason()}`, () => {
  it('the golden cases at 20x the size, generated now', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dnn-verify-random-'));
    try {
      runPython(
        `import runpy, sys; sys.argv = ['x', ${JSON.stringify(dir)}, '--scale', '20']; runpy.run_path(${JSON.stringify(SCRIPT)}, run_name='__main__')`,
      );
      expect(replayDir(dir)).toBeGreaterThanOrEqual(35);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('1e8 randn draws across seeds and init_by_array keys: 0 mismatching bits', async () => {
    const seeds: (number | number[])[] = [
      0,
      1,
      3,
      42,
      2 ** 32 - 1,
      [1, 2, 3],
      [2 ** 32 - 1, 0],
      Array.from({ length: 700 }, (_, i) => (i * 7919) % 2 ** 32),
    ];
    const perSeed = 12_500_000;
    const chunk = 1_250_001; // odd, so the cached second gaussian crosses calls
    const code = `
import sys, numpy as np, json
seeds = json.loads(sys.argv[1]); per = int(sys.argv[2]); chunk = int(sys.argv[3])
out = sys.stdout.buffer
for s in seeds:
    rs = np.random.RandomState(s); left = per
    while left:
        n = min(chunk, left); out.write(rs.randn(n).tobytes()); left -= n
out.flush()
`;
    const child = spawn(PYTHON, ['-c', code, JSON.stringify(seeds), String(perSeed), String(chunk)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let seedIndex = 0;
    let rs = new RandomState(seeds[0] as never);
    let doneInSeed = 0;
    let compared = 0;
    let mismatches = 0;
    let pending: Buffer<ArrayBuffer> = Buffer.alloc(0);
    const ours = new Float64Array(chunk);
    for await (const piece of child.stdout) {
      pending = (pending.length ? Buffer.concat([pending, piece as Buffer]) : (piece as Buffer)) as Buffer<ArrayBuffer>;
      let offset = 0;
      while (pending.length - offset >= 8) {
        const left = perSeed - doneInSeed;
        const n = Math.min(left, Math.floor((pending.length - offset) / 8), chunk);
        const view = ours.subarray(0, n);
        rs.fillStandardNormal(view);
        const theirs = pending.subarray(offset, offset + 8 * n);
        const mine = Buffer.from(view.buffer, 0, 8 * n);
        if (!mine.equals(theirs)) {
          for (let i = 0; i < n; i++) if (theirs.readBigUInt64LE(8 * i) !== mine.readBigUInt64LE(8 * i)) mismatches++;
        }
        offset += 8 * n;
        compared += n;
        doneInSeed += n;
        if (doneInSeed === perSeed && ++seedIndex < seeds.length) {
          rs = new RandomState(seeds[seedIndex] as never);
          doneInSeed = 0;
        }
      }
      pending = pending.subarray(offset) as Buffer<ArrayBuffer>;
    }
    const code2 = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code2).toBe(0);
    console.log(
      `randn vs NumPy ${runPython('import numpy; print(numpy.__version__)').toString().trim()}: ${compared} draws over ${seeds.length} seeds, ${mismatches} mismatching`,
    );
    expect(compared).toBe(seeds.length * perSeed);
    expect(mismatches).toBe(0);
  }, 300_000);

  it('state crosses between Python and TypeScript both ways', () => {
    // TypeScript state -> NumPy set_state -> NumPy draws == ours
    const rs = new RandomState([9, 8, 7]);
    rs.randn(7); // leaves a cached gaussian
    const [, key, pos, hasGauss, gauss] = rs.get_state();
    const code = `
import sys, json, numpy as np
d = json.loads(sys.stdin.read())
rs = np.random.RandomState(); rs.set_state(('MT19937', np.array(d['key'], dtype=np.uint32), d['pos'], d['has_gauss'], float.fromhex(d['gauss'])))
a = rs.randn(5); b = rs.randint(0, 1000, 5)
st = np.random.RandomState(123); st.rand(3); s = st.get_state()
print(json.dumps({'a': [x.hex() for x in a], 'b': b.tolist(), 'key': s[1].tolist(), 'pos': int(s[2]), 'next': [x.hex() for x in st.rand(4)]}))
`;
    const hex = (x: number) =>
      runPython(`print(float(${JSON.stringify(String(x))}).hex())`)
        .toString()
        .trim();
    const out = JSON.parse(
      runPython(code, JSON.stringify({ key: Array.from(key), pos, has_gauss: hasGauss, gauss: hex(gauss) })).toString(),
    );
    const ours = rs.randn(5);
    expect(Array.from(ours.data)).toEqual(out.a.map(hexFloat));
    expect((rs.randint(0, 1000, 5) as IntNDArray).toNumbers()).toEqual(out.b);
    // NumPy state -> TypeScript set_state -> our draws == NumPy's
    const back = new RandomState(0);
    back.set_state(['MT19937', Uint32Array.from(out.key), out.pos, 0, 0]);
    expect(Array.from(back.rand(4).data)).toEqual(out.next.map(hexFloat));
  });

  it('glibc log matches libm (through ctypes, not np.log) on 3e6 inputs incl. near 1 and subnormals', async () => {
    const { glibcLog } = await import('./glibc-log.ts');
    const code = `
import ctypes, numpy as np, sys
libm = ctypes.CDLL('libm.so.6'); libm.log.restype = ctypes.c_double; libm.log.argtypes = [ctypes.c_double]
rng = np.random.default_rng(2024); n = 500000
x1 = 2*rng.random(n)-1; x2 = 2*rng.random(n)-1
xs = np.concatenate([x1*x1+x2*x2, 1+(rng.random(n)-0.5)*0.2, np.exp(rng.uniform(-745, 709, n)), rng.random(n)*2.2250738585072014e-308,
                     rng.random(n), np.nextafter(1.0, 0) - rng.integers(0, 2**40, n) * 2.0**-53,
                     np.array([1.0, 0.9375, np.nextafter(0.9375, 0), 1.064697265625, np.nextafter(1.064697265625, 0), 5e-324, 1.7976931348623157e308, 0.5, 2.0])])
xs = xs[xs > 0]
ys = np.frompyfunc(libm.log, 1, 1)(xs).astype(np.float64)
sys.stdout.buffer.write(np.int64(len(xs)).tobytes() + xs.tobytes() + ys.tobytes())
`;
    const out = runPython(code);
    const n = Number(out.readBigInt64LE(0));
    const body = new Uint8Array(out.subarray(8)).slice().buffer;
    const xs = new Float64Array(body, 0, n);
    const ys = new Float64Array(body, 8 * n, n);
    let bad = 0;
    let badMathLog = 0;
    for (let i = 0; i < n; i++) {
      if (!Object.is(glibcLog(xs[i]), ys[i])) bad++;
      if (!Object.is(Math.log(xs[i]), ys[i])) badMathLog++;
    }
    console.log(`glibc log vs libm: ${n} inputs, ${bad} mismatches (Math.log: ${badMathLog})`);
    expect(n).toBeGreaterThan(2_900_000);
    expect(bad).toBe(0);
  }, 120_000);

  it('the exact FMA emulation matches libm fma', async () => {
    const { fma } = await import('./fma.ts');
    const code = `
import ctypes, numpy as np, sys
libm = ctypes.CDLL('libm.so.6'); libm.fma.restype = ctypes.c_double; libm.fma.argtypes = [ctypes.c_double]*3
rng = np.random.default_rng(7); n = 200000
a = rng.standard_normal(n) * 2.0**rng.integers(-30, 30, n); b = rng.standard_normal(n) * 2.0**rng.integers(-30, 30, n)
c = -(a*b) * (1 + rng.standard_normal(n) * 2.0**rng.integers(-60, 0, n))
ys = np.frompyfunc(libm.fma, 3, 1)(a, b, c).astype(np.float64)
sys.stdout.buffer.write(np.concatenate([a, b, c, ys]).tobytes())
`;
    const out = runPython(code);
    const all = new Float64Array(new Uint8Array(out).slice().buffer);
    const n = all.length / 4;
    let bad = 0;
    for (let i = 0; i < n; i++) if (!Object.is(fma(all[i], all[n + i], all[2 * n + i]), all[3 * n + i])) bad++;
    expect(bad).toBe(0);
  });

  it('the CLI writes a .npy that numpy.load reads, equal to np.random', async () => {
    const { main } = await import('../cli/main.ts');
    const dir = mkdtempSync(join(tmpdir(), 'dnn-verify-cli-'));
    try {
      const file = join(dir, 'a.npy');
      expect(
        await main([
          'random',
          '--seed',
          '3,1',
          '--method',
          'randint',
          '--size',
          '4,5',
          '--low',
          '-7',
          '--high',
          '99',
          '--dtype',
          'int16',
          '--out',
          file,
        ]),
      ).toBe(0);
      const ok = runPython(
        `import numpy as np; a = np.load(${JSON.stringify(file)}); np.random.seed([3, 1]); b = np.random.randint(-7, 99, (4, 5), dtype=np.int16); print(a.dtype == b.dtype and (a == b).all())`,
      );
      expect(ok.toString().trim()).toBe('True');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
