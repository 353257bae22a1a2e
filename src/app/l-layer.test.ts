/** The Application's L_layer_model on the cat data: every published cost and the accuracies. */
import { describe, it } from 'vitest';
import { hasCatData, DEFAULT_DATA_DIR } from './data.ts';
import { reproduce } from './application.shared.ts';

describe.skipIf(!hasCatData())(
  `L_layer_model [12288, 20, 7, 5, 1], 2500 iterations${hasCatData() ? '' : ` — skipped: cat data absent at ${DEFAULT_DATA_DIR}`}`,
  () => {
    it(
      'reproduces the published costs (6 decimals; NumPy to rtol 1e-9) and accuracies (train 0.985645933014, test 0.8)',
      () => reproduce('L-layer'),
      900_000,
    );
  },
);
