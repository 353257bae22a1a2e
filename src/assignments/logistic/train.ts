/**
 * Week 2's training program: the notebook's `model` on the cat data (d = model(train_set_x, train_set_y,
 * test_set_x, test_set_y, num_iterations = 2000, learning_rate = 0.005, print_cost = True)), its cost every 100
 * iterations and its accuracies printed as the notebook prints them, and the figures the course published.
 */
import type { NDArray } from '../../tensor/ndarray.ts';
import { formatPythonFloat } from '../../tensor/format.ts';
import type { CatData } from '../../app/data.ts';
import { optimize, predict, initializeWithZeros } from './reference.ts';

/**
 * What the course published for this run.
 * - Cost after iteration 0, train and test accuracy: the Expected Output table of the v6a notebook (cell 43; the
 *   same table in v3 cell 42, v4, v5, v6), as in github.com/4ringutan/Neural-network-and-deep-learning@e24b3cba,
 *   Logistic_Regression_with_a_Neural_Network_mindset_v6a.ipynb.
 * - The 20 costs (6 decimals, "%f"): the saved output of the notebook's model cell in that copy (cell 42), identical
 *   in 25 copies of the corpus across v3, v4, v5, v6, v6a and W2A2.
 */
export const PUBLISHED_LOGISTIC = {
  iterations: 2000,
  learningRate: 0.005,
  costs: [
    '0.693147',
    '0.584508',
    '0.466949',
    '0.376007',
    '0.331463',
    '0.303273',
    '0.279880',
    '0.260042',
    '0.242941',
    '0.228004',
    '0.214820',
    '0.203078',
    '0.192544',
    '0.183033',
    '0.174399',
    '0.166521',
    '0.159305',
    '0.152667',
    '0.146542',
    '0.140872',
  ],
  trainAccuracy: '99.04306220095694',
  testAccuracy: '70.0',
} as const;

/** 100 - np.mean(np.abs(Y_prediction - Y)) * 100, as the notebook computes it */
export function accuracyPercent(prediction: NDArray, Y: NDArray): number {
  let wrong = 0;
  for (let i = 0; i < Y.size; i++) wrong += Math.abs(prediction.data[i] - Y.data[i]);
  return 100 - (wrong / Y.size) * 100;
}

export interface LogisticRun {
  costs: number[];
  trainAccuracy: number;
  testAccuracy: number;
  /** the notebook's print lines: "Cost after iteration i: %f", "train accuracy: ... %", "test accuracy: ... %" */
  lines: string[];
}

/** The notebook's model on the cat data; `onLine` receives each print as it happens. */
export function trainLogistic(
  data: CatData,
  options: { iterations?: number; learningRate?: number; onLine?: (line: string) => void } = {},
): LogisticRun {
  const iterations = options.iterations ?? PUBLISHED_LOGISTIC.iterations;
  const rate = options.learningRate ?? PUBLISHED_LOGISTIC.learningRate;
  const lines: string[] = [];
  const say = (l: string) => {
    lines.push(l);
    options.onLine?.(l);
  };
  const [w0, b0] = initializeWithZeros(data.trainX.shape[0]);
  const { params, costs } = optimize(w0, b0, data.trainX, data.trainY, iterations, rate, (i, cost) =>
    say(`Cost after iteration ${i}: ${cost.toFixed(6)}`),
  );
  const trainAccuracy = accuracyPercent(predict(params.w, params.b, data.trainX), data.trainY);
  const testAccuracy = accuracyPercent(predict(params.w, params.b, data.testX), data.testY);
  say(`train accuracy: ${formatPythonFloat(trainAccuracy)} %`);
  say(`test accuracy: ${formatPythonFloat(testAccuracy)} %`);
  return { costs, trainAccuracy, testAccuracy, lines };
}

/** `dnn-verify train --model logistic [--data DIR] [--iterations N]`: prints what the notebook prints. */
export async function trainCommand(values: { data?: string; iterations?: string }, dataDir: string): Promise<number> {
  const { loadCatData } = await import('../../app/data.ts');
  const iterations = values.iterations === undefined ? PUBLISHED_LOGISTIC.iterations : Number(values.iterations);
  if (!Number.isInteger(iterations) || iterations < 1)
    throw new RangeError(`--iterations must be a positive integer, got '${values.iterations}'`);
  const data = await loadCatData(values.data ?? dataDir);
  const t0 = Date.now();
  trainLogistic(data, { iterations, onLine: (l) => process.stdout.write(`${l}\n`) });
  process.stderr.write(
    `${((Date.now() - t0) / 1000).toFixed(1)} s (learning rate ${PUBLISHED_LOGISTIC.learningRate}, as the notebook)\n`,
  );
  return 0;
}
