/**
 * The other JavaScript engines a user could pick, for the benchmark: TensorFlow.js on its CPU backend and on its
 * WebAssembly backend (XNNPACK, SIMD; both float32 only, so not comparable in precision), and mathjs (float64,
 * nested arrays). Each can run a matrix product and one Application training iteration, written the notebook's
 * way with that engine's own operations.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { NDArray } from '../tensor/ndarray.ts';

const require = createRequire(import.meta.url);

/** The part of TensorFlow.js's API used here. */
interface Tensor {
  shape: number[];
  dataSync(): Float32Array;
  dispose(): void;
}
interface Tf {
  setBackend(name: string): Promise<boolean>;
  tensor2d(values: Float32Array, shape: [number, number]): Tensor;
  matMul(a: Tensor, b: Tensor, transposeA?: boolean, transposeB?: boolean): Tensor;
  tidy<T>(fn: () => T): T;
  add(a: Tensor, b: Tensor | number): Tensor;
  sub(a: Tensor | number, b: Tensor | number): Tensor;
  mul(a: Tensor | number, b: Tensor | number): Tensor;
  div(a: Tensor | number, b: Tensor | number): Tensor;
  neg(a: Tensor): Tensor;
  log(a: Tensor): Tensor;
  sigmoid(a: Tensor): Tensor;
  relu(a: Tensor): Tensor;
  step(a: Tensor): Tensor;
  sum(a: Tensor, axis?: number, keepDims?: boolean): Tensor;
  keep<T extends Tensor>(a: T): T;
}

export interface TfPeer {
  name: string;
  /** makes this peer's backend the active one (TensorFlow.js has one active backend at a time) */
  use(): Promise<void>;
  tf: Tf;
}

/** The TensorFlow.js backends that load here (none where the packages are absent). */
export async function tfPeers(): Promise<TfPeer[]> {
  let tf: Tf;
  try {
    tf = require('@tensorflow/tfjs-core');
    require('@tensorflow/tfjs-backend-cpu');
  } catch {
    return [];
  }
  const peers: TfPeer[] = [{ name: 'tfjs-cpu (float32)', tf, use: async () => void (await tf.setBackend('cpu')) }];
  try {
    const wasm = require('@tensorflow/tfjs-backend-wasm');
    wasm.setWasmPaths(join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm')), '/'));
    if (await tf.setBackend('wasm'))
      peers.push({ name: 'tfjs-wasm (float32)', tf, use: async () => void (await tf.setBackend('wasm')) });
  } catch {
    // the wasm backend is optional
  }
  await tf.setBackend('cpu');
  return peers;
}

export function toTensor(tf: Tf, a: NDArray): Tensor {
  return tf.tensor2d(Float32Array.from(a.data), [a.shape[0], a.shape[1]]);
}

/**
 * One iteration of the Application's training with TensorFlow.js operations: forward with caches, cost, backward
 * (no dA0, as ours), update. Returns the new parameters [W1, b1, ...] and disposes nothing it was given.
 */
export function tfIteration(tf: Tf, params: Tensor[], X: Tensor, Y: Tensor, lr = 0.0075): Tensor[] {
  return tf.tidy(() => {
    const L = params.length / 2;
    const m = X.shape[1];
    const caches: [Tensor, Tensor][] = [];
    let A = X;
    for (let l = 1; l <= L; l++) {
      const Z = tf.add(tf.matMul(params[2 * l - 2], A), params[2 * l - 1]);
      caches.push([A, Z]);
      A = l === L ? tf.sigmoid(Z) : tf.relu(Z);
    }
    const cost = tf.div(
      tf.neg(tf.add(tf.matMul(Y, tf.log(A), false, true), tf.matMul(tf.sub(1, Y), tf.log(tf.sub(1, A)), false, true))),
      m,
    );
    let dA = tf.neg(tf.sub(tf.div(Y, A), tf.div(tf.sub(1, Y), tf.sub(1, A))));
    const next: Tensor[] = [];
    for (let l = L; l >= 1; l--) {
      const [Ap, Z] = caches[l - 1];
      const s = l === L ? tf.sigmoid(Z) : undefined;
      const dZ = s ? tf.mul(dA, tf.mul(s, tf.sub(1, s))) : tf.mul(dA, tf.step(Z));
      const dW = tf.div(tf.matMul(dZ, Ap, false, true), m);
      const db = tf.div(tf.sum(dZ, 1, true), m);
      if (l > 1) dA = tf.matMul(params[2 * l - 2], dZ, true, false);
      next[2 * l - 2] = tf.keep(tf.sub(params[2 * l - 2], tf.mul(lr, dW)));
      next[2 * l - 1] = tf.keep(tf.sub(params[2 * l - 1], tf.mul(lr, db)));
    }
    cost.dataSync();
    for (const p of next) p.dataSync();
    return next;
  });
}

type Math = typeof import('mathjs');
type Matrix = import('mathjs').Matrix;

/** The same iteration with mathjs matrices (float64). */
export function mathjsIteration(math: Math, params: Matrix[], X: Matrix, Y: Matrix, lr = 0.0075): Matrix[] {
  const L = params.length / 2;
  const m = X.size()[1];
  const caches: [Matrix, Matrix][] = [];
  const bcast = (Z: Matrix, b: Matrix) => math.add(Z, math.multiply(b, math.ones(1, Z.size()[1]) as Matrix)) as Matrix;
  let A = X;
  for (let l = 1; l <= L; l++) {
    const Z = bcast(math.multiply(params[2 * l - 2], A) as Matrix, params[2 * l - 1]);
    caches.push([A, Z]);
    A = math.map(Z, (z: number) => (l === L ? 1 / (1 + Math.exp(-z)) : Math.max(0, z)));
  }
  let cost = 0;
  math.forEach(A, (a: number, idx: number[]) => {
    const y = Y.get(idx) as number;
    cost -= (y * Math.log(a) + (1 - y) * Math.log(1 - a)) / m;
  });
  void cost;
  let dA = math.map(A, (a: number, idx: number[]) => {
    const y = Y.get(idx) as number;
    return -(y / a - (1 - y) / (1 - a));
  });
  const next: Matrix[] = [];
  for (let l = L; l >= 1; l--) {
    const [Ap, Z] = caches[l - 1];
    const dZ = math.map(dA, (d: number, idx: number[]) => {
      const z = Z.get(idx) as number;
      if (l === L) {
        const s = 1 / (1 + Math.exp(-z));
        return d * s * (1 - s);
      }
      return z <= 0 ? 0 : d;
    });
    const dW = math.multiply(math.multiply(dZ, math.transpose(Ap)), 1 / m) as Matrix;
    const db = math.multiply(math.multiply(dZ, math.ones(m, 1) as Matrix), 1 / m) as Matrix;
    if (l > 1) dA = math.multiply(math.transpose(params[2 * l - 2]), dZ) as Matrix;
    next[2 * l - 2] = math.subtract(params[2 * l - 2], math.multiply(dW, lr)) as Matrix;
    next[2 * l - 1] = math.subtract(params[2 * l - 1], math.multiply(db, lr)) as Matrix;
  }
  return next;
}
