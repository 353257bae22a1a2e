// The engine's own test suite: every dnn-verify check of the functions engine.js defines becomes a vitest test
// (fixture packs of the notebooks' printed values, gradient checks, properties, differential tests against the
// reference engine). A failing test shows the counterexample and how to replay it.
import { describeEngine } from 'dnn-verify/vitest';
import * as engine from '../engine.js';

describeEngine(engine, { name: 'engine.js', seed: 0, runs: 25 });
