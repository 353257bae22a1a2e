/**
 * The first-layer pass (one pass over X for dW1, the update of W1 and the next W1·X) against the engine's separate
 * steps, bit for bit: linear_backward's dW = (1/m)·dZ·Xᵀ, update_parameters, then linear_forward's W·X.
 */
import { describe, expect, it } from 'vitest';
import { FirstLayer } from './first-layer.ts';
import { pin, unpin } from './gemm-wasm.ts';
import { bytesInUse, memory } from './heap.ts';
import { ERRORS_BYTE, liveThreads, runParts } from './threads.ts';
import { bitsDiffer, specialOperand } from '../../../test/helpers/bits.ts';
import { RandomState } from '../../random/index.ts';
import { NDArray } from '../ndarray.ts';
import { dot, scaledDot } from '../linalg.ts';
import { updateParameters } from '../../engine/reference/update.ts';

const rs = new RandomState(11);

/** The engine's steps: dW1 = (1/m)·dZ1·Xᵀ (linear_backward), W1 - lr·dW1 (update_parameters), W1·X (linear_forward). */
function separateSteps(X: NDArray, W: NDArray, dZ: NDArray, lr: number): { W: NDArray; P: NDArray } {
  const dW = scaledDot(1 / X.shape[1], dZ, X, false, true);
  const b = new NDArray(new Float64Array(W.shape[0]), [W.shape[0], 1]);
  const next = updateParameters({ W1: W, b1: b }, { dW1: dW, db1: b }, lr).W1;
  return { W: next, P: dot(next, X) };
}

function withLayer<T>(
  X: Float64Array,
  n0: number,
  m: number,
  W: Float64Array,
  h: number,
  options: ConstructorParameters<typeof FirstLayer>[5],
  fn: (layer: FirstLayer) => T,
): T {
  const Xp = pin(X);
  const layer = new FirstLayer(Xp, n0, m, W, h, options);
  try {
    return fn(layer);
  } finally {
    layer.dispose();
    unpin(Xp);
  }
}

describe('the first-layer pass against the separate steps, bit for bit', () => {
  // h: 1 to 20 (a 4-row tile and every remainder); m: vector and scalar column remainders; n0: blocks that do not
  // divide it and shares of rows that are not whole tiles
  const shapes: [number, number, number][] = [
    [1, 5, 3],
    [3, 37, 13],
    [7, 100, 9],
    [20, 64, 33],
    [5, 513, 50],
    [20, 1229, 209],
  ];
  for (const [h, n0, m] of shapes) {
    for (const blockRows of [1, 3, 8, 61, undefined]) {
      for (const [parts, chunks] of [
        [1, undefined],
        [2, undefined],
        [2, 1],
        [3, 3],
      ] as const) {
        it(`h ${h}, X ${n0}x${m}, ${blockRows ?? 'default'} rows per block, ${parts} part(s), ${chunks ?? 'default'} chunks, three iterations`, () => {
          const X = specialOperand(rs, n0 * m);
          let W = new NDArray(rs.randn(h * n0).data, [h, n0]);
          const Xa = new NDArray(X, [n0, m]);
          withLayer(X, n0, m, W.data, h, { blockRows, parts, chunks }, (layer) => {
            layer.forward();
            expect(bitsDiffer(layer.product(), dot(W, Xa).data)).toBe(0);
            for (let it = 0; it < 3; it++) {
              const dZ = new NDArray(specialOperand(rs, h * m), [h, m]);
              const want = separateSteps(Xa, W, dZ, 0.0075);
              layer.descend(dZ.data, 0.0075, it < 2);
              expect(bitsDiffer(layer.weights(), want.W.data), `W1 after iteration ${it}`).toBe(0);
              if (it < 2) expect(bitsDiffer(layer.product(), want.P.data), `W1·X after iteration ${it}`).toBe(0);
              W = want.W;
            }
          });
        });
      }
    }
  }

  it('uses every live thread for large layers, and gives back all the memory it takes', () => {
    const before = bytesInUse();
    const X = rs.randn(4096 * 64).data;
    withLayer(X, 4096, 64, rs.randn(8 * 4096).data, 8, {}, (layer) => {
      expect((layer as unknown as { parts: number }).parts).toBe(liveThreads());
    });
    expect(bytesInUse()).toBe(before);
  });

  it('a thread that fails mid-pass stops the others where they wait for its work: an error, not a hang', () => {
    const h = 4,
      n0 = 64,
      m = 8,
      blockRows = 4;
    const X = rs.randn(n0 * m).data;
    withLayer(X, n0, m, rs.randn(h * n0).data, h, { blockRows }, (layer) => {
      const a = layer as unknown as { sync: number; w: number; dzT: number; dw: number; p: number };
      // an X of which only the first block lies inside the memory: A of block 1 traps, on whichever thread takes it,
      // and B of block 1 waits for that A
      const x = memory.buffer.byteLength - blockRows * m * 8;
      const args = [a.sync, ERRORS_BYTE, x, n0, m, h, 4, a.w, a.dzT, a.dw, a.p, 1 / m, 0.01, blockRows, 2, 2, 3];
      new Int32Array(memory.buffer, a.sync, 1 + n0 / blockRows + 2).fill(0);
      const started = Date.now();
      expect(() =>
        runParts(
          'firstLayerPass',
          Array.from({ length: liveThreads() }, () => args),
        ),
      ).toThrow();
      expect(Date.now() - started).toBeLessThan(10_000);
      // and the pool still works
      layer.forward();
      expect(
        bitsDiffer(layer.product(), dot(new NDArray(layer.weights(), [h, n0]), new NDArray(X, [n0, m])).data),
      ).toBe(0);
    });
  });

  it("refuses an X that is not in the kernels' memory, and mismatched sizes", () => {
    expect(() => new FirstLayer(new Float64Array(6), 3, 2, new Float64Array(3), 1)).toThrow(/must be pinned/);
    const Xp = pin(new Float64Array(6));
    try {
      expect(() => new FirstLayer(Xp, 3, 2, new Float64Array(4), 1)).toThrow(/W1 4 for 1×3/);
      const layer = new FirstLayer(Xp, 3, 2, new Float64Array(3), 1);
      expect(() => layer.descend(new Float64Array(3), 0.1, false)).toThrow(/dZ1 has 3 values, expected 1×2/);
      layer.dispose();
    } finally {
      unpin(Xp);
    }
  });
});
