/** The Application's two_layer_model on the cat data: every published cost (rtol 1e-9) and the accuracies. */
import { describe, it } from 'vitest';
import { hasCatData, DEFAULT_DATA_DIR } from './data.ts';
import { reproduce } from './application.shared.ts';

describe.skipIf(!hasCatData())(
  `two_layer_model (12288, 7, 1), 2500 iterations${hasCatData() ? '' : ` — skipped: cat data absent at ${DEFAULT_DATA_DIR}`}`,
  () => {
    it('reproduces the published costs and accuracies (train 1.0, test 0.72)', () => reproduce('two-layer'), 900_000);
  },
);
