/** Broadcasting and elementwise ops follow NumPy, including its error text. */
import { describe, expect, it } from 'vitest';
import { NDArray, ShapeError } from './ndarray.ts';
import { add, binary, div, equal, greater, less, mul, sub, maximum } from './ops.ts';
import { broadcastShapes } from './broadcast.ts';
import { dot, transpose } from './linalg.ts';
import { max, mean, sum, squeeze } from './reduce.ts';
import { hasNumpy, numpySkipReason, runPython } from '../../test/oracle/numpy.ts';

describe('broadcasting', () => {
  it('adds a column vector across a matrix (Z = W·A + b)', () => {
    expect(
      Array.from(
        add(
          NDArray.from([
            [1, 2],
            [3, 4],
          ]),
          NDArray.from([[10], [20]]),
        ).data,
      ),
    ).toEqual([11, 12, 23, 24]);
  });
  it("refuses incompatible shapes with NumPy's message naming both", () => {
    expect(() => add(NDArray.zeros([3, 2]), NDArray.zeros([4]))).toThrow(ShapeError);
    expect(() => add(NDArray.zeros([3, 2]), NDArray.zeros([4]))).toThrow(
      'operands could not be broadcast together with shapes (3,2) (4,) ',
    );
  });
  it('3-operand shapes and 0-d scalars', () => {
    expect(broadcastShapes([8, 1, 6, 1], [7, 1, 5], [5])).toEqual([8, 7, 6, 5]);
    expect(Array.from(mul(NDArray.scalar(2), NDArray.from([1, 2])).data)).toEqual([2, 4]);
    expect(Array.from(maximum(0, NDArray.from([-1, NaN, 2])).data)).toEqual([0, NaN, 2]);
    expect([...sub(NDArray.zeros([2, 1, 3]), NDArray.zeros([4, 1])).shape]).toEqual([2, 4, 3]);
  });
  it.skipIf(!hasNumpy())(`agrees with NumPy on 300 random shape pairs ${numpySkipReason()}`, () => {
    const code = `
import numpy as np, json
rng = np.random.default_rng(5); out = []
for _ in range(300):
    a = tuple(int(x) for x in rng.integers(1, 4, rng.integers(0, 4))); b = list(a[len(a) - rng.integers(0, len(a) + 1):]) if a else []
    b = tuple(int(1 if rng.random() < 0.3 else (x if rng.random() < 0.8 else rng.integers(1, 4))) for x in b)
    if rng.random() < 0.3: b = tuple(int(x) for x in rng.integers(1, 4, rng.integers(0, 4)))
    try: s = list(np.broadcast_shapes(a, b))
    except ValueError: s = None
    out.append([list(a), list(b), s])
print(json.dumps(out))`;
    const cases = JSON.parse(runPython(code).toString()) as [number[], number[], number[] | null][];
    let refused = 0;
    for (const [a, b, s] of cases) {
      if (s === null) {
        refused++;
        expect(() => broadcastShapes(a, b)).toThrow(ShapeError);
      } else expect(broadcastShapes(a, b)).toEqual(s);
    }
    expect(refused).toBeGreaterThan(10);
  });
});

describe('linear algebra and reductions', () => {
  it('dot with NumPy shapes and its alignment error', () => {
    const A = NDArray.from([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(Array.from(dot(A, transpose(A)).data)).toEqual([14, 32, 32, 77]);
    expect(Array.from(dot(A, A, false, true).data)).toEqual([14, 32, 32, 77]);
    expect(() => dot(A, A)).toThrow('shapes (2,3) and (2,3) not aligned: 3 (dim 1) != 2 (dim 0)');
    expect([...dot(NDArray.from([1, 2]), NDArray.from([3, 4])).shape]).toEqual([]);
  });
  it('sum with axis and keepdims, squeeze', () => {
    const A = NDArray.from([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect([...sum(A, { axis: 1, keepdims: true }).shape]).toEqual([2, 1]);
    expect(Array.from(sum(A, { axis: 0 }).data)).toEqual([5, 7, 9]);
    expect(sum(A).data[0]).toBe(21);
    expect([...squeeze(NDArray.zeros([1, 3, 1])).shape]).toEqual([3]);
    expect([...squeeze(NDArray.zeros([1, 3, 1]), -1).shape]).toEqual([1, 3]);
    expect([...sum(NDArray.zeros([2, 0]), { axis: 1 }).shape]).toEqual([2]);
    expect([...sum(NDArray.zeros([0, 3, 1]), { axis: 1, keepdims: true }).shape]).toEqual([0, 1, 1]);
    expect([...sum(NDArray.zeros([2, 0, 1]), { axis: 1 }).shape]).toEqual([2, 1]);
    expect(() => squeeze(NDArray.zeros([1, 3, 1]), 1)).toThrow(
      'cannot select an axis to squeeze out which has size not equal to one',
    );
  });
});

describe('closure-free fast paths', () => {
  const ops = [
    [add, (x: number, y: number) => x + y],
    [sub, (x: number, y: number) => x - y],
    [mul, (x: number, y: number) => x * y],
    [div, (x: number, y: number) => x / y],
  ] as const;
  const shapes: [number[], number[]][] = [
    [
      [3, 4],
      [3, 4],
    ],
    [[3, 4], []],
    [[], [3, 4]],
    [
      [3, 4],
      [1, 1],
    ],
    [
      [1, 1],
      [3, 4],
    ],
    [
      [3, 4],
      [3, 1],
    ],
    [
      [3, 1],
      [3, 4],
    ],
    [
      [3, 4],
      [1, 4],
    ],
    [
      [1, 4],
      [3, 4],
    ],
    [[3, 4], [4]],
    [[4], [3, 4]],
    [
      [2, 3, 4],
      [3, 1],
    ],
    [
      [3, 1],
      [1, 4],
    ],
  ];
  const fill = (shape: number[], seed: number) => {
    const n = shape.reduce((p, d) => p * d, 1);
    return new NDArray(
      Float64Array.from({ length: n }, (_, i) => Math.sin(seed * 7 + i * 1.3) + 1.5),
      shape,
    );
  };
  it('give the general broadcasting result bit for bit on every hot pattern, in both operand orders', () => {
    for (const [a, b] of shapes) {
      const A = fill(a, 1);
      const B = fill(b, 2);
      for (const [fast, f] of ops) {
        const got = fast(A, B);
        const want = binary(A, B, f);
        expect([...got.shape]).toEqual([...want.shape]);
        expect(Array.from(got.data)).toEqual(Array.from(want.data));
      }
    }
    expect(Array.from(sub(2, NDArray.from([1, 4])).data)).toEqual([1, -2]);
    expect(Array.from(div(NDArray.from([1, 4]), 2).data)).toEqual([0.5, 2]);
  });
  it('comparisons give 0/1 floats with broadcasting', () => {
    expect(
      Array.from(
        greater(
          NDArray.from([
            [1, 2],
            [3, 4],
          ]),
          NDArray.from([[2], [3]]),
        ).data,
      ),
    ).toEqual([0, 0, 0, 1]);
    expect(Array.from(less(NDArray.from([1, NaN]), 2).data)).toEqual([1, 0]);
    expect(Array.from(equal(NDArray.from([1, NaN]), NDArray.from([1, NaN])).data)).toEqual([1, 0]);
  });
});

describe.skipIf(!hasNumpy())(`reductions against NumPy ${numpySkipReason()}`, () => {
  it('sum, mean and max with every axis and keepdims agree with NumPy on 120 random arrays, bit for bit', () => {
    const code = `
import numpy as np, json
rng = np.random.default_rng(9); out = []
for k in range(120):
    shape = tuple(int(x) for x in rng.integers(1, 300, int(rng.integers(1, 3)))) if k % 4 == 0 else tuple(int(x) for x in rng.integers(1, 9, int(rng.integers(1, 4))))
    a = rng.standard_normal(shape) * 10.0 ** int(rng.integers(-3, 4))
    axis = None if k % 5 == 0 else int(rng.integers(-len(shape), len(shape))); kd = bool(k % 2)
    r = {f: getattr(np, f)(a, axis=axis, keepdims=kd) for f in ('sum', 'mean', 'max')}
    out.append({'shape': list(shape), 'a': [x.hex() for x in a.ravel().tolist()], 'axis': axis, 'kd': kd,
                'r': {f: {'shape': list(np.shape(v)), 'v': [x.hex() for x in np.ravel(v).tolist()]} for f, v in r.items()}})
print(json.dumps(out))`;
    type Case = {
      shape: number[];
      a: string[];
      axis: number | null;
      kd: boolean;
      r: Record<string, { shape: number[]; v: string[] }>;
    };
    const cases = JSON.parse(runPython(code).toString()) as Case[];
    const fns = { sum, mean, max } as const;
    let bits = 0;
    for (const c of cases) {
      const a = new NDArray(Float64Array.from(c.a.map(fromHex)), c.shape);
      for (const f of ['sum', 'mean', 'max'] as const) {
        const got = fns[f](a, { axis: c.axis ?? undefined, keepdims: c.kd });
        expect([...got.shape], `${f} ${JSON.stringify(c.shape)} axis ${c.axis}`).toEqual(c.r[f].shape);
        const want = c.r[f].v.map(fromHex);
        for (let i = 0; i < want.length; i++) if (got.data[i] !== want[i]) bits++;
        expect(Array.from(got.data).map((x, i) => Math.abs(x - want[i]) <= 1e-13 * Math.abs(want[i]))).not.toContain(
          false,
        );
      }
    }
    expect(bits).toBe(0);
  });
});

function fromHex(h: string): number {
  const m = /^(-?)0x([01])\.([0-9a-f]+)p([+-]\d+)$/.exec(h);
  if (!m) throw new Error(h);
  const v = Number(BigInt(`0x${m[2]}${m[3]}`)) * 2 ** (Number(m[4]) - 4 * m[3].length);
  return m[1] ? -v : v;
}
