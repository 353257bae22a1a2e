/**
 * Attacks on the integrity of the verdict through the Python runner (issue 23): a submission that forwards its
 * graded functions to the course's helper modules, one that patches the runner's mutation check or forges the
 * protocol channel at load time, and a file beside a classmate's submission named like a module it imports. Each
 * is a source (or a class folder) built from the correct engine, fixtures/engines/correct.py.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { COURSE_POINTS } from '../../src/grade/points.ts';
import { functionSpec } from '../../src/engine/catalogue.ts';

const CORRECT = join(import.meta.dirname, '..', '..', 'fixtures', 'engines', 'correct.py');

export const correctPy = () => readFileSync(CORRECT, 'utf8');

/** The graded functions of Step by Step (10 points each). */
export const GRADED = Object.keys(COURSE_POINTS);

/**
 * No implementation at all: every graded function forwards to the course's dnn_app_utils_v3 (which the course
 * ships with a complete solution). `flip` adds the Application notebook's two_layer_model and L_layer_model, as if
 * to be taken for the Application notebook, where the course does give those solutions.
 */
export function forwardingSource(flip = false): string {
  const defs = GRADED.map((fn) => {
    const params = functionSpec(fn)!.params;
    return `def ${fn}(${params.join(', ')}):\n    return course.${fn}(${params.join(', ')})\n`;
  });
  const app = flip
    ? [
        'def two_layer_model(X, Y, layers_dims, learning_rate=0.0075, num_iterations=3000, print_cost=False):\n    return course.initialize_parameters(*layers_dims)\n',
        'def L_layer_model(X, Y, layers_dims, learning_rate=0.0075, num_iterations=3000, print_cost=False):\n    return course.initialize_parameters_deep(layers_dims)\n',
      ]
    : [];
  return [
    'import numpy as np\nimport dnn_app_utils_v3 as course\nfrom dnn_app_utils_v3 import *\nfrom dnn_utils import sigmoid, relu, sigmoid_backward, relu_backward\n',
    ...defs,
    ...app,
  ].join('\n');
}

/** correct.py with an update_parameters that updates the caller's arrays in place (a warning; a failure under --strict). */
export function inPlaceSource(): string {
  const src = correctPy()
    .replace('    parameters = params.copy()\n', '    parameters = params\n')
    .replace(
      'parameters["W" + str(l + 1)] = parameters["W" + str(l + 1)] - learning_rate',
      'parameters["W" + str(l + 1)] -= learning_rate',
    );
  if (!src.includes('-= learning_rate')) throw new Error('correct.py changed: no in-place update');
  return src;
}

export interface LoadTimeAttack {
  id: string;
  about: string;
  /**
   * Python run at load time, from a function called in a class body (which every loader runs), or with `atReturn`
   * just before the in-place update_parameters returns (its locals in scope)
   */
  code: string;
  atReturn?: boolean;
}

export const LOAD_TIME_ATTACKS: LoadTimeAttack[] = [
  {
    id: 'patch-detector',
    about: "replaces the runner's mutation detector: __main__.mutated, and any module's or function's named so",
    code: `import sys, gc
never = lambda *a, **k: []
sys.modules['__main__'].mutated = never
for m in list(sys.modules.values()):
    if getattr(m, 'mutated', None) is not None and not isinstance(getattr(m, 'mutated'), type):
        try:
            m.mutated = never
        except Exception:
            pass
for o in gc.get_objects():
    if callable(o) and getattr(o, '__name__', '') in ('mutated', 'changed', 'argument_names') and hasattr(o, '__code__'):
        try:
            o.__code__ = never.__code__
        except Exception:
            pass`,
  },
  {
    id: 'patch-runner',
    about:
      'patches what the runner uses by name: json.dumps (drops "mutated" and "after"), copy.deepcopy, np.array_equal, print, and the runner and protocol modules if importable',
    code: `import sys, json, copy, builtins
import numpy as np
_dumps = json.dumps
def dumps(o, *a, **k):
    if isinstance(o, dict):
        o = {key: v for key, v in o.items() if key not in ('mutated', 'after')}
    return _dumps(o, *a, **k)
json.dumps = dumps
copy.deepcopy = lambda x, *a, **k: x
np.array_equal = lambda *a, **k: True
_print = builtins.print
def print_(*a, **k):
    a = tuple(dumps(json.loads(x)) if isinstance(x, str) and x.startswith('{"id"') else x for x in a)
    return _print(*a, **k)
builtins.print = print_
for name in ('runner', 'protocol', '__main__'):
    try:
        mod = __import__(name)
        for attr in ('mutated', 'encode'):
            if hasattr(mod, attr):
                setattr(mod, attr, (lambda *a, **k: []) if attr == 'mutated' else (lambda v: None))
    except Exception:
        pass`,
  },
  {
    id: 'forge-channel',
    about:
      'writes a forged plan, hello and answers (ids 0 to 3000, no mutation, null values) to every descriptor from 3 up, at load time',
    code: `import os, json
lines = [json.dumps({'id': 0, 'ok': True, 'value': {'functions': {'linear_forward': ['A', 'W', 'b']}, 'dropped': [], 'broken': {}}}),
         json.dumps({'id': 1, 'ok': True, 'value': {'__dict__': {'functions': ['linear_forward'], 'raised': []}}})]
lines += [json.dumps({'id': i, 'ok': True, 'value': None, 'after': {'args': [], 'kwargs': {}}}) for i in range(2, 3000)]
blob = ('\\n'.join(lines) + '\\n').encode()
for fd in range(3, 64):
    try:
        os.write(fd, blob)
    except OSError:
        pass`,
  },
  {
    id: 'swap-arguments',
    about:
      "update_parameters swaps the runner's references to its arguments for pristine copies before it returns (through its caller's frame)",
    atReturn: true,
    code: `import sys
try:
    frame = sys._getframe(1)
    for name, seq in list(frame.f_locals.items()):
        if isinstance(seq, list) and seq and seq[0] is params:
            seq[0] = _pristine
        if isinstance(seq, dict):
            for k, v in list(seq.items()):
                if v is params:
                    seq[k] = _pristine
except Exception:
    pass`,
  },
];

/** The in-place engine with one load-time attack, run from a class body before the definitions. */
export function inPlaceWithAttack(a: LoadTimeAttack): string {
  if (a.atReturn) {
    const header = 'def update_parameters(params, grads, learning_rate):\n';
    const ret = '    return parameters\n';
    const src = inPlaceSource();
    const start = src.indexOf(header);
    const end = src.indexOf(ret, start);
    if (start < 0 || end < 0) throw new Error('correct.py changed: no update_parameters');
    const code = a.code
      .split('\n')
      .map((l) => `    ${l}`)
      .join('\n');
    return `${src.slice(0, start + header.length)}    import copy\n    _pristine = copy.deepcopy(params)\n${src.slice(start + header.length, end)}${code}\n${src.slice(end)}`;
  }
  const body = a.code
    .split('\n')
    .map((l) => `        ${l}`)
    .join('\n');
  return inPlaceSource().replace(
    'import numpy as np\n',
    `import numpy as np\n\n\nclass _Attack:\n    def attack():\n${body}\n    attack()\n`,
  );
}

/**
 * A flat class folder: `h5py.py` beside a classmate's submission, which imports h5py (the course's notebooks do).
 * Imported, it records it in `marker` and breaks NumPy for the classmate.
 */
export function siblingH5py(marker: string): { 'h5py.py': string; 'classmate.py': string } {
  return {
    'h5py.py': `import numpy as np
try:
    with open(${JSON.stringify(marker)}, 'w') as f:
        f.write('imported')
except OSError:
    pass
np.dot = lambda *a, **k: 0.0
np.exp = lambda *a, **k: 0.0
raise SystemExit('h5py.py of a classmate was imported')
`,
    'classmate.py': correctPy().replace('import numpy as np\n', 'import numpy as np\nimport h5py\n'),
  };
}

/**
 * The lie the runner cannot prevent (src/adapters/README.md, "What the suite trusts of a Python engine"): a wrong
 * in-place update_parameters (+= for -=) that answers its own call from inside it, through the request loop's
 * frame, with the arguments as they were sent for `after`. The warning is lost; the wrong value still fails.
 */
export function forgedAnswerSource(): string {
  const src = inPlaceSource().replace(
    'parameters["W" + str(l + 1)] -= learning_rate',
    'parameters["W" + str(l + 1)] += learning_rate',
  );
  const ret = '    return parameters\n';
  const at = src.indexOf(ret, src.indexOf('def update_parameters('));
  const forge = `    import sys, json
    loc = sys._getframe(1).f_locals
    if all(k in loc for k in ('rid', 'write', 'encode', 'req')):
        loc['write'](json.dumps({'id': loc['rid'], 'ok': True, 'value': loc['encode'](parameters),
                                 'after': {'args': loc['req']['args'], 'kwargs': loc['req'].get('kwargs', {})}}) + '\\n')
`;
  return `${src.slice(0, at)}${forge}${src.slice(at)}`;
}
