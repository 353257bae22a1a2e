/** `dnn-verify/gradcheck`: full, directional, kink-aware and real-size gradient checks (README.md beside this file). */
export * from './vector.ts';
export { fullCheck, assess, type GradModel, type FullCheckOptions, type FullCheckResult } from './full.ts';
export { directionalCheck, randomDirection, type DirectionalResult } from './directional.ts';
export { diagnoseKey, suspectKeys, summarise, keySlices, KEY_NOISE, type KeyDiagnosis } from './diagnose.ts';
export { incrementalNumericGradient, type IncrementalResult } from './incremental.ts';
export { engineModel, forwardCulprit } from './engine-model.ts';
export { courseCase, courseModel } from './course.ts';
export {
  gradcheckSuite,
  noiseAwareThreshold,
  randomProblem,
  realSizeGradCheck,
  FULL_ARCHITECTURES,
  DIRECTIONAL_ARCHITECTURES,
  REAL_SIZE,
  type Problem,
} from './suite.ts';
