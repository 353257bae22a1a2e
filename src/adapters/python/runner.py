"""Serves a student's Python module or Jupyter notebook over the dnn-verify protocol.

Usage: python3 runner.py FILE.py|FILE.ipynb [--map notebook_name=engine_name ...]

What is taken from the file: function and class definitions, imports, and assignments of plain constants; test
calls, prints, plots and magics are left out (they would run at load time). The course's helper modules
(dnn_utils, dnn_utils_v2, dnn_app_utils_v3, testCases*) are provided by stand-ins; other missing imports get an
inert placeholder. Responses go to the original stdout; everything the engine prints goes to stderr.
"""
import ast, copy, inspect, json, os, re, sys, traceback, types

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


def mutated(now, before, path):
    """Every place where `now` differs from its deep copy `before` (a list of paths, empty when untouched)."""
    if isinstance(before, np.ndarray):
        if not isinstance(now, np.ndarray) or now.shape != before.shape:
            return [f'{path} (replaced or reshaped)']
        return [] if np.array_equal(now, before, equal_nan=True) else [path]
    if isinstance(before, (list, tuple)):
        if not isinstance(now, (list, tuple)) or len(now) != len(before):
            return [f'{path} (length changed)']
        return [d for i, (a, b) in enumerate(zip(now, before)) for d in mutated(a, b, f'{path}[{i}]')]
    if isinstance(before, dict):
        if not isinstance(now, dict):
            return [f'{path} (replaced)']
        out = [f'{path}[{k!r}] (added)' for k in now if k not in before]
        out += [f'{path}[{k!r}] (removed)' for k in before if k not in now]
        return out + [d for k in before if k in now for d in mutated(now[k], before[k], f'{path}[{k!r}]')]
    return []


def argument_names(fn, n):
    """The function's own parameter names for its first n positional arguments (args[i] where unknown)."""
    try:
        params = [p.name for p in inspect.signature(fn).parameters.values()
                  if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    except (TypeError, ValueError):
        params = []
    return [params[i] if i < len(params) else f'args[{i}]' for i in range(n)]


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


def why_not_kept(node):
    """Why a module-level statement is not run at load time (the report lists it)."""
    for n in ast.walk(node):
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == 'get_ipython':
            return 'IPython call'
    return 'not run at load time (test call, print, plot or computed value)'


class Loader:
    """Takes from each source (a .py file, or each code cell of a notebook) what defines the engine, and records
    everything it leaves out: `dropped` (where, the line's first characters, why), `broken` (a function whose
    definition does not parse: its SyntaxError)."""

    MAGIC = re.compile(r'^\s*(%|!|\?)')

    def __init__(self, path):
        self.path = path
        self.dropped = []
        self.broken = {}
        self.namespace = {'__name__': 'engine_under_test', '__file__': path}

    def where(self, cell, line):
        return f'line {line}' if cell is None else f'cell {cell} line {line}'

    def drop(self, cell, line, text, why):
        self.dropped.append({'where': self.where(cell, line), 'text': text.strip()[:60], 'why': why,
                             'order': (cell or 0, line or 0)})

    def parse(self, src, cell):
        """Parses `src`, blanking IPython magic and shell lines (line numbers kept); falls back to top-level block
        by block when something else does not parse, so that one broken definition costs only itself."""
        lines = src.split('\n')
        for _ in range(len(lines) + 1):
            try:
                return [ast.parse('\n'.join(lines))]
            except SyntaxError as e:
                k = (e.lineno or 0) - 1
                if 0 <= k < len(lines) and self.MAGIC.match(lines[k]):
                    self.drop(cell, k + 1, lines[k], 'shell command' if lines[k].lstrip().startswith('!') else 'IPython magic')
                    lines[k] = ''
                    continue
                break
        # block by block: a block starts at a line in column 0 that begins a statement
        starts = [i for i, l in enumerate(lines)
                  if l[:1].strip() and not l.startswith(('#', ')', ']', '}', 'else', 'elif', 'except', 'finally'))
                  and not (i > 0 and lines[i - 1].startswith('@'))]
        trees = []
        for j, start in enumerate(starts):
            end = starts[j + 1] if j + 1 < len(starts) else len(lines)
            block = lines[start:end]
            if self.MAGIC.match(block[0]):
                self.drop(cell, start + 1, block[0], 'shell command' if block[0].lstrip().startswith('!') else 'IPython magic')
                continue
            try:
                trees.append(ast.parse('\n' * start + '\n'.join(block)))
            except SyntaxError as e:
                reason = f'SyntaxError at {self.where(cell, e.lineno)}: {(e.text or "").strip()[:60] or e.msg}'
                m = re.match(r'\s*(?:async\s+)?def\s+(\w+)', next((l for l in block if not l.startswith('@')), ''))
                if m:
                    self.broken[m.group(1)] = f'{reason} ({e.msg})'
                self.drop(cell, start + 1, block[0], f'{reason} ({e.msg})')
        return trees

    def run(self, node, cell):
        mod = ast.Module(body=[node], type_ignores=[])
        code = compile(mod, self.path if cell is None else f'{self.path}[{cell}]', 'exec')
        try:
            exec(code, self.namespace)
            return
        except ImportError:
            if not isinstance(node, (ast.Import, ast.ImportFrom)):
                raise
            # a module the verification does not need (plotting, file formats): an inert placeholder
            for alias in node.names:
                target = node.module if isinstance(node, ast.ImportFrom) else alias.name
                parts = target.split('.')
                for k in range(1, len(parts) + 1):
                    name = '.'.join(parts[:k])
                    if not isinstance(sys.modules.get(name), Placeholder):
                        sys.modules[name] = Placeholder(name)
        exec(code, self.namespace)

    def load(self):
        sys.path.insert(0, os.path.dirname(os.path.abspath(self.path)))
        for cell, src in source_of(self.path):
            for tree in self.parse(src, cell):
                for node in tree.body:
                    text = ast.get_source_segment(src, node) or ''
                    text = text.split('\n')[0] if text else type(node).__name__
                    if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
                        continue  # a docstring or a bare constant: nothing to run, nothing lost
                    if not keep(node):
                        self.drop(cell, node.lineno, text, why_not_kept(node))
                        continue
                    try:
                        self.run(node, cell)
                    except Exception as e:  # noqa: BLE001 - a failing statement costs only itself
                        self.drop(cell, node.lineno, text, f'raised {type(e).__name__}: {str(e)[:80]}')
        self.dropped.sort(key=lambda d: d.pop('order'))
        return self.namespace


def source_of(path):
    """(cell index or None, source) pairs: the code cells of a notebook, or the whole .py file."""
    if path.endswith('.ipynb'):
        with open(path, encoding='utf-8') as f:
            nb = json.load(f)
        return [(i, ''.join(c.get('source', [])) if isinstance(c.get('source'), list) else c.get('source', ''))
                for i, c in enumerate(nb.get('cells', [])) if c.get('cell_type') == 'code']
    with open(path, encoding='utf-8') as f:
        return [(None, f.read())]


def main():
    args = sys.argv[1:]
    path = args[0]
    mapping = {}
    for a in args[1:]:
        if '=' in a:
            k, v = a.split('=', 1)
            mapping[k] = v
    install_standins()
    loader = Loader(path)
    try:
        ns = loader.load()
        load_error = None
    except Exception as e:  # noqa: BLE001 - reported in hello: the run ends with this reason, not a traceback
        ns = loader.namespace
        load_error = f'{type(e).__name__}: {e}'
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        req = json.loads(line)
        rid = req.get('id')
        try:
            op = req.get('op')
            if op == 'hello':
                # functions and callables the file defines; not modules, nor the inert placeholders of failed imports
                names = [k for k, v in ns.items() if callable(v) and not isinstance(v, (type, types.ModuleType))
                         and not k.startswith('_')
                         and getattr(v, '__module__', None) in (None, 'engine_under_test', '__main__')]
                reverse = {v: k for k, v in mapping.items()}
                value = {'name': os.path.basename(path), 'functions': [reverse.get(n, n) for n in names],
                         'dropped': loader.dropped, 'broken': {reverse.get(k, k): v for k, v in loader.broken.items()}}
                if load_error:
                    value['loadError'] = load_error
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
                # the arguments are decoded afresh for every request, so a mutation cannot reach a later call;
                # it is reported beside the value (a warning, or a failure when the value is wrong)
                before = copy.deepcopy((fargs, kwargs))
                value = fn(*fargs, **kwargs)
                names = argument_names(fn, len(fargs))
                changed = [d for i, a in enumerate(fargs) for d in mutated(a, before[0][i], names[i])]
                changed += [d for k, a in kwargs.items() for d in mutated(a, before[1][k], k)]
            else:
                raise ValueError(f'unknown op {op!r}')
            out = {'id': rid, 'ok': True, 'value': encode(value)}
            if op == 'call' and changed:
                out['mutated'] = changed
        except BaseException as e:  # noqa: BLE001 - every failure is reported, none ends the server
            if isinstance(e, (KeyboardInterrupt, SystemExit)):
                raise
            out = {'id': rid, 'ok': False, 'error': {'type': type(e).__name__, 'message': str(e), 'traceback': traceback.format_exc(limit=8)}}
        sys.stderr.flush()
        print(json.dumps(out), file=proto)


if __name__ == '__main__':
    main()
