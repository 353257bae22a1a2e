import { describe, expect, it } from 'vitest';
import { NDArray } from '../tensor/ndarray.ts';
import { beyondBound, gamma, lowest, precisionOf, roundingBound, unitRoundoff } from './precision.ts';
import { decodeValue, encodeValue } from '../protocol/codec.ts';
import { compareOutput } from '../packs/compare.ts';
import { runFlags } from '../cli/run-flags.ts';
import { inProcessEngine } from '../adapters/in-process.ts';
import { ReferenceEngine } from '../engine/reference-engine.ts';
import { probeDtypes, runPrecision } from '../run/precision.ts';

describe('precision', () => {
  it('unit roundoffs and gamma_n are the textbook values', () => {
    expect(unitRoundoff('float64')).toBe(Number.EPSILON / 2);
    expect(unitRoundoff('float32')).toBe(1 / 16777216); // 2^-24
    // gamma_n = n u / (1 - n u), written out for n = 10 at float32
    expect(gamma(10, 'float32')).toBeCloseTo(10 / 16777216 / (1 - 10 / 16777216), 20);
    expect(gamma(2 ** 24, 'float32')).toBe(Infinity);
    expect(roundingBound('float32', 4, 2)).toBeCloseTo(2 * gamma(4, 'float32') + 4 * 2 ** -150, 20);
    expect(beyondBound('float32', 3.1e-5, 1.2e-6)).toBe(
      "differs by 3.1e-5, beyond float32's bound 1.2e-6 for this computation",
    );
  });

  it('a Float32Array makes a float32 array; tuples and dicts take their lowest precision', () => {
    const a32 = new NDArray(Float32Array.of(0.1, 0.2), [2]);
    expect(a32.dtype).toBe('float32');
    expect(a32.data[0]).toBe(Math.fround(0.1));
    const a64 = NDArray.from([0.1, 0.2]);
    expect(a64.dtype).toBe('float64');
    expect(precisionOf([a64, { x: a32 }])).toBe('float32');
    expect(precisionOf([a64, 3])).toBe('float64');
    expect(precisionOf(3)).toBeUndefined();
    expect(lowest('float64', 'float32')).toBe('float32');
  });

  it("int64 arrays are not a precision: precisionOf skips them, and so does the run's dtype probe", async () => {
    const y = NDArray.from([[1, 0, 1]], 'int64');
    const a32 = new NDArray(Float32Array.of(0.5), [1]);
    expect(precisionOf(y)).toBeUndefined();
    expect(precisionOf([y, { n: 3 }])).toBeUndefined();
    expect(precisionOf([y, a32])).toBe('float32');
    expect(precisionOf({ y, a: NDArray.from([0.5]) })).toBe('float64');
    // sigmoid answers with integers only, relu with integers beside a float32 array: sigmoid says nothing
    const engine = inProcessEngine({
      sigmoid: () => y,
      relu: () => [y, a32],
      linear_forward: () => [y, y],
    });
    const ref = new ReferenceEngine();
    const fns = new Set(['sigmoid', 'relu', 'linear_forward']);
    expect(await probeDtypes(engine, ref, fns)).toEqual({ relu: 'float32' });
    const onlyInts = await runPrecision(inProcessEngine({ sigmoid: () => y }), ref, new Set(['sigmoid']));
    expect([onlyInts.precision, onlyInts.functions]).toEqual(['float64', {}]);
  });

  it('a float32 array crosses the protocol as float32 bytes and keeps its dtype; float64 stays float64', () => {
    const a32 = new NDArray(Float32Array.of(1.5, -0.1, Number.NaN), [3, 1]);
    const wire = encodeValue(a32) as { __ndarray__: { dtype: string; data: string } };
    expect(wire.__ndarray__.dtype).toBe('float32');
    expect(Buffer.from(wire.__ndarray__.data, 'base64').length).toBe(12);
    const back = decodeValue(wire) as NDArray;
    expect(back.dtype).toBe('float32');
    expect([...back.data]).toEqual([1.5, Math.fround(-0.1), Number.NaN]);
    // a float64 array tagged float32 whose values are not float32s is sent losslessly, as float64
    const lying = new NDArray(Float64Array.of(0.1), [1], 'float32');
    expect((encodeValue(lying) as { __ndarray__: { dtype: string } }).__ndarray__.dtype).toBe('float64');
    expect((decodeValue(encodeValue(NDArray.from([0.1]))) as NDArray).dtype).toBe('float64');
  });

  it('fixture values: the printed-digit rule holds, and below float64 the rounding bound is allowed beside it', () => {
    const out = { select: [], expected: '[[3.26295337]]', format: 'str' as const };
    // linear_forward's Z[0, 0] of the notebook's case computed in float32: 3.9e-7 from the print
    const v = new NDArray(Float64Array.of(3.262953758239746), [1, 1], 'float32');
    expect(Math.fround(v.data[0])).toBe(v.data[0]);
    const strict = compareOutput(v, out as never, 'Z');
    expect(strict.ok).toBe(false);
    expect(strict.reason).toContain('float32 values, held to float64');
    expect(compareOutput(v, out as never, 'Z', { precision: 'float32', bound: 1e-6 }).ok).toBe(true);
    const beyond = compareOutput(v, out as never, 'Z', { precision: 'float32', bound: 1e-8 });
    expect(beyond.ok).toBe(false);
    expect(beyond.reason).toMatch(/differs by 3\.8e-7, beyond float32's bound 1\.0e-8 for this computation/);
  });

  it('--precision takes float64 or float32', () => {
    expect(runFlags({ precision: 'float32' }).settings.precision).toBe('float32');
    expect(runFlags({}).settings.precision).toBeUndefined();
    expect(() => runFlags({ precision: 'half' })).toThrow(/--precision must be float64 or float32, got 'half'/);
  });
});
