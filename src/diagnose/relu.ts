/**
 * What a relu_backward does wrong, region by region: where Z < 0, where Z == 0 (the kink) and where Z > 0, the
 * ratio dZ / dA of every element is compared with the notebook's (0, 0 and 1). A bug that affects every Z < 0 (a
 * leaky slope, an unmasked or sign-flipped gradient) is named as such; derivative 1 at the kink, the one tolerated
 * convention, is the diagnosis only when the engine differs at Z == 0 and nowhere else, and only when the evidence
 * shows Z < 0 elements that it handles right (an input made of zeros alone cannot tell a kink from a leak).
 */

export type ReluCause = 'relu-kink' | 'relu-leaky' | 'relu-unmasked' | 'relu-sign' | 'relu-mask' | 'relu-scale';

export interface ReluDiagnosis {
  sentence: string;
  cause: ReluCause;
}

type Region = 'Z < 0' | 'Z == 0' | 'Z > 0';
const WANT: Record<Region, number> = { 'Z < 0': 0, 'Z == 0': 0, 'Z > 0': 1 };

function regionOf(z: number): Region | undefined {
  return z < 0 ? 'Z < 0' : z > 0 ? 'Z > 0' : z === 0 ? 'Z == 0' : undefined;
}

/** "0.01·dA", "-dA", "dA", "0": a readable multiple of dA. */
function times(c: number): string {
  if (c === 0) return '0';
  if (c === 1) return 'dA';
  if (c === -1) return '-dA';
  return `${Number(c.toPrecision(6))}·dA`;
}

/**
 * The one constant c with dZ == c·dA on every element of a region whose dA is not 0 (to a relative 1e-12), or
 * undefined when the region has no such element or no single c fits.
 */
function ratio(ix: number[], dA: ArrayLike<number>, dZ: ArrayLike<number>): number | undefined {
  const usable = ix.filter((i) => dA[i] !== 0 && Number.isFinite(dA[i]) && Math.abs(dA[i]) > 1e-300);
  if (!usable.length) return undefined;
  const c = dZ[usable[0]] / dA[usable[0]];
  if (!Number.isFinite(c)) return undefined;
  const fits = usable.every((i) => Math.abs(dZ[i] - c * dA[i]) <= 1e-12 * Math.abs(dA[i]) * Math.max(1, Math.abs(c)));
  if (!fits) return undefined;
  const round = Math.round(c * 1e9) / 1e9; // 0.01 computed as dZ / dA is 0.010000000000000002
  return Math.abs(round - c) <= 1e-12 * Math.max(1, Math.abs(c)) ? round : c;
}

/**
 * The diagnosis of relu_backward's output dZ for inputs dA and Z (flat, same length), or undefined when dZ is the
 * notebook's (or when no region shows a pattern that can be named).
 */
export function diagnoseReluBackward(
  dA: ArrayLike<number>,
  Z: ArrayLike<number>,
  dZ: ArrayLike<number>,
  fn = 'relu_backward',
): ReluDiagnosis | undefined {
  if (dA.length !== Z.length || dZ.length !== Z.length) return undefined;
  const regions = new Map<Region, number[]>();
  for (let i = 0; i < Z.length; i++) {
    const r = regionOf(Z[i]);
    if (r) regions.set(r, [...(regions.get(r) ?? []), i]);
  }
  const wrong = new Map<Region, number | undefined>();
  for (const [r, ix] of regions) {
    const bad = ix.filter((i) => !Object.is(dZ[i] + 0, WANT[r] * dA[i] + 0));
    if (bad.length) wrong.set(r, ratio(ix, dA, dZ));
  }
  if (!wrong.size) return undefined;
  const neg = wrong.get('Z < 0');
  const pos = wrong.get('Z > 0');
  const kink = wrong.get('Z == 0');
  if (wrong.size === 1 && wrong.has('Z == 0')) {
    // only the kink differs: derivative 1 there is the tolerated convention, when the Z < 0 elements show the mask
    // is right (without them a leak or an unmasked gradient would look the same at Z == 0)
    if (kink === 1 && regions.has('Z < 0'))
      return {
        sentence: `${fn} passes the gradient where Z == 0 (dZ[Z < 0] = 0); the notebook zeroes it where Z <= 0`,
        cause: 'relu-kink',
      };
  }
  const parts: string[] = [];
  let cause: ReluCause = 'relu-mask';
  // the same slope at the kink as below it: one region, Z <= 0
  const le = wrong.has('Z < 0') && wrong.has('Z == 0') && neg !== undefined && neg === kink;
  const below = le ? 'Z <= 0' : 'Z < 0';
  if (le) wrong.delete('Z == 0');
  if (wrong.has('Z < 0')) {
    if (neg === undefined) parts.push(`returns a gradient that is not 0 where ${below}`);
    else if (neg === 1) {
      parts.push(`passes dA through where ${below} (the mask is missing: dZ = dA there)`);
      cause = 'relu-unmasked';
    } else if (neg > 0 && neg < 1) {
      parts.push(`returns ${times(neg)} where ${below} (a leaky ReLU's derivative)`);
      cause = 'relu-leaky';
    } else {
      parts.push(`returns ${times(neg)} where ${below}`);
      if (neg === -1) cause = 'relu-sign';
    }
  }
  if (wrong.has('Z > 0')) {
    if (pos === -1) {
      parts.push('returns -dA where Z > 0 (the sign is flipped)');
      cause = 'relu-sign';
    } else if (pos === 0) parts.push('returns 0 where Z > 0 (the mask is inverted?)');
    else if (pos !== undefined) {
      parts.push(`returns ${times(pos)} where Z > 0`);
      if (!wrong.has('Z < 0')) cause = 'relu-scale';
    } else parts.push('does not return dA where Z > 0');
  }
  if (wrong.has('Z == 0') && (wrong.size > 1 || kink !== 1 || !regions.has('Z < 0')))
    parts.push(kink === undefined ? 'returns neither 0 nor dA where Z == 0' : `returns ${times(kink)} where Z == 0`);
  if (!parts.length) return undefined;
  return {
    sentence: `${fn} ${parts.join(', and ')}; the notebook's dZ is dA where Z > 0 and 0 where Z <= 0`,
    cause,
  };
}

/** A probe that covers the three regions with readable values: what the property asks when it has found a bug. */
export const RELU_PROBE = {
  dA: [1.5, -2, 0.5, 3, -1, 2.5, -0.75],
  Z: [-2, -0.5, -0.25, 0, 0.5, 1, 2],
  shape: [1, 7],
};

/** The diagnosis a relu_backward property failure put at the head of its message, read back (see classify.ts). */
export function reluDiagnosisInMessage(text: string): ReluDiagnosis | undefined {
  const m =
    /^(\S+ (?:.*?; the notebook's dZ is dA where Z > 0 and 0 where Z <= 0|passes the gradient where Z == 0 \(dZ\[Z < 0\] = 0\); the notebook zeroes it where Z <= 0))/.exec(
      text,
    );
  if (!m) return undefined;
  const s = m[1];
  const cause: ReluCause = s.includes('where Z == 0 (dZ[Z < 0] = 0)')
    ? 'relu-kink'
    : s.includes('leaky')
      ? 'relu-leaky'
      : s.includes('mask is missing')
        ? 'relu-unmasked'
        : s.includes('sign is flipped') || /-dA where Z <=? 0/.test(s)
          ? 'relu-sign'
          : 'relu-mask';
  return { sentence: s, cause };
}
