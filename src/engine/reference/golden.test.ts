/**
 * The reference engine against NumPy on 200 random architectures: forward (AL and every Z), cost and backward
 * (every dA, dW, db) agree to rtol 1e-12. Golden file: src/engine/reference/golden (scripts/golden_architectures.py);
 * live against NumPy too where it is present.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NDArray } from '../../tensor/ndarray.ts';
import { ulpDistance } from '../../tensor/ulp.ts';
import { dot } from '../../tensor/linalg.ts';
import { readNpy } from '../../io/npy.ts';
import { randomProblem } from '../../gradcheck/suite.ts';
import { computeCost, lModelBackward, lModelForward } from './index.ts';
import { hasNumpy, numpySkipReason, runPython } from '../../../test/oracle/numpy.ts';

interface Index {
  architectures: {
    seed: number;
    dims: number[];
    m: number;
    outputs: { name: string; shape: number[]; offset: number }[];
  }[];
}

const ROOT = join(import.meta.dirname, '..', '..', '..');

function compareDir(dir: string) {
  const index = JSON.parse(readFileSync(join(dir, 'architectures.json'), 'utf8')) as Index;
  const values = (readNpy(join(dir, 'architectures.npy')) as NDArray).data;
  let worstUlp = 0;
  let worstRel = 0;
  let compared = 0;
  const failures: string[] = [];
  for (const arch of index.architectures) {
    const p = randomProblem(arch.dims, arch.m, arch.seed);
    const [AL, caches] = lModelForward(p.X, p.parameters);
    const ours: Record<string, NDArray> = {
      AL,
      cost: NDArray.scalar(computeCost(AL, p.Y)),
      ...lModelBackward(AL, p.Y, caches, 'dA{l-1}'),
    };
    caches.forEach((c, l) => (ours[`Z${l + 1}`] = c[1]));
    const scales = termScales(p.X, p.Y, AL, caches, ours);
    for (const out of arch.outputs) {
      const mine = ours[out.name];
      const n = out.shape.reduce((a, b) => a * b, 1);
      if (!mine || mine.size !== n || mine.shape.join() !== out.shape.join()) {
        failures.push(`${arch.seed} ${out.name}: shape (${mine?.shape}) vs (${out.shape})`);
        continue;
      }
      const theirs = values.subarray(out.offset, out.offset + n);
      const scale = Math.max(...Array.from(theirs, Math.abs), 1e-300);
      const terms = scales[out.name];
      for (let k = 0; k < n; k++) {
        // relative to the array's magnitude, or to the magnitude of the terms summed for this element (the
        // componentwise bound of a dot product whose summation order NumPy's BLAS chooses)
        const rel = Math.abs(mine.data[k] - theirs[k]) / Math.max(scale, terms ? terms.data[k] : 0);
        worstRel = Math.max(worstRel, rel);
        worstUlp = Math.max(worstUlp, ulpDistance(mine.data[k], theirs[k]));
        compared++;
        if (rel > 1e-12)
          failures.push(
            `seed ${arch.seed} dims ${JSON.stringify(arch.dims)} ${out.name}[${k}]: ${mine.data[k]} vs NumPy ${theirs[k]}`,
          );
      }
    }
  }
  return { architectures: index.architectures.length, compared, worstUlp, worstRel, failures };
}

const abs = (a: NDArray) => new NDArray(a.data.map(Math.abs), a.shape);

/**
 * For each output, the magnitude of the terms its float64 sums add: |W||A_prev| + |b| for Z, (1/m)|dZ||A_prev|ᵀ for
 * dW, (1/m) sum|dZ| for db, |W|ᵀ|dZ| for dA_prev. Cancellation makes an output small against these; the sum's
 * rounding error is bounded relative to them, whatever the order of summation.
 */
function termScales(
  X: NDArray,
  Y: NDArray,
  AL: NDArray,
  caches: ReturnType<typeof lModelForward>[1],
  grads: Record<string, NDArray>,
): Record<string, NDArray> {
  const out: Record<string, NDArray> = {};
  const L = caches.length;
  const m = X.shape[1];
  caches.forEach(([[A_prev, W, b]], l) => {
    const z = dot(abs(W), abs(A_prev));
    out[`Z${l + 1}`] = new NDArray(
      z.data.map((v, i) => v + Math.abs(b.data[Math.floor(i / z.shape[1])])),
      z.shape,
    );
  });
  for (let l = L; l >= 1; l--) {
    const [[A_prev, W], Z] = caches[l - 1];
    const dZ =
      l === L
        ? new NDArray(
            AL.data.map((a, i) => a - Y.data[i]),
            AL.shape,
          )
        : new NDArray(
            grads[`dA${l}`].data.map((d, i) => (Z.data[i] > 0 ? d : 0)),
            Z.shape,
          );
    out[`dW${l}`] = new NDArray(
      dot(abs(dZ), abs(A_prev), false, true).data.map((v) => v / m),
      [W.shape[0], W.shape[1]],
    );
    out[`db${l}`] = new NDArray(
      Float64Array.from(
        { length: dZ.shape[0] },
        (_, r) => dZ.data.slice(r * m, (r + 1) * m).reduce((s, v) => s + Math.abs(v), 0) / m,
      ),
      [dZ.shape[0], 1],
    );
    out[`dA${l - 1}`] = dot(abs(W), abs(dZ), true, false);
  }
  return out;
}

describe('reference engine vs NumPy on random architectures', () => {
  it('200 committed golden architectures: forward, cost and backward within rtol 1e-12', () => {
    const r = compareDir(join(import.meta.dirname, 'golden'));
    console.log(
      `golden: ${r.architectures} architectures, ${r.compared} values, worst relative error ${r.worstRel.toExponential(2)} (of the larger of the array's magnitude and the summed terms' magnitude), worst ${r.worstUlp} ulp`,
    );
    expect(r.failures.slice(0, 5)).toEqual([]);
    expect(r.architectures).toBeGreaterThanOrEqual(200);
  });
  it.skipIf(!hasNumpy())(`200 fresh architectures generated by NumPy now ${numpySkipReason()}`, () => {
    const dir = mkdtempSync(join(tmpdir(), 'golden-'));
    try {
      runPython(
        `import runpy, sys; sys.argv = ['x', ${JSON.stringify(dir)}, '--base', '777000']; runpy.run_path(${JSON.stringify(join(ROOT, 'scripts', 'golden_architectures.py'))}, run_name='__main__')`,
      );
      const r = compareDir(dir);
      console.log(`live: ${r.compared} values, worst ${r.worstUlp} ulp`);
      expect(r.failures.slice(0, 5)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
