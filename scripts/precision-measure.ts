/**
 * Measures the float32 gradient check on both sides (docs/measurements/precision.md):
 * - false alarms: the full and directional checks at float32 on a correct float32 engine
 *   (fixtures/engines/js/float32/engine.ts: Math.fround after every operation), over N random architectures;
 *   the float64 settings on the same engine, for comparison;
 * - catches: each derivative bug of the mutant catalogue, translated to that engine, over M random architectures
 *   (the check fails, or the engine's gradients do not even have the parameters' shapes), and the whole suite's
 *   verdict at float32 with the function its root cause names.
 *
 *   npx tsx scripts/precision-measure.ts [N=1000] [M=200]
 */
import { inProcessEngine } from '../src/adapters/in-process.ts';
import { ReferenceEngine } from '../src/engine/reference-engine.ts';
import { RandomState } from '../src/random/index.ts';
import { randomProblem } from '../src/gradcheck/suite.ts';
import { engineModel, forwardCulprit } from '../src/gradcheck/engine-model.ts';
import { assess, fullCheck, noiseAwareThreshold } from '../src/gradcheck/full.ts';
import { directionalCheck } from '../src/gradcheck/directional.ts';
import { costNoise, float32Threshold, gradcheckSettings } from '../src/gradcheck/precision.ts';
import type { Engine } from '../src/engine/engine.ts';
import { verify } from '../src/run/verify.ts';
import { FLOAT32_BUGS, float32Engine, type Float32Bug } from '../fixtures/engines/js/float32/engine.ts';

const N = Number(process.argv[2] ?? 1000);
const M = Number(process.argv[3] ?? 200);
const reference = new ReferenceEngine();

function architecture(rs: RandomState): [number[], number] {
  const depth = 2 + Number(rs.randint(0, 4)); // 2..5 layers of weights
  const dims = [
    1 + Number(rs.randint(0, 8)),
    ...Array.from({ length: depth - 1 }, () => 1 + Number(rs.randint(0, 8))),
    1,
  ];
  return [dims, 1 + Number(rs.randint(0, 10))];
}

interface Outcome {
  full: 'pass' | 'fail' | 'error';
  directional: 'pass' | 'fail' | 'error';
  full64?: 'pass' | 'fail' | 'error';
  difference?: number;
  threshold?: number;
}

async function gradcheck(engine: Engine, dims: number[], m: number, seed: number, also64: boolean): Promise<Outcome> {
  const s = gradcheckSettings('float32');
  const p = randomProblem(dims, m, seed);
  const out: Outcome = { full: 'error', directional: 'error' };
  try {
    if (await forwardCulprit(engine, reference, p.X, p.Y, p.parameters, 'float32')) return out;
    const model = engineModel(engine, p.X, p.Y);
    const raw = await fullCheck(model, p.parameters, { epsilon: s.epsilon, threshold: Infinity, precision: 'float32' });
    const J = (await model.forward(p.parameters)).cost;
    const noise = await costNoise(reference, p.X, p.Y, p.parameters);
    const threshold = float32Threshold(raw.analytic, raw.numeric, noise, raw.steps ?? s.epsilon);
    const r = assess(raw.layout, raw.analytic, raw.numeric, raw.skipped, threshold, m);
    out.full = r.passed ? 'pass' : 'fail';
    out.difference = r.difference;
    out.threshold = threshold;
    const d = await directionalCheck(model, p.parameters, {
      seed: `measure/${seed}`,
      precision: 'float32',
      epsilon: s.directionalEpsilon,
      tolerance: s.directionalTolerance,
      noise,
    });
    out.directional = d.passed ? 'pass' : 'fail';
    if (also64) {
      const raw64 = await fullCheck(model, p.parameters, { epsilon: 1e-7, threshold: Infinity });
      const t64 = noiseAwareThreshold(raw64.analytic, raw64.numeric, J, 1e-7);
      out.full64 = assess(raw64.layout, raw64.analytic, raw64.numeric, raw64.skipped, t64, m).passed ? 'pass' : 'fail';
    }
  } catch {
    // gradients that do not have the parameters' shapes: the check cannot even compare them (a catch)
  }
  return out;
}

const t0 = performance.now();
const correct = inProcessEngine(float32Engine(), { name: 'float32' });
const rs = new RandomState(20);
let fullAlarms = 0;
let dirAlarms = 0;
let alarms64 = 0;
let errors = 0;
let worstRatio = 0;
for (let i = 0; i < N; i++) {
  const [dims, m] = architecture(rs);
  const o = await gradcheck(correct, dims, m, 1000 + i, true);
  if (o.full === 'error') errors++;
  if (o.full === 'fail') {
    fullAlarms++;
    console.log(`false alarm (full) ${JSON.stringify(dims)} m=${m} seed ${1000 + i}: ${o.difference} > ${o.threshold}`);
  }
  if (o.directional === 'fail') dirAlarms++;
  if (o.full64 === 'fail') alarms64++;
  if (o.difference !== undefined && o.threshold) worstRatio = Math.max(worstRatio, o.difference / o.threshold);
}
console.log(
  `correct float32 engine, ${N} random architectures: full check ${fullAlarms} false alarms, directional ${dirAlarms}, ` +
    `not judged ${errors}; worst difference / threshold ${worstRatio.toFixed(3)}; ` +
    `the float64 settings (epsilon 1e-7, threshold 2e-7) on the same engine: ${alarms64} false alarms`,
);

console.log(
  '\n| bug | full check catches | directional catches | full-check escapes: m = 1 / threshold above 0.1 / other | suite verdict | root cause |',
);
console.log('| --- | --- | --- | --- | --- | --- |');
for (const bug of FLOAT32_BUGS) {
  const engine = inProcessEngine(float32Engine({ bugs: [bug as Float32Bug] }), { name: bug });
  const rb = new RandomState(7);
  let full = 0;
  let dir = 0;
  const escapes = { m1: 0, floor: 0, other: 0 };
  for (let i = 0; i < M; i++) {
    const [dims, m] = architecture(rb);
    const o = await gradcheck(engine, dims, m, 5000 + i, false);
    if (o.full !== 'pass') full++;
    else if (m === 1) escapes.m1++;
    else if ((o.threshold ?? 0) > 0.1) escapes.floor++;
    else escapes.other++;
    if (o.directional !== 'pass') dir++;
  }
  const report = await verify(inProcessEngine(float32Engine({ bugs: [bug as Float32Bug] }), { name: bug }), {
    runs: 20,
    precision: 'float32',
  });
  const causes = (report.rootCauses ?? []).map((c) => c.function).join(', ');
  console.log(
    `| \`${bug}\` | ${full}/${M} | ${dir}/${M} | ${escapes.m1} / ${escapes.floor} / ${escapes.other} | ${report.verdict}${report.warnings?.length ? ` (${report.warnings.map((w) => w.kind).join(', ')})` : ''} | ${causes || '-'} |`,
  );
}
console.log(`\n${((performance.now() - t0) / 1000).toFixed(0)} s`);
