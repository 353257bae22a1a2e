/**
 * The WebAssembly kernels (./wasm/legacy.as.ts): that they are the path `randn`/`rand` take, that they agree
 * bit for bit with a plain scalar statement of NumPy's algorithms (at every alignment of the word stream, across
 * twists, with the cached gaussian), with the exact log emulation, with libm and with NumPy itself.
 */
import { describe, expect, it } from 'vitest';
import { RandomState, type IntNDArray } from './index.ts';
import * as kernels from './kernels.ts';
import { glibcLog, glibcLogExact } from './glibc-log.ts';
import { hexFloat } from './glibc-log-data.ts';
import { hasNumpy, numpySkipReason, runPython } from '../../test/oracle/numpy.ts';

/** The raw 32-bit words a seed gives (randint over the full uint32 range is one unmasked draw per value). */
function words(seed: number, count: number): Uint32Array {
  return (new RandomState(seed).randint(0, 2 ** 32, count, 'uint32') as IntNDArray).data as Uint32Array;
}

/** NumPy's legacy algorithms, one draw at a time, on a given word stream: the reference for the kernels. */
class ScalarReference {
  private at = 0;
  private hasGauss = false;
  private gauss = 0;
  constructor(private readonly stream: Uint32Array) {}
  get consumed(): number {
    return this.at;
  }
  word(): number {
    return this.stream[this.at++];
  }
  double(): number {
    const a = this.word() >>> 5;
    const b = this.word() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }
  normal(): number {
    if (this.hasGauss) {
      this.hasGauss = false;
      return this.gauss;
    }
    let x1: number, x2: number, r2: number;
    do {
      x1 = 2 * this.double() - 1;
      x2 = 2 * this.double() - 1;
      r2 = x1 * x1 + x2 * x2;
    } while (r2 >= 1 || r2 === 0);
    const f = Math.sqrt((-2 * glibcLogExact(r2)) / r2);
    this.gauss = f * x1;
    this.hasGauss = true;
    return f * x2;
  }
}

function sameBits(a: Float64Array, b: Float64Array): number {
  let bad = 0;
  const ua = new BigUint64Array(a.buffer, a.byteOffset, a.length);
  const ub = new BigUint64Array(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < a.length; i++) if (ua[i] !== ub[i]) bad++;
  return bad + Math.abs(a.length - b.length);
}

describe('the WebAssembly kernels', () => {
  it('are the path randn and rand take (their output buffer holds the last values returned)', () => {
    const rs = new RandomState(11);
    const z = rs.randn(2 * kernels.MAX_PAIRS - 3).data; // odd: one value of the last pair is cached
    expect(sameBits(z.subarray(z.length - 100), kernels.out.subarray(z.length - 100, z.length))).toBe(0);
    expect(rs.get_state()[4]).toBe(kernels.out[z.length]);
    const u = rs.rand(777).data;
    expect(sameBits(u, kernels.out.subarray(0, 777))).toBe(0);
  });

  it('twist: equals the textbook one-word-at-a-time MT19937 over 32 blocks, and the check value 4123659995', () => {
    const textbook = (seed: number, count: number): Uint32Array => {
      const mt = new Uint32Array(624);
      mt[0] = seed;
      for (let i = 1; i < 624; i++) mt[i] = Math.imul(1812433253, mt[i - 1] ^ (mt[i - 1] >>> 30)) + i;
      const out = new Uint32Array(count);
      for (let n = 0, i = 624; n < count; n++, i++) {
        if (i === 624) {
          for (let j = 0; j < 624; j++) {
            const y = (mt[j] & 0x80000000) | (mt[(j + 1) % 624] & 0x7fffffff);
            mt[j] = mt[(j + 397) % 624] ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
          }
          i = 0;
        }
        let y = mt[i];
        y ^= y >>> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        out[n] = y ^ (y >>> 18);
      }
      return out;
    };
    const ours = words(5489, 32 * 624);
    expect(Buffer.from(ours.buffer).equals(Buffer.from(textbook(5489, 32 * 624).buffer))).toBe(true);
    expect(ours[9999]).toBe(4123659995); // the 10000th output for seed 5489 (C++ std::mt19937's check value)
  });

  it('randn and rand equal the scalar algorithms at every word alignment, across twists and calls', () => {
    // offsets 0..7 words shift the 4-word candidates and 2-word doubles against the 624-word blocks, so draws
    // straddle twists at every phase; odd counts exercise the cached gaussian between calls
    const plan: ['randn' | 'rand', number][] = [
      ['randn', 5001],
      ['rand', 333],
      ['randn', 2 * kernels.MAX_PAIRS + 1],
      ['randn', 1],
      ['rand', 4097],
      ['randn', 30_000],
    ];
    let compared = 0;
    for (let offset = 0; offset < 8; offset++) {
      const seed = 1000 + offset;
      const ref = new ScalarReference(words(seed, 200_000));
      const rs = new RandomState(seed);
      rs.randint(0, 2 ** 32, offset, 'uint32');
      for (let i = 0; i < offset; i++) ref.word();
      for (const [method, n] of plan) {
        const ours = method === 'randn' ? rs.randn(n).data : rs.rand(n).data;
        const theirs = Float64Array.from({ length: n }, () => (method === 'randn' ? ref.normal() : ref.double()));
        expect(sameBits(ours, theirs), `offset ${offset}, ${method}(${n})`).toBe(0);
        compared += n;
      }
      // the state after: the same key and position as a generator advanced by exactly the words consumed
      const advanced = new RandomState(seed);
      advanced.randint(0, 2 ** 32, ref.consumed, 'uint32');
      const [, key, pos, hasGauss] = rs.get_state();
      const [, key2, pos2] = advanced.get_state();
      expect({ pos, hasGauss, same: Buffer.from(key.buffer).equals(Buffer.from(key2.buffer)) }).toEqual({
        pos: pos2,
        hasGauss: 1,
        same: true,
      });
    }
    expect(compared).toBeGreaterThan(300_000);
  });

  it("log: the kernel's equals the exact emulation and glibcLog on 1e6 inputs in (0, 1), near 1, subnormal and special", () => {
    const rs = new RandomState(3);
    const n = kernels.MAX_PAIRS;
    let bad = 0;
    let total = 0;
    for (let round = 0; round < 1000; round++) {
      const x = rs.rand(n).data as Float64Array;
      for (let i = 0; i < n; i++) {
        const kind = i % 8;
        if (kind === 0)
          x[i] = 1 + (x[i] - 0.5) * 0.15; // both sides of the near-1 interval
        else if (kind === 1)
          x[i] = x[i] * 2 ** -1022; // subnormal
        else if (kind === 2) x[i] = Math.exp((x[i] - 0.5) * 1400);
        else if (kind === 3) x[i] = x[i] * x[i] + (1 - x[i]) * (1 - x[i]) * 0.5; // like randn's r2
      }
      if (round === 0)
        x.set([0, -0, -1, 1, Infinity, -Infinity, NaN, 0.9375, 1.064697265625, 5e-324, Number.MAX_VALUE]);
      kernels.r2.set(x);
      kernels.logs(n);
      // and the scalar fast path (glibcLog, exported) with them: the three must never disagree
      for (let i = 0; i < n; i++)
        if (!Object.is(kernels.out[i], glibcLogExact(x[i])) || !Object.is(glibcLog(x[i]), kernels.out[i])) bad++;
      total += n;
    }
    expect(total).toBeGreaterThan(1_000_000);
    expect(bad).toBe(0);
  });
});

describe.skipIf(!hasNumpy())(`the kernels live against NumPy and libm ${numpySkipReason()}`, () => {
  it('randn/rand/randint interleaved at every word alignment: every bit and get_state', () => {
    const code = `
import sys, json, numpy as np
out = []
for off in range(8):
    rs = np.random.RandomState(77 + off); rs.randint(0, 2**32, off, dtype=np.uint32)
    parts = [rs.randn(100001), rs.rand(3333), rs.randn(7), rs.randint(0, 7, 11).astype(np.float64), rs.randn(50000), rs.rand(100001)]
    s = rs.get_state()
    out.append({'v': np.concatenate(parts).tobytes().hex(), 'key': s[1].tobytes().hex(), 'pos': int(s[2]), 'hg': int(s[3]), 'g': float(s[4]).hex()})
print(json.dumps(out))
`;
    const cases = JSON.parse(runPython(code).toString()) as {
      v: string;
      key: string;
      pos: number;
      hg: number;
      g: string;
    }[];
    let compared = 0;
    for (const [off, c] of cases.entries()) {
      const rs = new RandomState(77 + off);
      rs.randint(0, 2 ** 32, off, 'uint32');
      const parts = [
        rs.randn(100001).data,
        rs.rand(3333).data,
        rs.randn(7).data,
        Float64Array.from((rs.randint(0, 7, 11) as IntNDArray).toNumbers()),
        rs.randn(50000).data,
        rs.rand(100001).data,
      ];
      const ours = new Float64Array(parts.reduce((s, p) => s + p.length, 0));
      let k = 0;
      for (const p of parts) {
        ours.set(p, k);
        k += p.length;
      }
      const theirs = new Float64Array(new Uint8Array(Buffer.from(c.v, 'hex')).buffer);
      expect(sameBits(ours, theirs), `offset ${off}`).toBe(0);
      const [, key, pos, hasGauss, gauss] = rs.get_state();
      expect(Buffer.from(key.buffer).toString('hex'), `offset ${off}: key`).toBe(c.key);
      expect({ pos, hasGauss, gauss: Object.is(gauss, hexFloat(c.g)) }).toEqual({
        pos: c.pos,
        hasGauss: c.hg,
        gauss: true,
      });
      compared += ours.length;
    }
    expect(compared).toBe(8 * 253353);
  });

  it("log: the kernel's and glibcLog equal libm's (through ctypes) on 3e6 inputs", () => {
    const code = `
import ctypes, numpy as np, sys
libm = ctypes.CDLL('libm.so.6'); libm.log.restype = ctypes.c_double; libm.log.argtypes = [ctypes.c_double]
rng = np.random.default_rng(99); n = 500000
x1 = 2*rng.random(n)-1; x2 = 2*rng.random(n)-1
xs = np.concatenate([x1*x1+x2*x2, 1+(rng.random(n)-0.5)*0.2, np.exp(rng.uniform(-745, 709, n)), rng.random(n)*2.2250738585072014e-308,
                     rng.random(n), np.nextafter(1.0, 0) - rng.integers(0, 2**40, n) * 2.0**-53])
xs = xs[xs > 0]
ys = np.frompyfunc(libm.log, 1, 1)(xs).astype(np.float64)
sys.stdout.buffer.write(np.int64(len(xs)).tobytes() + xs.tobytes() + ys.tobytes())
`;
    const raw = runPython(code);
    const n = Number(raw.readBigInt64LE(0));
    const body = new Uint8Array(raw.subarray(8)).slice().buffer;
    const xs = new Float64Array(body, 0, n);
    const ys = new Float64Array(body, 8 * n, n);
    let badKernel = 0;
    let badJs = 0;
    const m = kernels.MAX_PAIRS;
    for (let s = 0; s < n; s += m) {
      const c = Math.min(m, n - s);
      kernels.r2.set(xs.subarray(s, s + c));
      kernels.logs(c);
      for (let i = 0; i < c; i++) {
        if (!Object.is(kernels.out[i], ys[s + i])) badKernel++;
        if (!Object.is(glibcLog(xs[s + i]), ys[s + i])) badJs++;
      }
    }
    console.log(`log vs libm: ${n} inputs, kernel ${badKernel} mismatches, glibcLog ${badJs}`);
    expect(n).toBeGreaterThan(2_900_000);
    expect({ badKernel, badJs }).toEqual({ badKernel: 0, badJs: 0 });
  }, 120_000);
});
