/**
 * The SIMD kernels (gemm.as.ts, on one thread or split across threads) against the scalar kernel, bit for bit: the
 * same summation order is the whole design, so any difference at all is a bug.
 */
import { describe, expect, it } from 'vitest';
import { gemm } from './gemm.ts';
import { gemmScalar } from './gemm-scalar.ts';
import { gemmWasm, pin, unpin } from './gemm-wasm.ts';
import { alloc, bytesInUse, release } from './heap.ts';
import { runParts } from './threads.ts';
import { RandomState } from '../../random/index.ts';
import { bitsDiffer, specialOperand } from '../../../test/helpers/bits.ts';

const rs = new RandomState(7);
const operand = (size: number) => specialOperand(rs, size);

function product(
  m: number,
  n: number,
  k: number,
  a: Float64Array,
  tA: boolean,
  b: Float64Array,
  tB: boolean,
  run: typeof gemmScalar,
): Float64Array {
  const c = new Float64Array(m * n).fill(NaN); // overwritten, never accumulated into
  run(m, n, k, a, tA, b, tB, c);
  return c;
}

describe('the SIMD gemm against the scalar kernel, bit for bit', () => {
  // remainders of every kind: rows 1-3 past a multiple of 4, columns 1-3 past one; k = 0; k cut into blocks
  // (300 columns of B leave room for 109 of its rows per 256 KB block: 513 = 4·109 + 77)
  const shapes = [
    [2, 3, 0],
    [1, 1, 1],
    [5, 300, 513],
    [300, 5, 513],
    [1, 7, 5],
    [7, 1, 5],
    [3, 5, 2],
    [4, 4, 4],
    [5, 9, 257],
    [6, 11, 3],
    [7, 13, 300],
    [9, 6, 513],
    [13, 17, 31],
    [20, 21, 40],
  ];
  for (const [m, n, k] of shapes) {
    for (const [tA, tB] of [
      [false, false],
      [true, false],
      [false, true],
      [true, true],
    ] as const) {
      it(`${m}x${k} · ${k}x${n}${tA ? ', A transposed' : ''}${tB ? ', B transposed' : ''}: 1 to 5 parts`, () => {
        const a = operand(m * k);
        const b = operand(k * n);
        const want = product(m, n, k, a, tA, b, tB, gemmScalar);
        for (const parts of [1, 2, 3, 5]) {
          const got = product(m, n, k, a, tA, b, tB, (...args) => gemmWasm(...args, { parts }));
          expect(bitsDiffer(got, want), `${parts} parts`).toBe(0);
        }
      });
    }
  }

  it('the Application shapes on the default path (threads), with a pinned training set', () => {
    const X = pin(operand(1229 * 209)); // a tenth of the cat set's 12288 rows keeps this quick
    const W = operand(20 * 1229);
    const dZ = operand(20 * 209);
    expect(
      bitsDiffer(
        product(20, 209, 1229, W, false, X, false, gemm),
        product(20, 209, 1229, W, false, X, false, gemmScalar),
      ),
    ).toBe(0);
    expect(
      bitsDiffer(
        product(20, 1229, 209, dZ, false, X, true, gemm),
        product(20, 1229, 209, dZ, false, X, true, gemmScalar),
      ),
    ).toBe(0);
    expect(
      bitsDiffer(
        product(1229, 209, 20, W, true, dZ, false, gemm),
        product(1229, 209, 20, W, true, dZ, false, gemmScalar),
      ),
    ).toBe(0);
  });

  it('alpha multiplies each finished element once, on both paths (as (1/m) * np.dot(...) does)', () => {
    for (const [m, n, k] of [
      [3, 4, 5],
      [21, 61, 40],
    ]) {
      // the scalar path, and the SIMD one with an odd count
      const a = operand(m * k);
      const b = operand(k * n);
      const want = product(m, n, k, a, false, b, true, gemmScalar).map((v) => (1 / 209) * v);
      const got = product(m, n, k, a, false, b, true, (...args) => gemm(...args, 1 / 209));
      expect(bitsDiffer(got, want), `${m}x${n}x${k}`).toBe(0);
    }
  });

  it('a kernel fault on any thread is an error, and the threads stay usable', () => {
    // a part reading past the end of memory traps, on whichever thread takes it
    const at = alloc(3 * 128); // a 4x4 A, B and C of our own
    const good = [4, 4, at, 32, 8, at + 128, 32, at + 256, 32, 8, 0, 4, 0, 4];
    const bad = [4, 4, 2 ** 32 - 64, 8, 8, at + 128, 32, at + 256, 32, 8, 0, 4, 0, 4];
    expect(() => runParts('axpyForm', [bad, good, bad, good])).toThrow();
    release(at);
    const a = operand(20 * 300);
    const b = operand(300 * 41);
    expect(
      bitsDiffer(
        product(20, 41, 300, a, false, b, false, (...args) => gemmWasm(...args, { parts: 4 })),
        product(20, 41, 300, a, false, b, false, gemmScalar),
      ),
    ).toBe(0);
  });

  it('propagates NaN and inf as NumPy does (0·inf is NaN: no term is skipped)', () => {
    // np.dot([[0., 1.]], [[inf, 1.], [1., 1.]]) == [[nan, 1.]]
    const a = new Float64Array([0, 1]);
    const b = new Float64Array([Infinity, 1, 1, 1]);
    for (const run of [gemmScalar, (...args: Parameters<typeof gemmScalar>) => gemmWasm(...args, { parts: 1 })]) {
      expect(Array.from(product(1, 2, 2, a, false, b, false, run))).toEqual([NaN, 1]);
    }
  });

  it("gives back all the kernel memory it takes, and a pinned copy's on unpin", () => {
    const before = bytesInUse();
    product(9, 31, 300, operand(9 * 300), false, operand(300 * 31), false, gemm);
    expect(bytesInUse()).toBe(before);
    const x = operand(300 * 31);
    const p = pin(x);
    expect(Array.from(p)).toEqual(Array.from(x));
    expect(bytesInUse()).toBeGreaterThanOrEqual(before + x.byteLength);
    unpin(p);
    expect(bytesInUse()).toBe(before);
    expect(() => unpin(p)).toThrow(/not a pinned array/);
  });
});
