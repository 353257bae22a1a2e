/**
 * The cat / non-cat data of the Application notebook, read from its HDF5 files with h5wasm, preprocessed as the
 * notebook does: each (64, 64, 3) image flattened in C order into a column of X (12288, m), divided by 255;
 * labels reshaped to (1, m). The files are test data: never committed, read from a path.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { NDArray } from '../tensor/ndarray.ts';
import { PACKAGE_ROOT } from '../paths.ts';

export const DEFAULT_DATA_DIR = join(PACKAGE_ROOT, '..', 'shared', 'data', 'catvnoncat');

export interface CatData {
  trainX: NDArray;
  trainY: NDArray;
  testX: NDArray;
  testY: NDArray;
  classes: string[];
}

export class DataMissingError extends Error {
  override name = 'DataMissingError';
}

export function dataFiles(dir: string): { train: string; test: string } {
  return { train: join(dir, 'train_catvnoncat.h5'), test: join(dir, 'test_catvnoncat.h5') };
}

export function hasCatData(dir = DEFAULT_DATA_DIR): boolean {
  const f = dataFiles(dir);
  return existsSync(f.train) && existsSync(f.test);
}

async function readSet(path: string, xName: string, yName: string) {
  const mod = await import('h5wasm/node');
  const h5wasm = ((mod as unknown as { default?: typeof mod }).default ?? mod) as typeof mod;
  await h5wasm.ready;
  const file = new h5wasm.File(path, 'r');
  try {
    const x = file.get(xName) as unknown as { shape: number[]; value: Uint8Array };
    const y = file.get(yName) as unknown as { value: ArrayLike<bigint | number> };
    const classesDs = file.get('list_classes') as unknown as { value: unknown } | null;
    const [m, h, w, c] = x.shape;
    const n = h * w * c;
    // X[:, i] = image i flattened in C order; stored as X (n, m) row-major: X[f, i] = raw[i * n + f] / 255
    const X = new Float64Array(n * m);
    const raw = x.value;
    for (let i = 0; i < m; i++) for (let f = 0; f < n; f++) X[f * m + i] = raw[i * n + f] / 255;
    const Y = Float64Array.from(Array.from(y.value, Number));
    const classes = Array.isArray(classesDs?.value) ? (classesDs!.value as unknown[]).map(String) : [];
    return { X: new NDArray(X, [n, m]), Y: new NDArray(Y, [1, m]), classes };
  } finally {
    file.close();
  }
}

export async function loadCatData(dir = DEFAULT_DATA_DIR): Promise<CatData> {
  const f = dataFiles(dir);
  for (const p of [f.train, f.test])
    if (!existsSync(p)) throw new DataMissingError(`cat data not found: ${p} (pass --data DIR)`);
  const train = await readSet(f.train, 'train_set_x', 'train_set_y');
  const test = await readSet(f.test, 'test_set_x', 'test_set_y');
  return { trainX: train.X, trainY: train.Y, testX: test.X, testY: test.Y, classes: train.classes };
}
