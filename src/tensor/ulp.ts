/** Distance in units in the last place between two doubles: how many representable doubles lie between them. */
const f = new Float64Array(1);
const i = new BigInt64Array(f.buffer);

function ordered(x: number): bigint {
  f[0] = x;
  const v = i[0];
  // map the sign-magnitude bit pattern onto a monotone integer line (-0 and +0 both at 0)
  return v < 0n ? -(v & 0x7fffffffffffffffn) : v;
}

export function ulpDistance(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b) ? 0 : Infinity;
  const d = ordered(a) - ordered(b);
  return Number(d < 0n ? -d : d);
}
