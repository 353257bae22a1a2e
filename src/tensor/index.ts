/** `dnn-verify/tensor`: float64 n-d arrays with NumPy's semantics (README.md beside this file). */
export * from './ndarray.ts';
export { broadcastShapes, broadcastStrides } from './broadcast.ts';
export * from './ops.ts';
export { dot, scaledDot, transpose, pinned, withPinned } from './linalg.ts';
export { sum, max, mean, squeeze, pairwiseSum, type ReduceOptions } from './reduce.ts';
export { formatArray, reprArray, formatPythonFloat, parseArray, printedDecimals } from './format.ts';
export { ulpDistance } from './ulp.ts';
