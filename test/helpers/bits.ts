/** Helpers for the kernels' tests: bit-for-bit comparison, and operands that exercise IEEE corner cases. */
import type { RandomState } from '../../src/random/index.ts';

/** How many elements of x and y differ in any bit (NaN payloads and the sign of zero included). */
export function bitsDiffer(x: Float64Array, y: Float64Array): number {
  if (x.length !== y.length) throw new RangeError(`bitsDiffer: lengths ${x.length} and ${y.length}`);
  const bx = new BigUint64Array(x.buffer.slice(x.byteOffset, x.byteOffset + x.byteLength));
  const by = new BigUint64Array(y.buffer.slice(y.byteOffset, y.byteOffset + y.byteLength));
  let n = 0;
  for (let i = 0; i < bx.length; i++) if (bx[i] !== by[i]) n++;
  return n;
}

/** Random normal operands with a sprinkling of exact zeros, -0, subnormals and huge values (cancellation, underflow). */
export function specialOperand(rs: RandomState, size: number): Float64Array {
  const x = rs.randn(size).data;
  const u = rs.rand(size).data;
  for (let i = 0; i < size; i++) {
    if (u[i] < 0.05) x[i] = 0;
    else if (u[i] < 0.07) x[i] = -0;
    else if (u[i] < 0.08) x[i] *= 1e-310;
    else if (u[i] < 0.09) x[i] *= 1e300;
  }
  return x;
}
