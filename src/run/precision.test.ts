/**
 * Precision end to end: the engine (the reference with linear_forward alone in float32) passes at its
 * detected precision and gets a precision-aware message when held to float64; planted derivative bugs in a float32
 * engine are still caught against their function. The Python side carries float32 both ways.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pythonEngine, verifyEngine } from '../index.ts';
import { float32Engine } from '../../fixtures/engines/js/float32/engine.ts';
import { hasNumpy, numpySkipReason, runPython } from '../../test/oracle/numpy.ts';
import { decodeValue, encodeValue, type Wire } from '../protocol/codec.ts';
import { NDArray } from '../tensor/ndarray.ts';

const run = (engine: Record<string, unknown>, precision?: 'float64' | 'float32', log?: (l: string) => void) =>
  verifyEngine(engine, { runs: 20, precision, log });

describe('precision', () => {
  it('the reference with linear_forward alone in float32 passes at its detected precision, reported per function', async () => {
    const lines: string[] = [];
    const report = await run(float32Engine({ only: ['linear_forward'] }), undefined, (l) => lines.push(l));
    expect(report.verdict).toBe('pass');
    const p = report.detected.precision as { precision: string; source: string; functions: Record<string, string> };
    expect(p.precision).toBe('float32');
    expect(p.source).toBe('detected');
    expect(p.functions.linear_forward).toBe('float32');
    expect(p.functions.L_model_forward).toBe('float64');
    expect(lines).toContain('precision float32 (detected; linear_forward returns float32)');
  });

  it('held to float64, it fails on linear_forward with a message that names float32, not "x where the notebook expects x"', async () => {
    const report = await run(float32Engine({ only: ['linear_forward'] }), 'float64');
    expect(report.verdict).toBe('fail');
    expect((report.detected.precision as { source: string }).source).toBe('given');
    const causes = report.rootCauses ?? [];
    expect(causes.map((c) => c.function)).toEqual(['linear_forward']);
    const headline = causes[0].headline;
    expect(headline).toContain('float32');
    // the two numbers of the headline are printed with the digits that tell them apart
    const m = /= (-?[\d.e-]+) where the notebook expects (-?[\d.e-]+)/.exec(headline);
    expect(m).not.toBeNull();
    expect(m![1]).not.toBe(m![2]);
    const failing = report.checks.filter((c) => c.status === 'fail');
    expect(failing.every((c) => c.function === 'linear_forward')).toBe(true);
    expect(failing.find((c) => c.kind === 'differential')?.message).toContain('float32');
  });

  it('a wrong relu derivative in a float32 engine is caught against relu_backward, with float32 named', async () => {
    const report = await run(float32Engine({ bugs: ['relu-backward-leaky'] }));
    expect((report.detected.precision as { precision: string }).precision).toBe('float32');
    expect(report.verdict).toBe('fail');
    expect(report.rootCauses?.[0]?.function).toBe('relu_backward');
    const diff = report.checks.find((c) => c.id === 'differential/relu_backward');
    expect(diff?.status).toBe('fail');
    expect(diff?.message).toMatch(/beyond float32's bound .* for this computation/);
  });

  it('a missing 1/m in a float32 engine is caught against linear_backward', async () => {
    const report = await run(float32Engine({ bugs: ['dW-missing-1/m'] }));
    expect(report.verdict).toBe('fail');
    expect(report.rootCauses?.[0]?.function).toBe('linear_backward');
    expect(report.rootCauses?.[0]?.headline).toMatch(/1\/m/);
    // and the float32 gradient check blames the backward pass too
    expect(report.checks.some((c) => c.kind === 'gradcheck' && c.status === 'fail')).toBe(true);
  });

  it('a correct float32 engine passes every family at float32', async () => {
    const report = await run(float32Engine());
    expect(report.checks.filter((c) => c.status === 'fail' || c.status === 'error').map((c) => c.id)).toEqual([]);
    expect(report.verdict).toBe('pass');
  });

  it.skipIf(!hasNumpy())(
    `the Python protocol sends float32 arrays as float32 and takes them back as float32 ${numpySkipReason()}`,
    () => {
      const dir = join(import.meta.dirname, '..', 'adapters', 'python');
      const sent = encodeValue(new NDArray(Float32Array.of(0.1, 2.5), [2, 1]));
      const out = runPython(
        [
          'import sys, json',
          `sys.path.insert(0, ${JSON.stringify(dir)})`,
          'import numpy as np, protocol',
          'back = protocol.decode(json.loads(sys.stdin.read()))',
          'print(json.dumps([str(back.dtype), protocol.encode(np.array([[0.1, 0.2]], dtype=np.float32)), protocol.encode(np.array([0.1]))]))',
        ].join('\n'),
        JSON.stringify(sent),
      ).toString();
      const [dtype, w32, w64] = JSON.parse(out) as [string, Wire, Wire];
      expect(dtype).toBe('float32');
      const a = decodeValue(w32) as NDArray;
      expect(a.dtype).toBe('float32');
      expect([...a.data]).toEqual([Math.fround(0.1), Math.fround(0.2)]);
      expect((decodeValue(w64) as NDArray).dtype).toBe('float64');
    },
  );

  it.skipIf(!hasNumpy())(
    `a NumPy engine computing in float32 passes at its detected float32 ${numpySkipReason()}`,
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'dnn-verify-float32-'));
      try {
        // the correct engine with every argument cast to float32: NumPy keeps float32 through its operations
        const correct = readFileSync(
          join(import.meta.dirname, '..', '..', 'fixtures', 'engines', 'correct.py'),
          'utf8',
        );
        const file = join(dir, 'engine.py');
        writeFileSync(file, `${correct}\n${FLOAT32_WRAPPER}`);
        const engine = pythonEngine(file, { timeoutMs: 20_000 });
        const report = await verifyEngine(engine, { runs: 10 }).finally(() => engine.close());
        const p = report.detected.precision as { precision: string; functions: Record<string, string> };
        expect(p.precision).toBe('float32');
        expect(p.functions.L_model_backward).toBe('float32');
        expect(report.checks.filter((c) => c.status === 'fail' || c.status === 'error').map((c) => c.id)).toEqual([]);
        expect(report.verdict).toBe('pass');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});

const FLOAT32_WRAPPER = `
import functools as _ft

def _f32(v):
    if isinstance(v, np.ndarray):
        return v.astype(np.float32)
    if isinstance(v, tuple):
        return tuple(_f32(x) for x in v)
    if isinstance(v, list):
        return [_f32(x) for x in v]
    if isinstance(v, dict):
        return {k: _f32(x) for k, x in v.items()}
    return v

def _float32(f):
    @_ft.wraps(f)
    def g(*args, **kw):
        return _f32(f(*[_f32(a) for a in args], **{k: _f32(v) for k, v in kw.items()}))
    return g

for _name in list(globals()):
    if not _name.startswith('_') and callable(globals()[_name]) and getattr(globals()[_name], '__module__', None) == __name__:
        globals()[_name] = _float32(globals()[_name])
`;
