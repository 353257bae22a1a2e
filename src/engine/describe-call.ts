/** How a call is named in messages: its arguments at a glance, by the notebook's parameter names. */
import { functionSpec } from './catalogue.ts';
import type { Value } from './engine.ts';
import { NDArray } from '../tensor/ndarray.ts';

/** "dA (5, 7), cache (5, 7)": the arguments at a glance. */
export function argumentSummary(fn: string, args: readonly Value[]): string {
  const names = functionSpec(fn)?.params ?? [];
  const brief = (v: Value): string =>
    v instanceof NDArray
      ? `(${v.shape.join(', ')})`
      : Array.isArray(v)
        ? `[${v.map(brief).join(', ')}]`
        : v && typeof v === 'object'
          ? `{${Object.keys(v).join(', ')}}`
          : JSON.stringify(v);
  return args.map((a, i) => `${names[i] ?? `arg${i}`} ${brief(a)}`).join(', ');
}
