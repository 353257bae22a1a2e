import { formatPythonFloat } from '../tensor/format.ts';

/**
 * What the Application notebook printed (FACTS.md section 4, from the published notebook): costs every 100
 * iterations (two-layer with full precision, L-layer with 6 decimals) and the accuracies.
 */
export const PUBLISHED = {
  'two-layer': {
    costs: [
      0.6930497356599888, 0.6464320953428849, 0.6325140647912677, 0.6015024920354665, 0.5601966311605748,
      0.5158304772764729, 0.4754901313943325, 0.43391631512257495, 0.4007977536203889, 0.3580705011323798,
      0.3394281538366413, 0.3052753636196264, 0.2749137728213016, 0.24681768210614832, 0.1985073503746612,
      0.17448318112556635, 0.17080762978095823, 0.11306524562164749, 0.09629426845937161, 0.08342617959726865,
      0.07439078704319083, 0.0663074813226793, 0.05919329501038169, 0.05336140348560554, 0.04855478562877018,
    ],
    costDecimals: null as number | null,
    trainAccuracy: '1.0',
    testAccuracy: '0.72',
  },
  'L-layer': {
    costs: [
      0.771749, 0.672053, 0.648263, 0.611507, 0.567047, 0.540138, 0.52793, 0.465477, 0.369126, 0.391747, 0.315187,
      0.2727, 0.237419, 0.199601, 0.189263, 0.161189, 0.148214, 0.137775, 0.12974, 0.121225, 0.113821, 0.107839,
      0.102855, 0.100897, 0.092878,
    ],
    costDecimals: 6 as number | null,
    trainAccuracy: '0.985645933014',
    testAccuracy: '0.8',
  },
} as const;

/** The notebook's Python 2 era str(float): 12 significant digits, Python's float spelling (1.0, 0.72). */
export function printedAccuracy(x: number): string {
  return formatPythonFloat(Number(x.toPrecision(12)));
}
