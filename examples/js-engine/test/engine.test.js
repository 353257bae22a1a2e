// The engine's own test suite: every dnn-verify check of the functions engine.js defines becomes a vitest test
// (fixture packs of the notebooks' printed values, gradient checks, properties, differential tests against the
// reference engine). A failing test shows the counterexample and how to replay it. The module runs in a worker
// thread with a per-call timeout: a call that never returns fails its test, and the run goes on.
import { describeEngine } from 'dnn-verify/vitest';

describeEngine(new URL('../engine.js', import.meta.url), { name: 'engine.js', seed: 0, runs: 25 });
