/** Every check family a verification run is made of, in run order. */
import type { CheckSuite } from '../check/types.ts';
import { gradcheckSuite } from '../gradcheck/suite.ts';
import { fixtureSuite } from '../packs/suite.ts';
import { propertySuite } from '../../properties/suite.ts';
import { differentialSuite } from './differential.ts';

export function allSuites(): CheckSuite[] {
  return [fixtureSuite, gradcheckSuite, propertySuite, differentialSuite];
}
