/**
 * `dnn-verify train --model two-layer|L-layer [--data DIR] [--iterations N] [--report-dir DIR]`: the
 * Application notebook's programs on the cat data, printing the cost every 100 iterations and the accuracies,
 * with a progress bar on a terminal and a cost-curve page in the report directory.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseOptions } from '../args.ts';
import { UsageError } from '../errors.ts';
import { DEFAULT_DATA_DIR, DataMissingError, loadCatData } from '../../app/data.ts';
import { accuracy, lLayerModel, twoLayerModel } from '../../app/models.ts';
import { trainingPage } from '../../app/plot.ts';

/** Other assignments' training programs (src/assignments/<id>/train.ts), by --model name. */
const ASSIGNMENT_MODELS: Record<
  string,
  () => Promise<{ trainCommand(v: { data?: string; iterations?: string }, dir: string): Promise<number> }>
> = {
  logistic: () => import('../../assignments/logistic/train.ts'),
  planar: async () => {
    const { runPlanarTraining } = await import('../../assignments/planar/train.ts');
    return {
      async trainCommand(v) {
        runPlanarTraining(v.iterations === undefined ? undefined : Number(v.iterations), (l) =>
          process.stdout.write(`${l}\n`),
        );
        return 0;
      },
    };
  },
};

const HELP = `usage: dnn-verify train --model two-layer|L-layer|${Object.keys(ASSIGNMENT_MODELS).join('|')} [options]

  --model M          two-layer (12288, 7, 1) or L-layer ([12288, 20, 7, 5, 1]); logistic: week 2's model
                     (2000 iterations, learning rate 0.005);
                     planar: week 3's nn_model on the flower (n_h 4, 10000 iterations, lr 1.2)
  --data DIR         directory with train_catvnoncat.h5 and test_catvnoncat.h5 (default ${DEFAULT_DATA_DIR})
  --iterations N     default 2500 (learning rate 0.0075, as the notebook); logistic: 2000
  --report-dir DIR   where train-<model>.html goes (default reports/)
`;

export async function run(argv: string[]): Promise<number> {
  const { values } = parseOptions(argv, {
    model: { type: 'string' },
    data: { type: 'string' },
    iterations: { type: 'string' },
    'report-dir': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const other = ASSIGNMENT_MODELS[values.model ?? ''];
  if (other) {
    try {
      return await (await other()).trainCommand(values, DEFAULT_DATA_DIR);
    } catch (err) {
      if (err instanceof DataMissingError || err instanceof RangeError) throw new UsageError(err.message);
      throw err;
    }
  }
  const model = values.model;
  if (model !== 'two-layer' && model !== 'L-layer')
    throw new UsageError(
      `--model must be two-layer, L-layer or ${Object.keys(ASSIGNMENT_MODELS).join(', ')}, got '${model ?? ''}'`,
    );
  const iterations = values.iterations === undefined ? 2500 : Number(values.iterations);
  if (!Number.isInteger(iterations) || iterations < 1)
    throw new UsageError(`--iterations must be a positive integer, got '${values.iterations}'`);
  let data: Awaited<ReturnType<typeof loadCatData>>;
  try {
    data = await loadCatData(values.data ?? DEFAULT_DATA_DIR);
  } catch (err) {
    if (err instanceof DataMissingError) throw new UsageError(err.message);
    throw err;
  }
  const tty = Boolean(process.stderr.isTTY) && !process.env.CI;
  const t0 = Date.now();
  const bar = (i: number) => {
    if (!tty || (i % 10 !== 0 && i !== iterations - 1)) return;
    const done = (i + 1) / iterations;
    const width = 30;
    const eta = ((Date.now() - t0) / (i + 1)) * (iterations - i - 1);
    process.stderr.write(
      `\r\x1b[K[${'#'.repeat(Math.round(done * width)).padEnd(width, '.')}] ${i + 1}/${iterations}  eta ${Math.round(eta / 1000)} s`,
    );
  };
  const options = {
    iterations,
    onCost: (i: number, cost: number) => {
      if (tty) process.stderr.write('\r\x1b[K');
      process.stdout.write(`Cost after iteration ${i}: ${cost}\n`);
    },
    onIteration: bar,
  };
  const result =
    model === 'two-layer'
      ? twoLayerModel(data.trainX, data.trainY, [12288, 7, 1], options)
      : lLayerModel(data.trainX, data.trainY, [12288, 20, 7, 5, 1], options);
  if (tty) process.stderr.write('\n');
  const train = accuracy(data.trainX, data.trainY, result.parameters);
  const test = accuracy(data.testX, data.testY, result.parameters);
  const seconds = (Date.now() - t0) / 1000;
  process.stdout.write(`Train accuracy: ${train}\nTest accuracy: ${test}\n`);
  const dir = values['report-dir'] ?? join(process.cwd(), 'reports');
  mkdirSync(dir, { recursive: true });
  const page = join(dir, `train-${model}.html`);
  writeFileSync(
    page,
    trainingPage(`dnn-verify train: ${model}`, result.costs, {
      iterations: String(iterations),
      'learning rate': '0.0075',
      'train accuracy': String(train),
      'test accuracy': String(test),
      seconds: seconds.toFixed(1),
    }),
  );
  process.stderr.write(`${seconds.toFixed(1)} s; cost curve: ${page}\n`);
  return 0;
}
