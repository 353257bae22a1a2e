/**
 * The Chinese seed's (003) extras against NumPy running that notebook's own formulas, on inputs both sides draw
 * from the same legacy stream; and a committed mathjs-free sanity check that runs without NumPy.
 */
import { describe, expect, it } from 'vitest';
import { NDArray } from '../../tensor/ndarray.ts';
import { RandomState } from '../../random/index.ts';
import * as nb from './index.ts';
import { hasNumpy, numpySkipReason, runPython } from '../../../test/oracle/numpy.ts';

function close(a: NDArray | number, b: number[] | number, what: string) {
  const x = typeof a === 'number' ? [a] : Array.from(a.data);
  const y = typeof b === 'number' ? [b] : b;
  expect(x.length, what).toBe(y.length);
  const scale = Math.max(...y.map(Math.abs), 1e-300);
  x.forEach((v, i) => expect(Math.abs(v - y[i]) / scale, `${what}[${i}]: ${v} vs ${y[i]}`).toBeLessThanOrEqual(1e-12));
}

function inputs(seed: number) {
  const rs = new RandomState(seed);
  return {
    w: rs.randn(4, 1),
    X: rs.randn(4, 6),
    Y: new NDArray(
      Float64Array.from(rs.rand(6).data as Float64Array, (u) => (u < 0.5 ? 1 : 0)),
      [1, 6],
    ),
    W1: rs.randn(3, 4),
    b1: rs.randn(3, 1),
    W2: rs.randn(1, 3),
    b2: rs.randn(1, 1),
    Z: rs.randn(5, 6),
    labels: new NDArray(Float64Array.from((rs.randint(0, 5, 6) as { toNumbers(): number[] }).toNumbers()), [1, 6]),
  };
}

const PY = `
import numpy as np, json, sys
seed = int(sys.argv[1]) if len(sys.argv) > 1 else ${'{SEED}'}
rs = np.random.RandomState(seed)
w = rs.randn(4, 1); X = rs.randn(4, 6); Y = (rs.rand(6) < 0.5).astype(float).reshape(1, 6)
W1 = rs.randn(3, 4); b1 = rs.randn(3, 1); W2 = rs.randn(1, 3); b2 = rs.randn(1, 1); Z = rs.randn(5, 6)
y = rs.randint(0, 5, 6).reshape(1, 6)
sigmoid = lambda z: 1 / (1 + np.exp(-z))
b = 0.5; m = X.shape[1]
A = sigmoid(np.dot(w.T, X) + b)
cost = (-1. / m) * np.sum((Y*np.log(A) + (1 - Y)*np.log(1-A)), axis=1)
dw = (1./m)*np.dot(X,((A-Y).T)); db = (1./m)*np.sum(A-Y, axis=1)
ww, bb = w, b; costs = []
for i in range(250):
    Ai = sigmoid(np.dot(ww.T, X) + bb); ci = (-1. / m) * np.sum((Y*np.log(Ai) + (1 - Y)*np.log(1-Ai)), axis=1)
    dwi = (1./m)*np.dot(X,((Ai-Y).T)); dbi = (1./m)*np.sum(Ai-Y, axis=1)
    ww = ww - 0.1*dwi; bb = bb - 0.1*dbi
    if i % 100 == 0: costs.append(float(np.squeeze(ci)))
pred = (sigmoid(np.dot(ww.T, X) + bb) > 0.5).astype(float)
Z1 = np.dot(W1, X) + b1; A1 = np.tanh(Z1); Z2 = np.dot(W2, A1) + b2; A2 = sigmoid(Z2)
logprobs = np.multiply(np.log(A2), Y) + np.multiply(np.log(1 - A2), 1 - Y); shallow_cost = -np.sum(logprobs) / m
dZ2 = A2 - Y; dW2 = (1/m) * np.dot(dZ2, A1.T); db2 = (1/m) * np.sum(dZ2, axis=1, keepdims=True)
dZ1 = np.multiply(np.dot(W2.T, dZ2), (1 - np.power(A1, 2))); dW1 = (1/m) * np.dot(dZ1, X.T); db1 = (1/m) * np.sum(dZ1, axis=1, keepdims=True)
def softmax(z): e = np.exp(z); return e / np.sum(e)
def stable_softmax(z): e = np.exp(z - np.max(z)); return e / np.sum(e)
a = softmax(Z); ce = np.sum(-np.log(a[y, range(m)])) / m
Yh = np.zeros_like(Z); Yh[y, range(m)] = 1
ce1 = np.sum(- np.log(a) * Yh) / m
g = softmax(Z); g[y, range(m)] -= 1; g = g / m
g1 = (softmax(Z) - Yh) / m
# the textbook softmax, per example (each column), and the losses and deltas on it
def softmax_pe(z): e = np.exp(z - np.max(z, axis=0, keepdims=True)); return e / np.sum(e, axis=0, keepdims=True)
a_pe = softmax_pe(Z); ce_pe = np.sum(-np.log(a_pe[y, range(m)])) / m; ce1_pe = np.sum(-np.log(a_pe) * Yh) / m
g_pe = softmax_pe(Z); g_pe[y, range(m)] -= 1; g_pe = g_pe / m
g1_pe = (softmax_pe(Z) - Yh) / m
r = lambda v: np.ravel(np.asarray(v, dtype=float)).tolist()
print(json.dumps({k: r(v) for k, v in dict(A=A, cost=cost, dw=dw, db=db, ww=ww, bb=bb, costs=costs, pred=pred, A2=A2, shallow_cost=shallow_cost,
      dW1=dW1, db1=db1, dW2=dW2, db2=db2, softmax=softmax(Z), stable=stable_softmax(Z), ce=ce, ce1=ce1, g=g, g1=g1, Yh=Yh,
      softmax_pe=a_pe, ce_pe=ce_pe, ce1_pe=ce1_pe, g_pe=g_pe, g1_pe=g1_pe).items()}))
`;

describe.skipIf(!hasNumpy())(`Chinese seed extras against NumPy ${numpySkipReason()}`, () => {
  for (const seed of [1, 2, 3]) {
    it(`logistic regression, shallow tanh network, softmax and cross-entropy gradients (seed ${seed})`, () => {
      const ref = JSON.parse(runPython(PY.replace('{SEED}', String(seed))).toString());
      const { w, X, Y, W1, b1, W2, b2, Z, labels } = inputs(seed);
      const [grads, cost] = nb.propagate(w, 0.5, X, Y);
      close(cost, ref.cost, 'propagate cost');
      close(grads.dw, ref.dw, 'dw');
      close(grads.db, ref.db, 'db');
      expect([...grads.db.shape]).toEqual([1]); // np.sum(..., axis=1) drops the axis, as the notebook's does
      const opt = nb.optimize(w, 0.5, X, Y, 250, 0.1);
      close(opt.params.w, ref.ww, 'optimize w');
      close(opt.params.b as number, ref.bb, 'optimize b');
      expect(opt.costs.length).toBe(3);
      opt.costs.forEach((c, i) => close(c, ref.costs[i], `costs[${i}]`));
      expect(Array.from(nb.predictLogistic(opt.params.w, opt.params.b, X).data)).toEqual(ref.pred);
      const params = { W1, b1, W2, b2 };
      const [A2, cache] = nb.forwardPropagation(X, params);
      close(A2, ref.A2, 'A2');
      close(nb.shallowCost(A2, Y), ref.shallow_cost, 'shallow cost');
      const g = nb.backwardPropagation(params, cache, X, Y);
      for (const k of ['dW1', 'db1', 'dW2', 'db2']) close(g[k], ref[k], k);
      close(nb.softmax(Z), ref.softmax, 'softmax');
      close(nb.stableSoftmax(Z), ref.stable, 'stable_softmax');
      close(nb.crossEntropy(Z, labels), ref.ce, 'cross_entropy');
      const Yh = new NDArray(Float64Array.from(ref.Yh), [5, 6]);
      close(nb.crossEntropyOneHot(Z, Yh), ref.ce1, 'cross_entropy_one_hot');
      close(nb.deltaCrossEntropy(Z, labels), ref.g, 'delta_cross_entropy');
      close(nb.deltaCrossEntropyOneHot(Z, Yh), ref.g1, 'delta_cross_entropy_one_hot');
      close(nb.softmaxPerExample(Z), ref.softmax_pe, 'softmax per example');
      close(nb.crossEntropyPerExample(Z, labels), ref.ce_pe, 'cross_entropy per example');
      close(nb.crossEntropyOneHotPerExample(Z, Yh), ref.ce1_pe, 'cross_entropy_one_hot per example');
      close(nb.deltaCrossEntropyPerExample(Z, labels), ref.g_pe, 'delta_cross_entropy per example');
      close(nb.deltaCrossEntropyOneHotPerExample(Z, Yh), ref.g1_pe, 'delta_cross_entropy_one_hot per example');
    });
  }
});

describe('extras without NumPy', () => {
  it('softmax sums to 1 and stable_softmax equals it where exp does not overflow; overflow is what stable fixes', () => {
    const z = NDArray.from([
      [1, 2],
      [3, 4],
    ]);
    expect(nb.softmax(z).data.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 15);
    nb.stableSoftmax(z).data.forEach((v, i) => expect(v).toBeCloseTo(nb.softmax(z).data[i], 15));
    const big = NDArray.from([[1000, 1001]]);
    expect(Number.isNaN(nb.softmax(big).data[0])).toBe(true);
    expect(nb.stableSoftmax(big).data[1]).toBeCloseTo(1 / (1 + Math.exp(-1)), 15);
  });
  it('cross entropy refuses labels that are not class indices', () => {
    expect(() => nb.crossEntropy(NDArray.from([[1, 2]]), NDArray.from([[0, 3]]))).toThrow(
      /label y\[0, 1\] = 3 is not a class index below 1/,
    );
  });
});
