/**
 * Week 2's model on the cat data: every cost the notebook printed (every 100 iterations, "%f") and the published
 * accuracies (99.04306220095694 % / 70.0 %), text for text. The figures' sources are named in train.ts.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { DEFAULT_DATA_DIR, hasCatData, loadCatData } from '../../app/data.ts';
import { PUBLISHED_LOGISTIC, trainLogistic } from './train.ts';

const DIR = process.env.DNN_VERIFY_CAT_DATA ?? DEFAULT_DATA_DIR;
const ROOT = join(import.meta.dirname, '..', '..', '..');
const train = (args: string[]) => {
  const r = spawnSync(
    process.execPath,
    ['--import', import.meta.resolve('tsx'), join(ROOT, 'src', 'cli', 'bin.ts'), 'train', ...args],
    {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 120_000,
    },
  );
  return { code: r.status, out: r.stdout, err: r.stderr };
};

describe('dnn-verify train --model logistic', () => {
  it('without the cat data: a usage error naming the missing file (exit 2)', () => {
    const r = train(['--model', 'logistic', '--data', join(ROOT, 'no-such-folder')]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('cat data not found');
  });
  it.skipIf(!hasCatData(DIR))('one iteration prints the first published cost and the two accuracies', () => {
    const r = train(['--model', 'logistic', '--data', DIR, '--iterations', '1']);
    expect(r.code).toBe(0);
    expect(r.out.split('\n').slice(0, 3)).toEqual([
      `Cost after iteration 0: ${PUBLISHED_LOGISTIC.costs[0]}`,
      expect.stringMatching(/^train accuracy: [\d.]+ %$/),
      expect.stringMatching(/^test accuracy: [\d.]+ %$/),
    ]);
  });
});

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
