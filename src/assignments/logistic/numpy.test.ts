/**
 * The week-2 reference against NumPy on random problems: propagate, optimize (costs every 100 iterations), predict
 * and model, each written in NumPy as the notebook writes it and run by python3 (an independent computation).
 */
import { describe, expect, it } from 'vitest';
import { NDArray } from '../../tensor/ndarray.ts';
import { RandomState } from '../../random/index.ts';
import { hasNumpy, numpySkipReason, runPython } from '../../../test/oracle/numpy.ts';
import { model, optimize, predict, propagate } from './reference.ts';

const PY = `
import json, sys
import numpy as np
def sigmoid(z): return 1 / (1 + np.exp(-z))
def propagate(w, b, X, Y):
    m = X.shape[1]
    A = sigmoid(np.dot(w.T, X) + b)
    cost = -1 / m * np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A))
    return {"dw": 1 / m * np.dot(X, (A - Y).T), "db": 1 / m * np.sum(A - Y)}, float(np.squeeze(cost))
def optimize(w, b, X, Y, n, lr):
    costs = []
    for i in range(n):
        g, c = propagate(w, b, X, Y)
        w = w - lr * g["dw"]; b = b - lr * g["db"]
        if i % 100 == 0: costs.append(c)
    return w, b, g, costs
def predict(w, b, X): return (sigmoid(np.dot(w.T, X) + b) > 0.5) * 1.0
inp = json.load(sys.stdin)
w, X, Y, Xt = (np.array(inp[k]) for k in ("w", "X", "Y", "Xt")); b = inp["b"]
g, c = propagate(w, b, X, Y)
ow, ob, og, oc = optimize(w, b, X, Y, 250, 0.1)
mw, mb, _, mc = optimize(np.zeros((X.shape[0], 1)), 0., X, Y, 150, 0.05)
r = lambda a: np.asarray(a, dtype=float).ravel().tolist()
print(json.dumps({"dw": r(g["dw"]), "db": float(g["db"]), "cost": c, "ow": r(ow), "ob": float(ob), "odw": r(og["dw"]),
  "costs": oc, "pred": r(predict(w, b, Xt)), "mw": r(mw), "mb": float(mb), "mcosts": mc, "mtest": r(predict(mw, mb, Xt))}))
`;

const close = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < b.length; i++)
    expect(Math.abs(a[i] - b[i])).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(b[i])));
};

describe.skipIf(!hasNumpy())(`week 2 reference against NumPy ${numpySkipReason()}`, () => {
  for (const seed of [1, 2, 3])
    it(`propagate, optimize, predict and model agree (seed ${seed})`, () => {
      const rs = new RandomState(seed);
      const n = 3 + seed;
      const m = 5 + seed;
      const w = rs.randn(n, 1);
      const b = rs.randn(1).data[0];
      const X = rs.randn(n, m);
      const Y = new NDArray(
        Float64Array.from(rs.rand(m).data, (u) => (u < 0.5 ? 1 : 0)),
        [1, m],
      );
      const Xt = rs.randn(n, 4);
      const list = (a: NDArray) =>
        Array.from({ length: a.shape[0] }, (_, i) => Array.from(a.data.slice(i * a.shape[1], (i + 1) * a.shape[1])));
      const np = JSON.parse(
        runPython(PY, JSON.stringify({ w: list(w), b, X: list(X), Y: list(Y), Xt: list(Xt) })).toString(),
      );
      const [g, cost] = propagate(w, b, X, Y);
      close(g.dw.data, np.dw);
      close([g.db, cost], [np.db, np.cost]);
      const o = optimize(w, b, X, Y, 250, 0.1);
      close(o.params.w.data, np.ow);
      close([o.params.b as number], [np.ob]);
      close(o.grads.dw.data, np.odw);
      close(o.costs, np.costs);
      expect(o.costs).toHaveLength(3);
      expect(Array.from(predict(w, b, Xt).data)).toEqual(np.pred);
      const d = model(X, Y, Xt, Y, 150, 0.05);
      close(d.w.data, np.mw);
      close([d.b as number], [np.mb]);
      close(d.costs, np.mcosts);
      expect(Array.from(d.Y_prediction_test.data)).toEqual(np.mtest);
    });
});
