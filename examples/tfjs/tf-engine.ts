/**
 * The Step-by-Step notebook's functions on TensorFlow.js: the forward pieces and the cost are tf ops, and every
 * backward function is tf's autodiff (tf.grads of the forward pieces and of the cost), assembled by dnn-verify's
 * autodiffEngine with the notebook's scaling. TensorFlow.js computes in float32 on its CPU and wasm backends: the
 * NDArrays it returns hold float32 values.
 *
 * In your own project the two imports from ../../src are `import { autodiffEngine } from 'dnn-verify'` and
 * `import { NDArray } from 'dnn-verify/tensor'`.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
// tfjs-core's Node build registers no gradient functions (tf.grad throws "gradient function not found for Sum"):
// the union package registers them all, on the same tfjs-core
import '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { type AutodiffOps, autodiffEngine } from '../../src/engine/autodiff.ts';
import type { Grads, Parameters, StepByStepEngine } from '../../src/engine/notebook-types.ts';
import { NDArray } from '../../src/tensor/ndarray.ts';

export type Backend = 'cpu' | 'wasm';

/** Makes `backend` tf's active backend (one per process); the wasm backend loads the .wasm its package ships. */
export async function useBackend(backend: Backend): Promise<void> {
  // PROD: no "install tfjs-node" banner on the engine's stderr
  tf.env().set('PROD', true);
  if (backend === 'wasm') {
    const require = createRequire(import.meta.url);
    setWasmPaths(join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm')), '/'));
  }
  if (!(await tf.setBackend(backend))) throw new Error(`TensorFlow.js: the ${backend} backend did not start`);
}

/** Bugs planted on purpose, to show the suite catches an autodiff engine's mistakes against the right function. */
export type PlantedBug =
  /** a hand-written gradient for sigmoid that forgot the (1 - s): dZ = dA·s */
  | 'sigmoid-gradient'
  /** dW and db left without the notebook's 1/m */
  | 'no-1/m';

const sigmoidWithWrongGradient = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [x, save] = args as [tf.Tensor, tf.GradSaveFunc];
  const s = tf.sigmoid(x);
  save([s]);
  return { value: s, gradFunc: (dy, [saved]) => tf.mul(dy, saved) };
}) as (x: tf.Tensor) => tf.Tensor;

export function tfOps(bug?: PlantedBug): AutodiffOps<tf.Tensor> {
  return {
    tensor: (a) => tf.tensor(Float32Array.from(a.data), [...a.shape], 'float32'),
    // a Float32Array tags the values float32, which the float32 checks need (a float64 subnormal parameter is 0
    // in float32)
    array: (t) => new NDArray(t.dataSync() as Float32Array, [...t.shape]),
    linear: (A, W, b) => tf.add(tf.matMul(W, A), b),
    relu: (Z) => tf.relu(Z),
    sigmoid: bug === 'sigmoid-gradient' ? sigmoidWithWrongGradient : (Z) => tf.sigmoid(Z),
    cost: (AL, Y) => {
      const logprobs = tf.add(tf.mul(Y, tf.log(AL)), tf.mul(tf.sub(1, Y), tf.log(tf.sub(1, AL))));
      return tf.mul(-1 / AL.shape[1]!, tf.sum(logprobs));
    },
    scale: (t, k) => (bug === 'no-1/m' && k < 1 ? t : tf.mul(t, k)),
    vjp: (f, xs, dy) => tf.grads((...args: tf.Tensor[]) => f(...args))(xs, dy),
    scope: (fn) => {
      let out: ReturnType<typeof fn> | undefined;
      tf.tidy(() => {
        out = fn(); // NDArrays only: every tensor made here is freed
      });
      return out as ReturnType<typeof fn>;
    },
  };
}

/** The notebook's functions on tf (all but the initialisers, whose values are NumPy's seeded stream). */
export function tfEngine(bug?: PlantedBug) {
  const ops = tfOps(bug);
  const update_parameters = (parameters: Parameters, grads: Grads, learning_rate: number): Parameters => {
    const out: Parameters = {};
    for (const [k, p] of Object.entries(parameters))
      out[k] = ops.scope!(() => ops.array(tf.sub(ops.tensor(p), tf.mul(learning_rate, ops.tensor(grads[`d${k}`])))));
    return out;
  };
  return { ...autodiffEngine(ops), update_parameters } satisfies Partial<StepByStepEngine>;
}

/** The notebook functions this engine defines: the checks of the others (the initialisers) are not run. */
export const FUNCTIONS = [
  'linear_forward',
  'sigmoid',
  'relu',
  'linear_activation_forward',
  'L_model_forward',
  'compute_cost',
  'linear_backward',
  'sigmoid_backward',
  'relu_backward',
  'linear_activation_backward',
  'L_model_backward',
  'update_parameters',
] as const;
