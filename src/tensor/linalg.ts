/** Matrix products and transposes with NumPy's rules for 1-d and 2-d operands (np.dot, .T). */
import { NDArray, ShapeError, shapeToCompact } from './ndarray.ts';
import { gemm } from './kernels/gemm.ts';
import { pin, unpin } from './kernels/gemm-wasm.ts';

/** a.T: reverses the axes (a copy, C order). */
export function transpose(a: NDArray): NDArray {
  if (a.ndim < 2) return a;
  if (a.ndim !== 2) throw new ShapeError('transpose: only 0-, 1- and 2-d arrays are supported');
  const [r, c] = a.shape;
  const out = new Float64Array(a.size);
  const d = a.data;
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) out[j * r + i] = d[i * c + j];
  return new NDArray(out, [c, r]);
}

function alignError(a: readonly number[], b: readonly number[], k1: number, k2: number): ShapeError {
  // NumPy's text, naming the shapes of the operands as multiplied (after any transpose)
  return new ShapeError(
    `shapes ${shapeToCompact(a)} and ${shapeToCompact(b)} not aligned: ${k1} (dim ${a.length - 1}) != ${k2} (dim ${Math.max(0, b.length - 2)})`,
  );
}

/**
 * np.dot for 0-, 1- and 2-d operands. `transA`/`transB` multiply by a stored operand's transpose without
 * materialising it (dot(a.T, b) == dot(a, b, true)).
 */
export function dot(a: NDArray, b: NDArray, transA = false, transB = false): NDArray {
  return scaledDot(1, a, b, transA, transB);
}

/** alpha * np.dot(a, b) (each element of the product multiplied once), without a second array for the product. */
export function scaledDot(alpha: number, a: NDArray, b: NDArray, transA = false, transB = false): NDArray {
  if (a.ndim === 0 || b.ndim === 0) {
    const s = a.ndim === 0 ? a.data[0] : b.data[0];
    const other = a.ndim === 0 ? b : a;
    return new NDArray(
      other.data.map((x) => alpha * (x * s)),
      other.shape,
    );
  }
  const A2 = a.ndim === 1 ? [1, a.shape[0]] : transA ? [a.shape[1], a.shape[0]] : [...a.shape];
  const B2 = b.ndim === 1 ? [b.shape[0], 1] : transB ? [b.shape[1], b.shape[0]] : [...b.shape];
  if (a.ndim > 2 || b.ndim > 2) throw new ShapeError('dot: only 1- and 2-d arrays are supported');
  const [m, k] = A2;
  const [k2, n] = B2;
  if (k !== k2) {
    throw alignError(a.ndim === 1 ? a.shape : A2, b.ndim === 1 ? b.shape : B2, k, k2);
  }
  const out = new Float64Array(m * n);
  gemm(m, n, k, a.data, transA && a.ndim === 2, b.data, transB && b.ndim === 2, out, alpha);
  const shape = a.ndim === 1 && b.ndim === 1 ? [] : a.ndim === 1 ? [n] : b.ndim === 1 ? [m] : [m, n];
  return new NDArray(out, shape);
}

/**
 * A copy of `a` whose storage lives in the matrix kernels' memory, so that products with it skip the copy-in:
 * for an operand used in thousands of products, such as a training set. Values and behaviour are unchanged.
 */
export function pinned(a: NDArray): NDArray {
  return new NDArray(pin(a.data), a.shape);
}

/** Runs fn on a pinned copy of `a` and gives the copy's memory back when fn returns (fn must not keep it). */
export function withPinned<T>(a: NDArray, fn: (pinnedA: NDArray) => T): T {
  const p = pinned(a);
  try {
    return fn(p);
  } finally {
    unpin(p.data);
  }
}
