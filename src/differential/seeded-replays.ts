/** The differential checks' Python replays from their seeds (moved beside the generators they twin). */
/**
 * The differential checks' inputs as NumPy draws them: each generator of differential.ts drew its inputs from
 * RandomState(seed), which is NumPy's legacy stream bit for bit, so `np.random.seed(seed)` and the same calls in
 * the same order give the very same arrays, in a few lines instead of every number spelt as float.fromhex. Keyed
 * by the check's label. L_model_backward's caches come from a forward pass (the reference's, in the check): its
 * replay runs the notebook's L_model_forward on the seeded X and parameters, which gives the same caches when the
 * student's forward pass is right (its own checks say so). Tested against the literal replays with NumPy
 * (seeded-replay.test.ts).
 */
const SIZE = 'n, k, m = 1 + np.random.randint(0, 6), 1 + np.random.randint(0, 6), 1 + np.random.randint(0, 8)';
const DIMS = [
  'depth = 1 + np.random.randint(0, 4)',
  'layer_dims = [1 + np.random.randint(0, 8) for _ in range(depth)] + [1]',
];
const PARAMS = [
  'parameters = {}',
  'for l in range(1, len(layer_dims)):',
  "    parameters['W' + str(l)] = np.random.randn(layer_dims[l], layer_dims[l - 1]) * (1 / np.sqrt(layer_dims[l - 1]))",
  "    parameters['b' + str(l)] = np.random.randn(layer_dims[l], 1) * 0.1",
];
const LINEAR_CACHE = '(np.random.randn(k, m), np.random.randn(n, k), np.random.randn(n, 1))';
const activationBackward = (act: string) => [
  SIZE,
  'dA = np.random.randn(n, m)',
  `cache = (${LINEAR_CACHE}, np.random.randn(n, m))`,
  `activation = '${act}'`,
];
const activationForward = (act: string) => [
  SIZE,
  'A_prev = np.random.randn(k, m)',
  'W = np.random.randn(n, k)',
  'b = np.random.randn(n, 1)',
  `activation = '${act}'`,
];

const SEEDED: Record<string, string[]> = {
  linear_forward: [SIZE, 'A = np.random.randn(k, m)', 'W = np.random.randn(n, k)', 'b = np.random.randn(n, 1)'],
  'linear_activation_forward/sigmoid': activationForward('sigmoid'),
  'linear_activation_forward/relu': activationForward('relu'),
  L_model_forward: [...DIMS, 'm = 1 + np.random.randint(0, 8)', 'X = np.random.randn(layer_dims[0], m)', ...PARAMS],
  compute_cost: [
    'm = 1 + np.random.randint(0, 16)',
    'AL = (0.05 + 0.9 * np.random.rand(m)).reshape(1, m)',
    'Y = (np.random.rand(m) < 0.5).astype(float).reshape(1, m)',
  ],
  linear_backward: [SIZE, 'dZ = np.random.randn(n, m)', `cache = ${LINEAR_CACHE}`],
  'linear_activation_backward/sigmoid': activationBackward('sigmoid'),
  'linear_activation_backward/relu': activationBackward('relu'),
  sigmoid: [SIZE, 'Z = np.random.randn(n, m) * 3'],
  relu: [SIZE, 'Z = np.random.randn(n, m)'],
  sigmoid_backward: [SIZE, 'dA = np.random.randn(n, m)', 'cache = np.random.randn(n, m) * 3'],
  relu_backward: [SIZE, 'dA = np.random.randn(n, m)', 'cache = np.random.randn(n, m)'],
  update_parameters: [
    ...DIMS,
    ...PARAMS,
    "grads = {'d' + key: np.random.randn(*value.shape) for key, value in parameters.items()}",
    'learning_rate = 0.01 + np.random.rand(1)[0]',
  ],
  initialize_parameters: [
    'n_x, n_h, n_y = 1 + np.random.randint(0, 6), 1 + np.random.randint(0, 6), 1 + np.random.randint(0, 3)',
  ],
  initialize_parameters_deep: DIMS,
  L_model_backward: [
    ...DIMS,
    'm = 1 + np.random.randint(0, 8)',
    'X = np.random.randn(layer_dims[0], m)',
    ...PARAMS,
    'AL, caches = L_model_forward(X, parameters)  # the caches of a right forward pass: your L_model_forward, if it passes',
    'Y = (np.random.rand(m) < 0.5).astype(float).reshape(1, m)',
  ],
};

/** A differential case's Python replay from its seed, or undefined where its inputs are not all drawn from it. */
export function seededReplay(label: string, seed: number, call: string): string | undefined {
  const lines = SEEDED[label];
  if (!lines) return undefined;
  return [
    'import numpy as np',
    `np.random.seed(${seed})  # the inputs, drawn as dnn-verify drew them (NumPy's stream, bit for bit)`,
    ...lines,
    call,
  ].join('\n');
}
