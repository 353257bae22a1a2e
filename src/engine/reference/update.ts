/** Gradient descent and prediction. Nothing here mutates its inputs. */
import { NDArray, ShapeError, shapeToString } from '../../tensor/ndarray.ts';
import { pairwiseSum } from '../../tensor/reduce.ts';
import { lModelForward, layerCount } from './forward.ts';
import { NotebookError, type Grads, type Parameters } from './types.ts';

/** parameters[k] - learning_rate * grads["d" + k], for every W and b, as new arrays. */
export function updateParameters(parameters: Parameters, grads: Grads, learningRate: number): Parameters {
  const L = layerCount(parameters);
  const out: Parameters = {};
  for (let l = 1; l <= L; l++) {
    for (const p of ['W', 'b']) {
      const key = `${p}${l}`;
      const value = parameters[key];
      const g = grads[`d${key}`];
      if (!g) throw new NotebookError(`update_parameters: grads has no d${key}`);
      if (g.size !== value.size)
        throw new ShapeError(
          `update_parameters: d${key} ${shapeToString(g.shape)} does not match ${key} ${shapeToString(value.shape)}`,
        );
      out[key] = descendArray(value, g, learningRate);
    }
  }
  return out;
}

/** value - learning_rate * grad, elementwise (one parameter's step of update_parameters), as a new array. */
export function descendArray(value: NDArray, grad: NDArray, learningRate: number): NDArray {
  const next = new Float64Array(value.size);
  const v = value.data;
  const d = grad.data;
  for (let i = 0; i < next.length; i++) next[i] = v[i] - learningRate * d[i];
  return new NDArray(next, value.shape);
}

/** The Application's predict: 1 where AL > 0.5, else 0, shape (1, m); also the accuracy against y. */
export function predict(X: NDArray, y: NDArray, parameters: Parameters): { p: NDArray; accuracy: number } {
  const [AL] = lModelForward(X, parameters);
  const m = X.shape[1];
  const p = new Float64Array(m);
  const hit = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    p[i] = AL.data[i] > 0.5 ? 1 : 0;
    hit[i] = (p[i] === y.data[i] ? 1 : 0) / m;
  }
  // np.sum((p == y) / m): the quotients summed pairwise in array order, as NumPy does
  return { p: new NDArray(p, [1, m]), accuracy: pairwiseSum(hit, 0, m) };
}
