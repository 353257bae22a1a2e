"""Serves a student's Python module or Jupyter notebook over the dnn-verify protocol.

Usage: python3 runner.py FILE.py|FILE.ipynb [--map notebook_name=engine_name ...]

What is taken from the file: function and class definitions, imports, and assignments of plain constants; test
calls, prints, plots and magics are left out (they would run at load time). The course's helper modules
(dnn_utils, dnn_utils_v2, dnn_app_utils_v3, testCases*) are provided by stand-ins; other missing imports get an
inert placeholder. Responses go to the original stdout; everything the engine prints goes to stderr.
"""
import ast, copy, json, os, sys, traceback, types

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, 'standins'))
from protocol import encode, decode  # noqa: E402

# the protocol channel is the original stdout; fd 1 now goes to stderr, so C-level and Python prints cannot
# interleave with responses
proto = os.fdopen(os.dup(1), 'w', buffering=1)
os.dup2(2, 1)
sys.stdout = sys.stderr

import numpy as np  # noqa: E402


class Placeholder(types.ModuleType):
    """A module that answers any attribute with itself and can be called: an inert stand-in for imports the
    verification does not need (matplotlib, h5py, PIL, scipy, ...)."""
    def __getattr__(self, name):
        if name.startswith('__'):
            raise AttributeError(name)
        return self

    def __call__(self, *a, **k):
        return self


EMPTY_STANDINS = {'testCases', 'testCases_v2', 'testCases_v3', 'testCases_v4', 'testCases_v4a', 'public_tests', 'test_utils', 'lr_utils'}


class InputMutated(Exception):
    """The function changed an argument it was given (callers' data must stay as it was)."""


def mutated(now, before, path):
    """Where `now` differs from its deep copy `before`, or None."""
    if isinstance(before, np.ndarray):
        if not isinstance(now, np.ndarray) or now.shape != before.shape:
            return f'{path} was replaced or reshaped'
        same = np.array_equal(now, before, equal_nan=True)
        return None if same else f'{path} changed in place'
    if isinstance(before, (list, tuple)):
        if len(now) != len(before):
            return f'{path} changed length'
        for i, (a, b) in enumerate(zip(now, before)):
            d = mutated(a, b, f'{path}[{i}]')
            if d:
                return d
        return None
    if isinstance(before, dict):
        if set(now) != set(before):
            return f'{path} keys changed: {sorted(set(now) ^ set(before))}'
        for k in before:
            d = mutated(now[k], before[k], f'{path}[{k!r}]')
            if d:
                return d
    return None


def install_standins():
    import importlib
    dnn_utils = importlib.import_module('dnn_utils')
    sys.modules['dnn_utils_v2'] = dnn_utils
    for name in EMPTY_STANDINS:
        sys.modules.setdefault(name, types.ModuleType(name))


def keep(node):
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Import, ast.ImportFrom)):
        return True
    if isinstance(node, (ast.Assign, ast.AnnAssign)):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        value = node.value
        simple_target = all(isinstance(t, ast.Name) for t in targets)
        constant = value is not None and all(not isinstance(n, ast.Call) for n in ast.walk(value))
        return simple_target and constant
    return False


def source_of(path):
    if path.endswith('.ipynb'):
        with open(path, encoding='utf-8') as f:
            nb = json.load(f)
        cells = []
        for cell in nb.get('cells', []):
            if cell.get('cell_type') != 'code':
                continue
            src = ''.join(cell.get('source', []))
            lines = [l for l in src.split('\n') if not l.lstrip().startswith(('%', '!'))]
            cells.append('\n'.join(lines))
        return cells
    with open(path, encoding='utf-8') as f:
        return [f.read()]


def load(path):
    namespace = {'__name__': 'engine_under_test', '__file__': path}
    sys.path.insert(0, os.path.dirname(os.path.abspath(path)))
    for i, src in enumerate(source_of(path)):
        try:
            tree = ast.parse(src)
        except SyntaxError as e:
            print(f'dnn-verify: cell {i} does not parse, skipped: {e}', file=sys.stderr)
            continue
        tree.body = [n for n in tree.body if keep(n)]
        for node in tree.body:
            mod = ast.Module(body=[node], type_ignores=[])
            try:
                exec(compile(mod, f'{path}[{i}]', 'exec'), namespace)
            except ImportError:
                if not isinstance(node, (ast.Import, ast.ImportFrom)):
                    raise
                # a module the verification does not need (plotting, file formats): an inert placeholder
                for alias in node.names:
                    target = node.module if isinstance(node, ast.ImportFrom) else alias.name
                    parts = target.split('.')
                    for k in range(1, len(parts) + 1):
                        sys.modules.setdefault('.'.join(parts[:k]), Placeholder('.'.join(parts[:k])))
                exec(compile(mod, f'{path}[{i}]', 'exec'), namespace)
    return namespace


def main():
    args = sys.argv[1:]
    path = args[0]
    mapping = {}
    for a in args[1:]:
        if '=' in a:
            k, v = a.split('=', 1)
            mapping[k] = v
    install_standins()
    ns = load(path)
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        req = json.loads(line)
        rid = req.get('id')
        try:
            op = req.get('op')
            if op == 'hello':
                names = [k for k, v in ns.items() if callable(v) and not isinstance(v, type) and not k.startswith('_')
                         and getattr(v, '__module__', None) in (None, 'engine_under_test', '__main__')]
                reverse = {v: k for k, v in mapping.items()}
                value = {'name': os.path.basename(path), 'functions': [reverse.get(n, n) for n in names]}
            elif op == 'seed':
                np.random.seed(req['seed'])
                value = None
            elif op == 'bye':
                print(json.dumps({'id': rid, 'ok': True, 'value': None}), file=proto)
                return
            elif op == 'call':
                name = mapping.get(req['fn'], req['fn'])
                fn = ns.get(name)
                if not callable(fn):
                    raise NameError(f"the engine defines no function {name!r}")
                fargs = [decode(a) for a in req.get('args', [])]
                kwargs = {k: decode(v) for k, v in req.get('kwargs', {}).items()}
                before = copy.deepcopy(fargs)
                value = fn(*fargs, **kwargs)
                changed = mutated(fargs, before, 'args')
                if changed:
                    raise InputMutated(f'{name} mutated its input: {changed}')
            else:
                raise ValueError(f'unknown op {op!r}')
            out = {'id': rid, 'ok': True, 'value': encode(value)}
        except BaseException as e:  # noqa: BLE001 - every failure is reported, none ends the server
            if isinstance(e, (KeyboardInterrupt, SystemExit)):
                raise
            out = {'id': rid, 'ok': False, 'error': {'type': type(e).__name__, 'message': str(e), 'traceback': traceback.format_exc(limit=8)}}
        sys.stderr.flush()
        print(json.dumps(out), file=proto)


if __name__ == '__main__':
    main()
