/** The cross-entropy cost J = -(1/m) sum(Y log AL + (1 - Y) log(1 - AL)), squeezed to a number. */
import { type NDArray, ShapeError, shapeToString } from '../../tensor/ndarray.ts';
import { pairwiseSum } from '../../tensor/reduce.ts';

export function computeCost(AL: NDArray, Y: NDArray): number {
  if (AL.size !== Y.size) {
    throw new ShapeError(`compute_cost: AL ${shapeToString(AL.shape)} and Y ${shapeToString(Y.shape)} differ in size`);
  }
  const m = Y.ndim === 2 ? Y.shape[1] : Y.size;
  const a = AL.data;
  const y = Y.data;
  const terms = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) terms[i] = y[i] * Math.log(a[i]) + (1 - y[i]) * Math.log(1 - a[i]);
  return (-1 / m) * pairwiseSum(terms, 0, terms.length);
}
