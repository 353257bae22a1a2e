import { describe, expect, it } from 'vitest';
import { MODULES, stale } from './build.ts';

describe('committed WebAssembly', () => {
  it(`each of the ${MODULES.length} .wasm files is exactly what its AssemblyScript source compiles to`, async () => {
    expect(await stale()).toEqual([]);
  }, 120_000);
});
