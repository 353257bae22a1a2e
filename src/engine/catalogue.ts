/**
 * The notebook functions, by their notebook names, with their parameters in notebook order.
 * Adapters, the protocol, the CLI's --map/--functions options and the reports all name functions from here.
 *
 * Return conventions follow the notebooks (tuples are arrays):
 *   linear_forward(A, W, b) -> [Z, [A, W, b]]
 *   sigmoid(Z) / relu(Z) -> [A, Z]
 *   linear_activation_forward(A_prev, W, b, activation) -> [A, [[A_prev, W, b], Z]]
 *   L_model_forward(X, parameters) -> [AL, caches]   (caches: one [[A_prev, W, b], Z] per layer)
 *   compute_cost(AL, Y) -> number
 *   linear_backward(dZ, [A_prev, W, b]) -> [dA_prev, dW, db]
 *   sigmoid_backward(dA, Z) / relu_backward(dA, Z) -> dZ
 *   linear_activation_backward(dA, [[A_prev, W, b], Z], activation) -> [dA_prev, dW, db]
 *   L_model_backward(AL, Y, caches) -> grads {dA.., dW1, db1, ...}
 *   update_parameters(parameters, grads, learning_rate) -> parameters
 */
export type FunctionGroup = 'step-by-step' | 'application' | 'logistic' | 'shallow' | 'softmax';

export interface FunctionSpec {
  readonly name: string;
  readonly params: readonly string[];
  readonly group: FunctionGroup;
  /** Functions every step-by-step implementation must define; the rest are detected and reported. */
  readonly required: boolean;
}

const spec = (name: string, params: string[], group: FunctionGroup, required = false): FunctionSpec => ({
  name,
  params,
  group,
  required,
});

export const CATALOGUE: readonly FunctionSpec[] = [
  spec('initialize_parameters', ['n_x', 'n_h', 'n_y'], 'step-by-step', true),
  spec('initialize_parameters_deep', ['layer_dims'], 'step-by-step', true),
  spec('linear_forward', ['A', 'W', 'b'], 'step-by-step', true),
  spec('sigmoid', ['Z'], 'step-by-step'),
  spec('relu', ['Z'], 'step-by-step'),
  spec('linear_activation_forward', ['A_prev', 'W', 'b', 'activation'], 'step-by-step', true),
  spec('L_model_forward', ['X', 'parameters'], 'step-by-step', true),
  spec('compute_cost', ['AL', 'Y'], 'step-by-step', true),
  spec('linear_backward', ['dZ', 'cache'], 'step-by-step', true),
  spec('sigmoid_backward', ['dA', 'cache'], 'step-by-step'),
  spec('relu_backward', ['dA', 'cache'], 'step-by-step'),
  spec('linear_activation_backward', ['dA', 'cache', 'activation'], 'step-by-step', true),
  spec('L_model_backward', ['AL', 'Y', 'caches'], 'step-by-step', true),
  spec('update_parameters', ['parameters', 'grads', 'learning_rate'], 'step-by-step', true),
  spec('predict', ['X', 'y', 'parameters'], 'application'),
  spec('two_layer_model', ['X', 'Y', 'layers_dims', 'learning_rate', 'num_iterations', 'print_cost'], 'application'),
  spec('L_layer_model', ['X', 'Y', 'layers_dims', 'learning_rate', 'num_iterations', 'print_cost'], 'application'),
  // Chinese seed (003): logistic regression
  spec('propagate', ['w', 'b', 'X', 'Y'], 'logistic'),
  spec('optimize', ['w', 'b', 'X', 'Y', 'num_iterations', 'learning_rate', 'print_cost'], 'logistic'),
  spec('predict_logistic', ['w', 'b', 'X'], 'logistic'),
  // Chinese seed (003): shallow tanh network
  spec('forward_propagation', ['X', 'parameters'], 'shallow'),
  spec('backward_propagation', ['parameters', 'cache', 'X', 'Y'], 'shallow'),
  // Chinese seed (003): softmax
  spec('softmax', ['z'], 'softmax'),
  spec('stable_softmax', ['z'], 'softmax'),
  spec('cross_entropy', ['Z', 'y'], 'softmax'),
  spec('cross_entropy_one_hot', ['Z', 'Y'], 'softmax'),
  spec('delta_cross_entropy', ['Z', 'y'], 'softmax'),
  spec('delta_cross_entropy_one_hot', ['Z', 'Y'], 'softmax'),
];

export const FUNCTION_NAMES: readonly string[] = CATALOGUE.map((f) => f.name);

export function functionSpec(name: string): FunctionSpec | undefined {
  return CATALOGUE.find((f) => f.name === name);
}

/**
 * Which notebook functions each one calls in the notebook's own code (dnn_utils' sigmoid/relu and their
 * backward steps included): a bug in a callee shows in its callers too. The report leads with the callee.
 */
export const CALLS: Readonly<Record<string, readonly string[]>> = {
  linear_activation_forward: ['linear_forward', 'sigmoid', 'relu'],
  L_model_forward: ['linear_activation_forward'],
  linear_activation_backward: ['linear_backward', 'sigmoid_backward', 'relu_backward'],
  L_model_backward: ['linear_activation_backward'],
  two_layer_model: [
    'initialize_parameters',
    'linear_activation_forward',
    'compute_cost',
    'linear_activation_backward',
    'update_parameters',
  ],
  L_layer_model: [
    'initialize_parameters_deep',
    'L_model_forward',
    'compute_cost',
    'L_model_backward',
    'update_parameters',
  ],
  predict: ['L_model_forward'],
};

/** Every function `name` calls, directly or through others. */
export function calleesOf(name: string): Set<string> {
  const out = new Set<string>();
  const visit = (f: string) => {
    for (const g of CALLS[f] ?? []) {
      if (out.has(g)) continue;
      out.add(g);
      visit(g);
    }
  };
  visit(name);
  return out;
}

/** Every function that calls `name`, directly or through others: where a bug in `name` legitimately shows too. */
export function callersOf(name: string): Set<string> {
  return new Set(Object.keys(CALLS).filter((f) => calleesOf(f).has(name)));
}
