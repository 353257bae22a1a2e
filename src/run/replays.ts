/**
 * Replays that target the user's own engine. The `cli:` line of a failing check re-runs that function's checks on
 * the engine as it came (`dnn-verify check --module engine.ts --functions relu_backward --seed 0 --runs 25`, or
 * --python / --command), never the reference engine; a JavaScript engine also gets a `js:` snippet beside the
 * Python one: an ES module that builds the inputs as NDArrays and calls the function.
 */
import type { Engine } from '../engine/engine.ts';
import { functionSpec } from '../engine/catalogue.ts';
import { isJavaScript } from '../engine/js-terms.ts';
import type { CheckResult } from '../check/types.ts';
import { engineSource } from '../engine/source.ts';

export { engineSource, registerEngineSource, type EngineSource } from '../engine/source.ts';

function quote(s: string): string {
  return /^[\w./@:=,+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The command line that re-runs `fn`'s checks on this engine, or undefined (an object of functions has no file). */
export function cliReplay(engine: Engine, fn: string, seed: number, runs: number): string | undefined {
  const tail = `${fn ? ` --functions ${fn}` : ''} --seed ${seed} --runs ${runs}`;
  if (engine.name === 'reference') return `dnn-verify verify${tail}`;
  const source = engineSource(engine);
  if (!source) return undefined;
  const map = Object.entries(source.map ?? {});
  return `dnn-verify check ${source.flag} ${quote(source.value)}${map.length ? ` --map ${quote(map.map(([k, v]) => `${k}=${v}`).join(','))}` : ''}${tail}`;
}

/** A wire or JSON number (NaN, infinities and -0 may come as strings) as a JavaScript literal. */
function jsNumber(x: unknown): string {
  if (typeof x === 'number') return Object.is(x, -0) ? '-0' : String(x);
  if (x === 'nan' || x === null) return 'NaN';
  if (x === 'inf') return 'Infinity';
  if (x === '-inf') return '-Infinity';
  if (x === '-0') return '-0';
  return String(x);
}

/** A counterexample input (arrays as { shape, data }, dicts as plain objects or { dict }) as JavaScript source. */
function jsValue(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'number') return jsNumber(v);
  if (typeof v === 'string' || typeof v === 'boolean') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(jsValue).join(', ')}]`;
  const o = v as Record<string, unknown>;
  if (Array.isArray(o.shape) && Array.isArray(o.data))
    return `new NDArray(Float64Array.from([${o.data.map(jsNumber).join(', ')}]), [${o.shape.join(', ')}])`;
  if ('float' in o && Object.keys(o).length === 1) return jsNumber(o.float);
  const entries = 'dict' in o && Object.keys(o).length === 1 ? (o.dict as Record<string, unknown>) : o;
  return `{ ${Object.entries(entries)
    .map(([k, x]) => `${/^[A-Za-z_$][\w$]*$/.test(k) ? k : JSON.stringify(k)}: ${jsValue(x)}`)
    .join(', ')} }`;
}

/**
 * An ES module snippet: the inputs as NDArrays, then the call (when the inputs are the function's parameters) or
 * the Python replay's call as a comment (a property that calls several functions).
 */
export function jsReplay(
  engine: Engine,
  fn: string,
  inputs: Record<string, unknown>,
  pythonCall?: string,
  params: readonly string[] = functionSpec(fn)?.params ?? [],
): string | undefined {
  const source = engineSource(engine);
  const file = source?.flag === '--module' ? source.value : undefined;
  // relative to where the run started; a bare "src/engine.ts" would be read as a package name
  const module = file && !/^(\.{1,2}\/|\/|file:)/.test(file) ? `./${file}` : file;
  const lines = [
    "import { NDArray } from 'dnn-verify/tensor';",
    module
      ? `import * as engine from ${JSON.stringify(module)};`
      : "import * as engine from './engine.js'; // your engine's module",
    ...Object.entries(inputs).map(([k, v]) => `const ${k} = ${jsValue(v)};`),
  ];
  const name = source?.map?.[fn] ?? fn;
  // the Python replay's own call when it is one call of this function on the inputs: dZ = relu_backward(dA, Z)
  const one = /^(?:[\w, ]+ = )?(\w+)\(([\w, ]*)\)$/.exec(pythonCall?.trim() ?? '');
  const args = one?.[2]
    .split(',')
    .map((a) => a.trim())
    .filter(Boolean);
  if (one && one[1] === fn && args?.every((a) => a in inputs))
    lines.push(`console.log(await engine.${name}(${args.join(', ')}));`);
  else if (params.length && params.every((p) => p in inputs))
    lines.push(`console.log(await engine.${name}(${params.join(', ')}));`);
  else if (pythonCall) lines.push(...pythonCall.split('\n').map((l) => `// as in the Python replay: ${l}`));
  return lines.join('\n');
}

/** A failing check's replays, aimed at `engine`: its cli line, and for a JavaScript engine a js snippet. */
export function withReplays(
  r: CheckResult,
  engine: Engine,
  seed: number,
  runs: number,
  paramsOf: (fn: string) => readonly string[] | undefined = () => undefined,
): CheckResult {
  const c = r.counterexample;
  if (!c || (r.status !== 'fail' && r.status !== 'error')) return r;
  const cli = cliReplay(engine, r.function, seed, runs);
  const evidence = (r.details?.evidence as { inputs?: Record<string, unknown> } | undefined)?.inputs;
  const inputs = (c.inputs as Record<string, unknown> | undefined) ?? evidence;
  const pythonCall = c.replay?.python
    ?.split('\n')
    .filter((l) => !/^(import |\w+ = np\.)/.test(l))
    .join('\n');
  const params = paramsOf(r.function) ?? functionSpec(r.function)?.params ?? [];
  const js = isJavaScript(engine) && inputs ? jsReplay(engine, r.function, inputs, pythonCall, params) : undefined;
  return {
    ...r,
    counterexample: {
      ...c,
      replay: { ...c.replay, ...(cli ? { cli } : { cli: undefined }), ...(js ? { js } : {}) },
    },
  };
}
