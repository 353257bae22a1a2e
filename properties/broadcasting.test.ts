/** Broadcasting follows NumPy's rule: generated shape sets (Hypothesis-style) agree with ours and with NumPy. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { broadcastShapes } from '../src/tensor/broadcast.ts';
import { add } from '../src/tensor/ops.ts';
import { NDArray, ShapeError } from '../src/tensor/ndarray.ts';
import { incompatibleShapes, mutuallyBroadcastableShapes } from './arbitraries/index.ts';
import { hasNumpy, numpySkipReason, runPython } from '../test/oracle/numpy.ts';

describe('broadcasting properties', () => {
  it('mutually broadcastable shape sets broadcast to their result', () => {
    fc.assert(
      fc.property(mutuallyBroadcastableShapes(3), ({ inputShapes, resultShape }) => {
        expect(broadcastShapes(...inputShapes)).toEqual(resultShape);
      }),
      { seed: 42, numRuns: 500 },
    );
  });
  it('adding arrays of broadcastable shapes gives the result shape', () => {
    fc.assert(
      fc.property(mutuallyBroadcastableShapes(2), ({ inputShapes: [a, b], resultShape }) => {
        expect([...add(NDArray.zeros(a), NDArray.zeros(b)).shape]).toEqual(resultShape);
      }),
      { seed: 43, numRuns: 300 },
    );
  });
  it('incompatible shapes are refused, naming both', () => {
    fc.assert(
      fc.property(incompatibleShapes(), ([a, b]) => {
        expect(() => add(NDArray.zeros(a), NDArray.zeros(b))).toThrow(ShapeError);
        expect(() => add(NDArray.zeros(a), NDArray.zeros(b))).toThrow(
          /could not be broadcast together with shapes \(.*\) \(.*\)/,
        );
      }),
      { seed: 44, numRuns: 300 },
    );
  });
  it.skipIf(!hasNumpy())(
    `a sample of 300 generated shape sets agrees with np.broadcast_shapes ${numpySkipReason()}`,
    () => {
      const sample = fc.sample(
        fc.oneof(
          mutuallyBroadcastableShapes(3).map((s) => s.inputShapes),
          incompatibleShapes(),
        ),
        { seed: 45, numRuns: 300 },
      );
      const code = `
import json, sys, numpy as np
out = []
for shapes in json.loads(sys.stdin.read()):
    try: out.append(list(np.broadcast_shapes(*[tuple(s) for s in shapes])))
    except ValueError: out.append(None)
print(json.dumps(out))`;
      const numpy = JSON.parse(runPython(code, JSON.stringify(sample)).toString()) as (number[] | null)[];
      sample.forEach((shapes, i) => {
        if (numpy[i] === null) expect(() => broadcastShapes(...shapes)).toThrow(ShapeError);
        else expect(broadcastShapes(...shapes)).toEqual(numpy[i]);
      });
      expect(numpy.filter((x) => x === null).length).toBeGreaterThan(50);
    },
  );
});
