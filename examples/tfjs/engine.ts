/**
 * The TensorFlow.js engine on its CPU backend, as a module of notebook functions:
 *   dnn-verify check --module examples/tfjs/engine.ts --functions linear_forward,... (README.md)
 * DNN_VERIFY_TFJS_BUG=sigmoid-gradient or no-1/m plants a bug (tf-engine.ts), to see it caught.
 */
import { type PlantedBug, tfEngine, useBackend } from './tf-engine.ts';

await useBackend('cpu');

export const {
  linear_forward,
  sigmoid,
  relu,
  linear_activation_forward,
  L_model_forward,
  compute_cost,
  linear_backward,
  sigmoid_backward,
  relu_backward,
  linear_activation_backward,
  L_model_backward,
  update_parameters,
} = tfEngine((process.env.DNN_VERIFY_TFJS_BUG as PlantedBug | undefined) || undefined);
