import type { Property } from './types.ts';
import { backwardKeys, forwardShapes, initShapes, refusesMisalignedShapes } from './contract.ts';
import {
  backwardNoMutation,
  columnIndependence,
  costIsMean,
  gradientsOfTheMean,
  noMutation,
  reluBackwardMask,
  sameSeedSameResult,
  updateRule,
} from './invariants.ts';
import { linearForwardExact, sigmoidDerivative, softmaxCrossEntropyGradient } from './oracles.ts';
import { initialiserStream } from './rng.ts';
import { backwardIsDerivative } from './gradient.ts';

/** Every property, in run order. */
// biome-ignore lint/suspicious/noExplicitAny: one list holds properties over different input types
export const PROPERTIES: Property<any>[] = [
  forwardShapes,
  backwardKeys,
  initShapes,
  refusesMisalignedShapes,
  columnIndependence,
  costIsMean,
  gradientsOfTheMean,
  reluBackwardMask,
  updateRule,
  ...noMutation,
  backwardNoMutation,
  sameSeedSameResult,
  linearForwardExact,
  sigmoidDerivative,
  softmaxCrossEntropyGradient,
  initialiserStream,
  backwardIsDerivative,
];

export type { Property } from './types.ts';
export { PropertyFailure } from './types.ts';
