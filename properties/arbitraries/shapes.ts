/**
 * NumPy-style shapes, and sets of shapes that broadcast together, after Hypothesis' `array_shapes`,
 * `broadcastable_shapes` and `mutually_broadcastable_shapes`.
 */
import fc from 'fast-check';

export function arrayShapes({ minDims = 0, maxDims = 4, minSide = 1, maxSide = 5 } = {}): fc.Arbitrary<number[]> {
  return fc.array(fc.integer({ min: minSide, max: maxSide }), { minLength: minDims, maxLength: maxDims });
}

/** A shape that broadcasts with `shape`: aligned on the right, each dimension kept, set to 1, or dropped in front. */
export function broadcastableShapes(shape: readonly number[], { maxDims = 4 } = {}): fc.Arbitrary<number[]> {
  return fc
    .tuple(
      fc.array(fc.constantFrom<'keep' | 'one'>('keep', 'one'), { minLength: shape.length, maxLength: shape.length }),
      fc.integer({ min: 0, max: shape.length }),
      fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 0, maxLength: Math.max(0, maxDims - shape.length) }),
    )
    .map(([choices, drop, extra]) => {
      const kept = shape.map((d, i) => (choices[i] === 'one' ? 1 : d)).slice(drop);
      return [...extra, ...kept].slice(-maxDims);
    });
}

/** `shape` with some leading dimensions dropped and some dimensions set to 1 (no new dimensions). */
function reducedShapes(shape: readonly number[]): fc.Arbitrary<number[]> {
  return fc
    .tuple(
      fc.array(fc.boolean(), { minLength: shape.length, maxLength: shape.length }),
      fc.integer({ min: 0, max: shape.length }),
    )
    .map(([ones, drop]) => shape.map((d, i) => (ones[i] ? 1 : d)).slice(drop));
}

export interface MutualShapes {
  inputShapes: number[][];
  resultShape: number[];
}

/** `numShapes` shapes that broadcast together, with their broadcast result (NumPy's rule, computed here independently). */
export function mutuallyBroadcastableShapes(
  numShapes: number,
  { maxDims = 4, maxSide = 4 } = {},
): fc.Arbitrary<MutualShapes> {
  return arrayShapes({ minDims: 0, maxDims, maxSide }).chain((base) =>
    fc.array(reducedShapes(base), { minLength: numShapes, maxLength: numShapes }).map((inputShapes) => {
      const nd = Math.max(0, ...inputShapes.map((s) => s.length));
      const resultShape = Array.from({ length: nd }, (_, k) => {
        const dims = inputShapes.map((s) => s[s.length - nd + k] ?? 1);
        return Math.max(...dims);
      });
      return { inputShapes, resultShape };
    }),
  );
}

/** Two shapes that do not broadcast: some aligned dimension differs with neither side 1. */
export function incompatibleShapes(): fc.Arbitrary<[number[], number[]]> {
  return fc
    .tuple(
      arrayShapes({ minDims: 1, maxDims: 3, minSide: 2, maxSide: 5 }),
      fc.integer({ min: 0, max: 2 }),
      fc.integer({ min: 1, max: 3 }),
    )
    .map(([a, at, bump]) => {
      const b = [...a];
      const k = at % a.length;
      b[k] = a[k] + bump;
      return [a, b];
    });
}
