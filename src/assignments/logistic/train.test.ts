/**
 * Week 2's model on the cat data: every cost the notebook printed (every 100 iterations, "%f") and the published
 * accuracies (99.04306220095694 % / 70.0 %), text for text. The figures' sources are named in train.ts.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_DATA_DIR, hasCatData, loadCatData } from '../../app/data.ts';
import { PUBLISHED_LOGISTIC, trainLogistic } from './train.ts';

const DIR = process.env.DNN_VERIFY_CAT_DATA ?? DEFAULT_DATA_DIR;

describe.skipIf(!hasCatData(DIR))(
  `week 2's model, 2000 iterations, learning rate 0.005${hasCatData(DIR) ? '' : ` — skipped: cat data absent at ${DIR} (set DNN_VERIFY_CAT_DATA)`}`,
  () => {
    it('prints the published costs and accuracies', async () => {
      const run = trainLogistic(await loadCatData(DIR));
      expect(run.lines).toEqual([
        ...PUBLISHED_LOGISTIC.costs.map((c, i) => `Cost after iteration ${i * 100}: ${c}`),
        `train accuracy: ${PUBLISHED_LOGISTIC.trainAccuracy} %`,
        `test accuracy: ${PUBLISHED_LOGISTIC.testAccuracy} %`,
      ]);
      expect(run.costs).toHaveLength(20);
    }, 900_000);
  },
);
