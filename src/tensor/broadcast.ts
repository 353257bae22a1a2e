/**
 * NumPy's broadcasting rule: align shapes on the right; two dimensions are compatible when equal or when one is
 * 1; the result takes the larger. Incompatible shapes get NumPy's message, naming every operand's shape.
 */
import { ShapeError, shapeToCompact, type Shape } from './ndarray.ts';

export function broadcastShapes(...shapes: Shape[]): number[] {
  const ndim = Math.max(0, ...shapes.map((s) => s.length));
  const out = new Array<number>(ndim).fill(1);
  for (const s of shapes) {
    for (let i = 0; i < s.length; i++) {
      const d = s[s.length - 1 - i];
      const k = ndim - 1 - i;
      if (out[k] === 1) out[k] = d;
      else if (d !== 1 && d !== out[k]) {
        throw new ShapeError(
          `operands could not be broadcast together with shapes ${shapes.map(shapeToCompact).join(' ')} `,
        );
      }
    }
  }
  return out;
}

/** Element strides (C order) of `shape` read as if broadcast to `target`: 0 along broadcast dimensions. */
export function broadcastStrides(shape: Shape, target: Shape): number[] {
  const strides = new Array<number>(target.length).fill(0);
  let stride = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    const k = target.length - shape.length + i;
    strides[k] = shape[i] === 1 && target[k] !== 1 ? 0 : stride;
    stride *= shape[i];
  }
  return strides;
}
