/**
 * The figures of docs/measurements/real-engines.md: how the real engines (examples/tfjs on CPU and wasm,
 * examples/torch at float32 and float64) define relu'(0), differentiate sigmoid near saturation, take log(0) in
 * the cost and sum the cost in float32, each next to the reference (the notebook's float64 formulas).
 *
 *   DNN_VERIFY_PYTHON=/usr/bin/python3 node --import tsx scripts/real-engines-measure.ts
 *
 * An engine that is absent here (no TensorFlow.js packages, no python with torch) is left out, saying so.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pythonEngine } from '../src/adapters/index.ts';
import { workerEngine } from '../src/adapters/worker/engine.ts';
import type { Engine } from '../src/engine/engine.ts';
import { ReferenceEngine } from '../src/engine/reference-engine.ts';
import { RandomState } from '../src/random/index.ts';
import { NDArray } from '../src/tensor/ndarray.ts';

const ROOT = join(import.meta.dirname, '..');
const engines: [string, Engine][] = [['reference (float64)', new ReferenceEngine()]];
for (const b of ['engine', 'engine-wasm'])
  engines.push([
    b === 'engine' ? 'tfjs cpu (float32)' : 'tfjs wasm (float32)',
    workerEngine(join(ROOT, 'examples/tfjs', `${b}.ts`), { startTimeoutMs: 120_000 }),
  ]);
const python = process.env.DNN_VERIFY_PYTHON ?? 'python3';
if (spawnSync(python, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0) {
  for (const dtype of ['float32', 'float64']) {
    process.env.DNN_VERIFY_TORCH_DTYPE = dtype; // inherited by the engine process, started below
    const e = pythonEngine(join(ROOT, 'examples/torch/engine.py'), { python, startTimeoutMs: 120_000 });
    await e.functions();
    engines.push([`torch (${dtype})`, e]);
  }
} else console.log(`torch: ${python} does not import torch; left out`);

const row = (cells: unknown[]) => console.log(`| ${cells.join(' | ')} |`);
const fmt = (x: number) => (Number.isFinite(x) ? x.toPrecision(4) : String(x));

console.log("\n## relu'(0): relu_backward(dA = 1, Z = [-1, 0, 1])\n");
row(['engine', 'dZ']);
row(['---', '---']);
for (const [name, e] of engines) {
  const dZ = (await e.call('relu_backward', [NDArray.from([[1, 1, 1]]), NDArray.from([[-1, 0, 1]])])) as NDArray;
  row([name, `[${[...dZ.data].join(', ')}]`]);
}

const Zs = [-30, -17, 0, 10, 15, 16, 17, 18, 20, 30, 37, 40];
console.log('\n## sigmoid near saturation: sigmoid_backward(dA = 1, Z), the true value σ(Z)(1 − σ(Z))\n');
row(['engine', ...Zs.map((z) => `Z = ${z}`)]);
row(['---', ...Zs.map(() => '---')]);
const Z = NDArray.from([Zs]);
const ones = NDArray.from([Zs.map(() => 1)]);
for (const [name, e] of engines) {
  const dZ = (await e.call('sigmoid_backward', [ones, Z])) as NDArray;
  row([name, ...[...dZ.data].map(fmt)]);
}
console.log('\nand sigmoid(Z) = 1 exactly from:');
for (const [name, e] of engines) {
  const [A] = (await e.call('sigmoid', [NDArray.from([Zs])])) as [NDArray];
  const first = Zs.find((_, i) => A.data[i] === 1);
  console.log(`- ${name}: Z = ${first ?? 'none of these'}`);
}

console.log('\n## log(0) in the cost: compute_cost(AL, Y) where AL holds an exact 1 or 0\n');
const costCases: [string, number[], number[]][] = [
  ['AL = [1, 0.5], Y = [1, 1]', [1, 0.5], [1, 1]],
  ['AL = [1, 0.5], Y = [0, 1]', [1, 0.5], [0, 1]],
  ['AL = [0, 0.5], Y = [0, 1]', [0, 0.5], [0, 1]],
];
row(['engine', ...costCases.map((c) => c[0])]);
row(['---', ...costCases.map(() => '---')]);
for (const [name, e] of engines) {
  const out = [];
  for (const [, al, y] of costCases) out.push(await e.call('compute_cost', [NDArray.from([al]), NDArray.from([y])]));
  row([name, ...out.map((c) => fmt(c as number))]);
}
console.log('\nand through the forward pass: one layer, W = [[1]], b = [[0]], X = [[z, 0]], Y = [[1, 1]]:');
for (const z of [17, 20, 40]) {
  const cells: string[] = [];
  for (const [, e] of engines) {
    const [AL] = (await e.call('L_model_forward', [
      NDArray.from([[z, 0]]),
      { W1: NDArray.from([[1]]), b1: NDArray.from([[0]]) },
    ])) as [NDArray];
    cells.push(`${fmt(await (e.call('compute_cost', [AL, NDArray.from([[1, 1]])]) as Promise<number>))}`);
  }
  console.log(`- z = ${z}: ${engines.map(([n], i) => `${n} ${cells[i]}`).join('; ')}`);
}

console.log('\n## float32 cost summation: relative error of compute_cost against the reference, AL in [0.05, 0.95]\n');
const ms = [100, 10_000, 100_000, 1_000_000];
row(['engine', ...ms.map((m) => `m = ${m}`)]);
row(['---', ...ms.map(() => '---')]);
const costInputs = ms.map((m) => {
  const rs = new RandomState(m);
  return [
    new NDArray(
      Float64Array.from(rs.rand(m).data, (u) => 0.05 + 0.9 * u),
      [1, m],
    ),
    new NDArray(
      Float64Array.from(rs.rand(m).data, (u) => (u < 0.5 ? 1 : 0)),
      [1, m],
    ),
  ];
});
const refCosts = costInputs.map((args) => engines[0][1].call('compute_cost', args) as Promise<number>);
for (const [name, e] of engines.slice(1)) {
  const cells: string[] = [];
  for (const [i, args] of costInputs.entries()) {
    // the reference on the float32-rounded inputs: the error is the engine's summation, not its inputs' rounding
    const rounded = args.map((a) => new NDArray(Float64Array.from(a.data, Math.fround), a.shape));
    const want = name.includes('float32') ? await engines[0][1].call('compute_cost', rounded) : await refCosts[i];
    const got = (await e.call('compute_cost', args)) as number;
    cells.push(fmt(Math.abs(got - (want as number)) / Math.abs(want as number)));
  }
  row([name, ...cells]);
}
for (const [, e] of engines) await e.close();
