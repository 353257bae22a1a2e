/**
 * The course's dictionary_to_vector / vector_to_dictionary / gradients_to_vector, for any architecture:
 * parameters in the order W1, b1, W2, b2, ..., each flattened in C order into one column.
 */
import { NDArray } from '../tensor/ndarray.ts';
import type { Grads, Parameters } from '../engine/reference/types.ts';
import { anArray, got } from '../engine/js-terms.ts';

export interface Layout {
  /** parameter keys in vector order, e.g. ["W1", "b1", "W2", "b2"] */
  keys: string[];
  shapes: number[][];
  offsets: number[];
  size: number;
}

export function layoutOf(parameters: Parameters): Layout {
  const L = Object.keys(parameters).filter((k) => /^W\d+$/.test(k)).length;
  const keys: string[] = [];
  for (let l = 1; l <= L; l++) keys.push(`W${l}`, `b${l}`);
  for (const k of keys) if (!parameters[k]) throw new Error(`parameters has no ${k}`);
  const shapes = keys.map((k) => [...parameters[k].shape]);
  const offsets: number[] = [];
  let size = 0;
  for (const k of keys) {
    offsets.push(size);
    size += parameters[k].size;
  }
  return { keys, shapes, offsets, size };
}

export function dictionaryToVector(parameters: Parameters, layout = layoutOf(parameters)): Float64Array {
  const theta = new Float64Array(layout.size);
  layout.keys.forEach((k, i) => theta.set(parameters[k].data, layout.offsets[i]));
  return theta;
}

export function vectorToDictionary(theta: Float64Array, layout: Layout): Parameters {
  const out: Parameters = {};
  layout.keys.forEach((k, i) => {
    const n = layout.shapes[i].reduce((a, b) => a * b, 1);
    out[k] = new NDArray(theta.slice(layout.offsets[i], layout.offsets[i] + n), layout.shapes[i]);
  });
  return out;
}

/** dW1, db1, ... in the parameters' order; a missing or misshapen gradient is an error naming it. */
export function gradientsToVector(grads: Grads, layout: Layout): Float64Array {
  const g = new Float64Array(layout.size);
  layout.keys.forEach((k, i) => {
    const d = grads[`d${k}`];
    const n = layout.shapes[i].reduce((a, b) => a * b, 1);
    if (!d) throw new Error(`grads has no d${k}`);
    // a number or a tuple where an array belongs: named, not a TypeError of ours ("undefined (reading 'join')")
    if (!(d instanceof NDArray))
      throw new Error(`d${k} is ${got(d)}; the notebook's is ${anArray()} of shape (${layout.shapes[i].join(', ')})`);
    if (d.size !== n)
      throw new Error(`d${k} has shape (${d.shape.join(', ')}), ${k} has (${layout.shapes[i].join(', ')})`);
    g.set(d.data, layout.offsets[i]);
  });
  return g;
}

/** (key, row, column) of a vector index, for diagnosis. */
export function locate(index: number, layout: Layout): { key: string; row: number; col: number } {
  let i = layout.offsets.length - 1;
  while (layout.offsets[i] > index) i--;
  const within = index - layout.offsets[i];
  const cols = layout.shapes[i][1] ?? 1;
  return { key: layout.keys[i], row: Math.floor(within / cols), col: within % cols };
}

export function norm(v: Float64Array): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * v[i];
  return Math.sqrt(s);
}
