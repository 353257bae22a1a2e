"""Serves a student's Python module or Jupyter notebook over the dnn-verify protocol.

Usage: python3 runner.py FILE.py|FILE.ipynb [--load auto|module|notebook] [--checked name,name,...]
       [--map notebook_name=engine_name ...]

Trust (../README.md, "What the suite trusts of a Python engine"): everything in this process after the student's
first statement runs can be patched by the student's code, so nothing here judges. Before any student code runs, this process sends the
*plan* (a parse of the source: the functions it defines and their parameters, what notebook-style loading leaves
out, definitions that do not parse), the first line on the protocol channel; the suite takes the engine's functions
from it. Each call's answer carries the value and the state of the arguments after the call, which the suite
compares with what it sent (the mutation check). Neither this folder, nor the submission's, nor the working
directory is on sys.path: only the course's stand-ins are importable.

How the file is loaded: a notebook (.ipynb), or a .py with the marks of a notebook export (IPython magics or shell
lines, get_ipython() calls, nbconvert's "# In[ ]:" cell markers, a source that does not parse as a whole, an import
of the course's tests or test cases, or a module-level read of a name nothing in the file binds, which Python could
not import), keeps function and class definitions, imports, assignments of plain constants and every statement that
binds a function (a def, or a name bound to a lambda or to a call wrapping one of the file's functions: jit(f), a
decorator factory) or a name one of its functions reads; the rest (test calls, prints, plots) is listed as dropped.
Such a file of week 2 or 3 gets the names the course template's import cell binds (TEMPLATES) that it reads and never
binds itself (the plan's 'supplied'): an export of the graded cells only, which the course's grader runs after the
template's.
Any other .py, and any file loaded with --load module, is a plain module, run as Python imports it. Responses go to
the original stdout; everything the engine prints goes to stderr.
"""
import ast, importlib.util, json, os, re, sys, traceback, types

sys.dont_write_bytecode = True  # nothing of the engine is cached beside the runner (a classmate would load it)
HERE = os.path.dirname(os.path.abspath(__file__))
# Python put this folder first on sys.path (the script's): it must not stay there (the engine could import the
# runner and patch it), nor may the working directory or anything relative
sys.path[:] = [p for p in sys.path if os.path.isabs(p) and os.path.realpath(p) != os.path.realpath(HERE)]


def _protocol():
    """protocol.py's encode and decode, loaded by path: no module of the runner is left in sys.modules."""
    spec = importlib.util.spec_from_file_location('_dnn_verify_protocol', os.path.join(HERE, 'protocol.py'))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.encode, mod.decode


encode, decode = _protocol()

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


class UnsetTestGlobal:
    """Stands in for a global that a checked function reads and only the file's test code binds, where that code could
    not run here (it needs the course's test data): in the notebook the name exists. Looking things up in it gives
    itself, so a read whose value is never used (`W1 = parameters['W1']` left over from an older signature) costs
    nothing; any use of its value raises, naming it, so no result is ever computed from it."""
    __slots__ = ('_name',)

    def __init__(self, name):
        object.__setattr__(self, '_name', name)

    def _used(self, *args, **kwargs):
        raise TypeError(f"the value of the global {object.__getattribute__(self, '_name')!r} was used: only the "
                        "file's test code binds it, and that code could not run here (it needs the course's test data)")

    def __getattr__(self, name):
        if name.startswith('__'):
            raise AttributeError(name)
        return self

    def __getitem__(self, key):
        return self

    def __repr__(self):
        return f"<the test global {object.__getattribute__(self, '_name')!r}, not set here>"

    __array__ = __call__ = __setattr__ = __setitem__ = __len__ = __iter__ = __contains__ = _used
    __bool__ = __float__ = __int__ = __index__ = __complex__ = _used
    __eq__ = __ne__ = __lt__ = __le__ = __gt__ = __ge__ = _used
    __hash__ = None
    for _op in ('add', 'sub', 'mul', 'matmul', 'truediv', 'floordiv', 'mod', 'pow', 'and', 'or', 'xor', 'lshift',
                'rshift'):
        for _form in ('__%s__', '__r%s__', '__i%s__'):
            locals()[_form % _op] = _used
    __neg__ = __pos__ = __abs__ = __invert__ = __round__ = _used
    del _op, _form


def unset_in(value, depth=0):
    """The name of an UnsetTestGlobal in a returned value (itself, or inside its tuples, lists and dicts), or None."""
    if type(value) is UnsetTestGlobal:
        return object.__getattribute__(value, '_name')
    if depth < 4 and type(value) in (tuple, list):
        return next((n for n in (unset_in(v, depth + 1) for v in value) if n), None)
    if depth < 4 and type(value) is dict:
        return next((n for n in (unset_in(v, depth + 1) for v in value.values()) if n), None)
    return None


# the course's helper modules the stand-ins answer for (standins/); testCases' versions share one stand-in
COURSE_HELPERS = {'dnn_utils', 'dnn_utils_v2', 'dnn_app_utils_v3', 'lr_utils', 'planar_utils', 'testCases',
                  'testCases_v2', 'testCases_v3', 'testCases_v4', 'testCases_v4a', 'public_tests', 'test_utils',
                  'sklearn'}
# a .py that imports these is a notebook's code (its test cells), not an engine module
COURSE_TESTS = {'testCases', 'testCases_v2', 'testCases_v3', 'testCases_v4', 'testCases_v4a', 'public_tests', 'test_utils'}
TEST_CASE_ALIASES = ('testCases_v2', 'testCases_v3', 'testCases_v4', 'testCases_v4a')
# plotting: inert placeholders, whether or not matplotlib is installed (nothing to draw where no one looks)
PLOTTING = ('matplotlib', 'matplotlib.pyplot', 'pylab')
# the graded exercises of "Step by Step" (whose solutions dnn_app_utils_v3 holds) and of the Application notebook
GRADED_STEPS = {'initialize_parameters', 'initialize_parameters_deep', 'linear_forward', 'linear_activation_forward',
                'L_model_forward', 'compute_cost', 'linear_backward', 'linear_activation_backward', 'L_model_backward',
                'update_parameters'}
APPLICATION = {'two_layer_model', 'L_layer_model'}
# the import cell of the course's template, per assignment (named by its marks, as src/assignments/*/index.ts's):
# the course's grader runs the graded cells after it, so an export of only those cells reads names it binds
# (np, copy, planar_utils' sigmoid) without binding them; the test modules' star imports are left out (test names)
TEMPLATES = (
    ({'initialize_with_zeros', 'propagate', 'optimize'},
     'import numpy as np\nimport copy\nimport matplotlib.pyplot as plt\nimport h5py\nimport scipy\n'
     'from PIL import Image\nfrom scipy import ndimage\nfrom lr_utils import load_dataset\n'),
    ({'layer_sizes', 'forward_propagation', 'backward_propagation', 'nn_model'},
     'import numpy as np\nimport copy\nimport matplotlib.pyplot as plt\nimport sklearn\nimport sklearn.datasets\n'
     'import sklearn.linear_model\n'
     'from planar_utils import plot_decision_boundary, sigmoid, load_planar_dataset, load_extra_datasets\n'),
)


def install_standins(application):
    """The course's helper modules (standins/): dnn_utils (and _v2), lr_utils, planar_utils, the course's tests
    (public_tests, test_utils: no-ops) and test cases (testCases*: their data is unavailable), scikit-learn (unavailable),
    plotting (placeholders), and dnn_app_utils_v3 with its step-by-step solutions only in the Application notebook
    (`application`), where the course gives them."""
    sys.path.insert(0, os.path.join(HERE, 'standins'))
    if application:
        sys.path.insert(0, os.path.join(HERE, 'standins_app'))
    import importlib
    dnn_utils = importlib.import_module('dnn_utils')
    sys.modules['dnn_utils_v2'] = dnn_utils
    cases = importlib.import_module('testCases')
    for name in TEST_CASE_ALIASES:
        sys.modules[name] = cases
    for name in PLOTTING:
        sys.modules[name] = Placeholder(name)


def is_constant(value):
    return value is not None and all(not isinstance(n, ast.Call) for n in ast.walk(value))


def module_scope(node):
    """The statements nested in `node` that run in the module's scope (if/for/while/try/with bodies; not the
    bodies of functions or classes)."""
    yield node
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return
    for field in ('body', 'orelse', 'finalbody', 'handlers', 'cases'):
        for child in getattr(node, field, None) or []:
            yield from module_scope(child)


def bound_names(node):
    """The names a module-level statement binds in the module's namespace."""
    out = set()
    for st in module_scope(node):
        if isinstance(st, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            out.add(st.name)
            continue
        if isinstance(st, (ast.Import, ast.ImportFrom)):
            out.update((a.asname or a.name).split('.')[0] for a in st.names if a.name != '*')
            continue
        if isinstance(st, ast.ExceptHandler) and st.name:
            out.add(st.name)
        for field in ('targets', 'target', 'items'):
            value = getattr(st, field, None)
            for t in value if isinstance(value, list) else [value] if value is not None else []:
                t = getattr(t, 'optional_vars', t)  # a with item
                for n in ast.walk(t) if t is not None else []:
                    if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store):
                        out.add(n.id)
        if isinstance(st, (ast.Expr, ast.If, ast.While, ast.Assert, ast.Return)) or hasattr(st, 'value'):
            for n in ast.walk(getattr(st, 'value', None) or getattr(st, 'test', None) or ast.Pass()):
                if isinstance(n, ast.NamedExpr):
                    out.add(n.target.id)
    return out


def free_names(fn):
    """The global names a function reads (an over-approximation: every name it loads that it does not bind)."""
    a = fn.args
    local = {p.arg for p in a.posonlyargs + a.args + a.kwonlyargs + [x for x in (a.vararg, a.kwarg) if x]}
    loads = set()
    for n in ast.walk(fn):
        if isinstance(n, ast.Name):
            (loads if isinstance(n.ctx, ast.Load) else local).add(n.id)
        elif isinstance(n, ast.Global):
            loads.update(n.names)
    # decorators and defaults are read at load time, the body at call time
    return loads - local | {n.id for d in fn.decorator_list for n in ast.walk(d) if isinstance(n, ast.Name)}


def call_graph(defs, public, checked=()):
    """Per public function (its last definition, the one Python keeps), the file's functions whose bugs can show in
    it: those it reaches by name, directly or through the file's other functions, and those it shares a helper with
    (an engine whose linear_activation_backward and sigmoid_backward both use `_activation_vjp`). A helper is a
    function the suite does not check. A name reached some other way (an alias bound at module level) is not seen."""
    last = {d.name: d for d in defs}
    direct = {name: free_names(d) & set(last) for name, d in last.items()}

    def reach(name):
        seen, todo = set(), list(direct[name])
        while todo:
            g = todo.pop()
            if g not in seen:
                seen.add(g)
                todo += direct.get(g, ())
        return seen

    reached = {name: reach(name) for name in last}
    helpers = set(last) - set(checked) if checked else {n for n in last if n.startswith('_')}
    out = {}
    for name in public:
        if name in last:
            shared = {g for g in public if g in last and g != name and reached[name] & reached[g] & helpers}
            out[name] = sorted((reached[name] | shared) - {name})
    return out


def test_globals(nodes, defs, where, checked=()):
    """Per function, the globals it reads that the file binds only through module-level statements calling one of
    its own functions (test code: `grads, cost = propagate(w, b, X, Y)`): the function works after that line ran
    (imported, or in the notebook's kernel) and raises NameError without it. Names bound anywhere by a def, class,
    import, loop, `global` or any other assignment are never reported; {} when a star import hides what it binds."""
    import builtins
    own = {d.name for d in defs}
    # the course's test-case builders (forward_propagation_test_case(), ...): a line calling one is a test cell's too
    course = star_names('testCases') or set()
    safe = set(dir(builtins)) | set(checked)  # a checked name is the engine's function, whatever binds it
    tests = {}  # name -> {where, text} of the first test statement binding it
    for cell, src, node in nodes:
        for st in module_scope(node):
            if isinstance(st, ast.ImportFrom) and any(a.name == '*' for a in st.names):
                names = star_names(st.module)
                if names is None:
                    return {}
                safe |= names
            if isinstance(st, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
                targets = st.targets if isinstance(st, ast.Assign) else [st.target]
                names = {n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)}
                calls = st.value is not None and any(
                    isinstance(n, ast.Call) and (isinstance(n.func, ast.Name) and n.func.id in own | course
                                                 or isinstance(n.func, ast.Attribute) and n.func.attr in course)
                    for n in ast.walk(st.value))
                if not calls:
                    safe |= names
                    continue
                text = (ast.get_source_segment(src, st) or '').split('\n')[0].strip()[:80]
                for name in names:
                    tests.setdefault(name, {'where': where(cell, st.lineno), 'text': text})
            elif isinstance(st, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Import, ast.ImportFrom)):
                safe |= bound_names(st)
            else:  # loop targets, with ... as, except ... as, := : bound by something other than test code
                for field in ('target', 'items', 'name'):
                    v = getattr(st, field, None)
                    for t in v if isinstance(v, list) else [v] if v is not None else []:
                        t = getattr(t, 'optional_vars', t)
                        if isinstance(t, str):
                            safe.add(t)
                        elif isinstance(t, ast.AST):
                            safe |= {n.id for n in ast.walk(t) if isinstance(n, ast.Name)}
            for n in ast.walk(st) if not isinstance(st, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) else []:
                if isinstance(n, ast.NamedExpr):
                    safe.add(n.target.id)
    for _, _, node in nodes:  # a function that declares a name global may bind it itself
        safe |= {name for n in ast.walk(node) if isinstance(n, ast.Global) for name in n.names}
    out = {}
    for d in defs:
        reads = sorted(n for n in free_names(d) if n in tests and n not in safe and n not in own)
        if reads and not d.name.startswith('_'):
            out[d.name] = [dict(name=n, **tests[n]) for n in reads]
    return out


STANDINS = os.path.join(HERE, 'standins')


def star_names(module):
    """The names `from module import *` binds, for the course's stand-ins (read from their source, not run); None for
    any other module (its names are unknown here)."""
    base = module.split('.')[-1] if module else ''
    if base in ('testCases_v2', 'testCases_v3', 'testCases_v4', 'testCases_v4a'):
        base = 'testCases'
    path = os.path.join(STANDINS, base + '.py')
    if base in ('public_tests', 'test_utils', 'testCases'):
        path = os.path.join(STANDINS, 'course_tests.py')
    if not os.path.exists(path):
        return None
    with open(path, encoding='utf-8') as f:
        tree = ast.parse(f.read())
    names = {n for node in tree.body for n in bound_names(node)}
    # the test modules bind the names listed in course_tests' TESTS and CASES
    names |= {e.value for n in ast.walk(tree) if isinstance(n, ast.List) for e in n.elts if isinstance(e, ast.Constant)}
    return names


def unbound_read(tree):
    """The first name the module level reads that nothing in the file binds (not a builtin, not bound by any
    statement, function, import or loop anywhere in it): (name, line), or None. Python cannot import such a file
    (NameError); it is a notebook's cells with those that define the name left out."""
    import builtins
    bound = set(dir(builtins)) | {'__name__', '__file__', '__doc__', '__builtins__', '__spec__', '__loader__'}
    for n in ast.walk(tree):
        if isinstance(n, ast.Name) and not isinstance(n.ctx, ast.Load):
            bound.add(n.id)
        elif isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(n.name)
        elif isinstance(n, (ast.Import, ast.ImportFrom)):
            if any(a.name == '*' for a in n.names):
                names = star_names(n.module) if isinstance(n, ast.ImportFrom) else None
                if names is None:
                    return None  # what a star import binds is unknown here
                bound |= names
            bound.update((a.asname or a.name).split('.')[0] for a in n.names)
        elif isinstance(n, (ast.Global, ast.Nonlocal)):
            bound.update(n.names)
        elif isinstance(n, ast.ExceptHandler) and n.name:
            bound.add(n.name)
        elif isinstance(n, (ast.MatchAs, ast.MatchStar)) and n.name:
            bound.add(n.name)

    def reads(node):  # the module level's loads: not inside a function's or a lambda's body, nor a class's
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
            yield node
        for child in ast.iter_child_nodes(node):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and child not in node.decorator_list \
                    and child is not node.args:
                continue
            if isinstance(node, ast.ClassDef) and child not in node.decorator_list + node.bases + node.keywords:
                continue
            if isinstance(node, ast.Lambda) and child is not node.args:
                continue
            yield from reads(child)

    for stmt in tree.body:
        for n in reads(stmt):
            if n.id not in bound:
                return n.id, n.lineno
    return None


def imported(node):
    """The modules an import statement names."""
    if isinstance(node, ast.ImportFrom):
        return [node.module or '']
    return [a.name for a in node.names]


def parameters(args):
    return [p.arg for p in args.posonlyargs + args.args]


def function_binding(st, defs):
    """(name, parameters) where a module-level statement binds a plain name to a function: a lambda, or a call that
    wraps a function of the file or a lambda (a decorator factory, jit(f), functools.partial(f, ...)); the wrapped
    function's parameters stand for the wrapper's. (None, None) for any other statement."""
    if not isinstance(st, (ast.Assign, ast.AnnAssign)) or st.value is None:
        return None, None
    targets = st.targets if isinstance(st, ast.Assign) else [st.target]
    if len(targets) != 1 or not isinstance(targets[0], ast.Name):
        return None, None
    value = st.value
    if isinstance(value, ast.Lambda):
        return targets[0].id, parameters(value.args)
    if isinstance(value, ast.Call):
        for arg in value.args + [k.value for k in value.keywords]:
            if isinstance(arg, ast.Lambda):
                return targets[0].id, parameters(arg.args)
            if isinstance(arg, ast.Name) and arg.id in defs:
                return targets[0].id, parameters(defs[arg.id].args)
    return None, None


def why_not_kept(node):
    """Why a module-level statement is not run at load time (the report lists it)."""
    for n in ast.walk(node):
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == 'get_ipython':
            return 'IPython call'
    return 'not run at load time (test call, print, plot or computed value)'


class Loader:
    """Takes from each source (a .py file, or each code cell of a notebook) what defines the engine, and records
    everything it leaves out: `dropped` (where, the line's first characters, why), `broken` (a function whose
    definition does not parse: its SyntaxError). `plan()` decides from the parse alone, before anything runs."""

    MAGIC = re.compile(r'^\s*(%|!|\?)')
    EXPORT = re.compile(r'^(\s*[%!]|# In\[[\s\d]*\]:|.*\bget_ipython\s*\()', re.M)

    def __init__(self, path, load='auto', checked=()):
        self.path = path
        self.load_as = load
        self.checked = set(checked)  # the names the suite checks (engine names): whatever binds one is kept
        self.dropped = []
        self.broken = {}
        self.statements = []  # (cell, node, first line) to run, in order
        self.functions = {}  # public function name -> its parameters
        self.namespace = {'__name__': 'engine_under_test', '__file__': path}
        self.mode_reason = None  # why a .py without a notebook's marks is loaded as one
        self.template = {}  # name -> the course template's import statement binding it (notebook cells only)
        self.supplied = []  # the template's names the file reads and never binds, bound from the template first
        self.template_values = {}  # name -> value, from the template's statements run so far
        self.test_globals = {}  # function -> the globals it reads that only test code binds (test_globals)
        self.calls = {}  # function -> the file's functions it calls, directly or through its helpers (call_graph)
        self.unset = []  # those of them no statement bound here: each is an UnsetTestGlobal

    def where(self, cell, line):
        return f'line {line}' if cell is None else f'cell {cell} line {line}'

    def drop(self, cell, line, text, why):
        self.dropped.append({'where': self.where(cell, line), 'text': text.strip()[:60], 'why': why,
                             'order': [cell or 0, line or 0]})

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
                column = f', column {e.offset}' if e.offset else ''
                reason = f'SyntaxError at {self.where(cell, e.lineno)}{column}: {(e.text or "").strip()[:60] or e.msg}'
                m = re.match(r'\s*(?:async\s+)?def\s+(\w+)', next((l for l in block if not l.startswith('@')), ''))
                if m:
                    self.broken[m.group(1)] = f'{reason} ({e.msg})'
                self.drop(cell, start + 1, block[0], f'{reason} ({e.msg})')
        return trees

    def notebook_style(self, sources):
        """A notebook, a .py with the marks of a notebook export, or one that does not parse as a whole. Sets
        `mode_reason`, in words a student reads in the report, whenever a .py is read as a notebook's cells."""
        if self.load_as != 'auto':
            if self.load_as == 'notebook' and not self.path.endswith('.ipynb'):
                self.mode_reason = '--load notebook asked for it'
            return self.load_as == 'notebook'
        if self.path.endswith('.ipynb') or len(sources) != 1:
            return True
        src = sources[0][1]
        mark = self.EXPORT.search(src)
        if mark:
            line = src.count('\n', 0, mark.end() - 1) + 1  # the mark's own line (the pattern's \s* spans blank lines)
            text = src.split('\n')[line - 1].strip()[:40]
            self.mode_reason = (f'line {line} ({text}) is something only a notebook has (a cell marker, an IPython '
                                "magic, a shell command, get_ipython()): the file is a notebook's cells saved as .py")
            return True
        try:
            tree = ast.parse(src)
        except SyntaxError as e:
            self.mode_reason = (f'line {e.lineno or "?"} is not Python ({e.msg}): read block by block, so that '
                                'what does not parse costs only itself')
            return True
        unbound = unbound_read(tree)
        if unbound:
            self.mode_reason = (f'line {unbound[1]} reads {unbound[0]}, which nothing in the file defines: Python '
                                "could not import it as a module; it is a notebook's cells without the one that "
                                'defines it')
            return True
        tests = next((n for n in ast.walk(tree) if isinstance(n, (ast.Import, ast.ImportFrom))
                      and any(name.split('.')[-1] in COURSE_TESTS for name in imported(n))), None)
        if tests:
            self.mode_reason = (f"line {tests.lineno} imports the course's tests ({', '.join(imported(tests))}): "
                                "the file is a notebook's cells, its test calls included")
            return True
        return False

    def plan(self):
        """Decides, from the parse alone, what runs at load time, the functions defined and what is left out."""
        sources = source_of(self.path)
        self.mode = 'notebook' if self.notebook_style(sources) else 'module'
        nodes = []
        for cell, src in sources:
            if self.mode == 'module':
                nodes += [(cell, src, node) for node in ast.parse(src).body]
                continue
            for tree in self.parse(src, cell):
                nodes += [(cell, src, node) for node in tree.body]
        defs = [d for _, _, node in nodes for d in module_scope(node)
                if isinstance(d, (ast.FunctionDef, ast.AsyncFunctionDef))]
        for d in defs:
            if not d.name.startswith('_'):
                self.functions[d.name] = parameters(d.args)
        self.calls = call_graph(defs, self.functions, self.checked)
        # a function bound by an assignment: `compute_cost = jit(_cost)`, `compute_cost = _doubled(compute_cost)`,
        # `relu = lambda Z: ...` is a function Python would run under that name, so the suite checks it
        wrapped = {name: params for _, _, node in nodes for st in module_scope(node)
                   for name, params in [function_binding(st, {d.name: d for d in defs})] if name}
        for name, params in wrapped.items():
            if not name.startswith('_'):
                self.functions.setdefault(name, params)
        # a name the suite checks, bound by an assignment of any value (`compute_cost = make_cost()`): Python binds
        # it, so it is the engine's, its parameters unknown before it runs (an import of the course's helper, e.g.
        # planar_utils' sigmoid, is not the student's function)
        bound_checked = {n for _, _, node in nodes for st in module_scope(node)
                         if isinstance(st, (ast.Assign, ast.AnnAssign)) for n in bound_names(st) & self.checked}
        for name in sorted(bound_checked - set(self.functions)):
            self.functions[name] = []
        # never left out: a statement that binds a function's name (a decorator factory, jit(f)) or a name the suite
        # checks, or a name a function reads (a constant computed by a call, a module imported under a condition)
        protected = {d.name for d in defs} | set(wrapped) | bound_checked | {n for d in defs for n in free_names(d)}
        for cell, src, node in nodes:
            text = ast.get_source_segment(src, node) or ''
            text = text.split('\n')[0] if text else type(node).__name__
            if self.mode == 'module' or self.keep(node, protected):
                self.statements.append((cell, node, text))
            elif not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)):
                self.drop(cell, node.lineno, text, why_not_kept(node))
        try:  # a warning's evidence: never a reason for the file not to load
            self.test_globals = test_globals(nodes, defs, self.where, self.checked)
        except Exception:  # noqa: BLE001
            self.test_globals = {}
        names = set(self.functions)
        self.application = bool(names & APPLICATION) and not names & GRADED_STEPS
        self.dropped.sort(key=lambda d: d['order'])
        if self.mode == 'notebook':
            self.plan_template(names, [node for _, _, node in nodes])
        return self

    def plan_template(self, names, nodes):
        """The course template's import cell for the assignment whose marks the file defines, and the names of it
        the file reads but binds nowhere (`supplied`): a plain module never gets here (Python imports it as is)."""
        marks, source = max(TEMPLATES, key=lambda t: len(t[0] & names))
        if not marks & names:
            return
        for st in ast.parse(source).body:
            for name in bound_names(st):
                self.template[name] = st
        bound, reads = set(), set()
        for node in nodes:
            for n in ast.walk(node):
                if isinstance(n, ast.Name):
                    (reads if isinstance(n.ctx, ast.Load) else bound).add(n.id)
                elif isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                    bound.add(n.name)
                elif isinstance(n, (ast.Import, ast.ImportFrom)):
                    bound |= bound_names(n)
                    if any(a.name == '*' for a in n.names):
                        bound |= star_names(n.module) if isinstance(n, ast.ImportFrom) and star_names(n.module) \
                            else set(self.template)  # what it binds is unknown here: nothing is supplied
                elif isinstance(n, ast.ExceptHandler) and n.name:
                    bound.add(n.name)
        self.supplied = sorted(n for n in reads - bound if n in self.template)

    def from_template(self, name):
        """The value the course template's import cell binds to `name` (its statement run once, after the stand-ins
        are installed; a module the verification does not need is a placeholder, as in the file's own imports)."""
        if name not in self.template_values:
            st = self.template[name]
            code = compile(ast.Module(body=[st], type_ignores=[]), '<course template>', 'exec')
            ns = {}
            try:
                exec(code, ns)
            except ImportError:
                for alias in st.names:
                    placehold(st.module if isinstance(st, ast.ImportFrom) else alias.name)
                exec(code, ns)
            self.template_values.update((k, v) for k, v in ns.items() if k in self.template)
        return self.template_values[name]

    @staticmethod
    def keep(node, protected):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Import, ast.ImportFrom)):
            return True
        if bound_names(node) & protected:
            return True
        if isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            return all(isinstance(t, ast.Name) for t in targets) and is_constant(node.value)
        return False

    def run(self, node, cell):
        mod = ast.Module(body=[node], type_ignores=[])
        code = compile(mod, self.path if cell is None else f'{self.path}[{cell}]', 'exec')
        try:
            exec(code, self.namespace)
            return
        except ImportError as e:
            if not isinstance(node, (ast.Import, ast.ImportFrom)):
                raise
            first = e
        if isinstance(node, ast.ImportFrom) and node.level:
            # `from .lr_utils import load_dataset`: the student's package is not here; the course's helper is
            node = ast.ImportFrom(module=node.module, names=node.names, level=0, lineno=node.lineno, col_offset=0)
            code = compile(ast.Module(body=[node], type_ignores=[]), self.path, 'exec')
        for alias in node.names:
            target = node.module if isinstance(node, ast.ImportFrom) else alias.name
            if target:
                placehold(target)
        # an import that fails (`from GRADED_FUNCTION import sigmoid`, an IDE's auto-import) costs only this
        # statement: a name the course template binds from another module keeps the template's value, not a
        # placeholder
        kept = sorted(n for n in bound_names(node)
                      if n in self.template and imported(self.template[n]) != imported(node))
        try:
            exec(code, self.namespace)
        finally:
            for name in kept:
                self.namespace[name] = self.from_template(name)
        if kept:
            raise ModuleNotFoundError(f"{first}; {', '.join(kept)}: the course template's")

    def load(self):
        """Runs the planned statements; returns the statements that raised (a notebook's cost only themselves; a
        plain module's first one ends the load, as in Python)."""
        raised = []
        # a plain module loads as Python imports it, except where the course's data set was asked for: the grader
        # does not have it (course_data.py), so that statement, and from there on any statement that fails, costs
        # only itself, as in a notebook export (said in the plan's 'raised' list)
        lenient = self.mode != 'module'
        for name in self.supplied:
            self.namespace[name] = self.from_template(name)
        for cell, node, text in self.statements:
            try:
                self.run(node, cell)
            except Exception as e:  # noqa: BLE001 - a failing statement costs only itself
                if not lenient and type(e).__name__ != 'CourseDataUnavailable':
                    raise
                lenient = True
                raised.append({'where': self.where(cell, node.lineno), 'text': text.strip()[:60],
                               'why': f'raised {type(e).__name__}: {str(e)[:80]}', 'order': [cell or 0, node.lineno]})
        # a global a function reads and only test code binds, whose test line could not run here: the notebook has it
        self.unset = sorted({g['name'] for gs in self.test_globals.values() for g in gs} - set(self.namespace))
        for name in self.unset:
            self.namespace[name] = UnsetTestGlobal(name)
        return raised


def placehold(target):
    """Makes `import target` succeed: a course helper under a package prefix (`from week2.lr_utils import
    load_dataset`) is the course's stand-in; any other module the verification does not need (file formats, images)
    is an inert placeholder. A module already imported is never replaced (`import numpy.nothing` leaves numpy)."""
    import importlib
    parts = target.split('.')
    helper = next((k for k, p in enumerate(parts) if p in COURSE_HELPERS), None)
    for k in range(1, len(parts) + 1):
        name = '.'.join(parts[:k])
        if name in sys.modules and not isinstance(sys.modules[name], Placeholder):
            continue
        if helper is not None and k > helper:
            sub = '.'.join(parts[helper:k])
            try:
                module = importlib.import_module(sub)
            except ImportError:
                module = Placeholder(name)
        else:
            module = sys.modules[name] if isinstance(sys.modules.get(name), Placeholder) else Placeholder(name)
        sys.modules[name] = module
        if k > 1:
            setattr(sys.modules['.'.join(parts[:k - 1])], parts[k - 1], module)


def source_of(path):
    """(cell index or None, source) pairs: the code cells of a notebook, or the whole .py file."""
    if path.endswith('.ipynb'):
        with open(path, encoding='utf-8') as f:
            text = f.read()
        try:
            nb = json.loads(text)
        except json.JSONDecodeError as e:
            if 'Invalid \\escape' not in str(e):
                raise
            # a backslash that escapes nothing (a notebook edited by hand): kept as a backslash, as Jupyter shows it
            nb = json.loads(re.sub(r'\\(.)', lambda m: m[0] if m[1] in '"\\/bfnrtu' else '\\' + m[0], text, flags=re.S))
        return [(i, ''.join(c.get('source', [])) if isinstance(c.get('source'), list) else c.get('source', ''))
                for i, c in enumerate(nb.get('cells', [])) if c.get('cell_type') == 'code']
    with open(path, encoding='utf-8') as f:
        return [(None, f.read())]


def main():
    args = sys.argv[1:]
    path = os.path.abspath(args[0])
    mapping = {}
    load_as = 'auto'
    checked = []
    rest = iter(args[1:])
    for a in rest:
        if a == '--load':
            load_as = next(rest, 'auto')
        elif a == '--checked':
            checked = [n for n in next(rest, '').split(',') if n]
        elif '=' in a:
            k, v = a.split('=', 1)
            mapping[k] = v
    reverse = {v: k for k, v in mapping.items()}
    # nothing beside the submission is importable (a classmate's h5py.py), whatever put its folder on the path
    folder = os.path.realpath(os.path.dirname(path))
    sys.path[:] = [p for p in sys.path if os.path.realpath(p) != folder]

    # the plan, sent before any of the student's code runs: what the suite takes as the engine's functions
    loader = Loader(path, load_as, [mapping.get(n, n) for n in checked])
    try:
        loader.plan()
        plan = {'mode': loader.mode,
                'functions': {reverse.get(k, k): v for k, v in loader.functions.items()},
                'dropped': loader.dropped, 'broken': {reverse.get(k, k): v for k, v in loader.broken.items()},
                'application': loader.application}
        if loader.mode_reason:
            plan['modeReason'] = loader.mode_reason
        if loader.supplied:
            plan['supplied'] = loader.supplied
        if loader.test_globals:
            plan['testGlobals'] = {reverse.get(k, k): v for k, v in loader.test_globals.items()}
        if loader.calls:
            plan['calls'] = {reverse.get(k, k): [reverse.get(g, g) for g in v] for k, v in loader.calls.items()}
    except Exception as e:  # noqa: BLE001 - reported in the plan: the run ends with this reason, not a traceback
        loader.statements = []
        loader.application = False
        plan = {'functions': {}, 'dropped': loader.dropped, 'broken': loader.broken,
                'loadError': f'{type(e).__name__}: {e}'}
    print(json.dumps({'id': 0, 'ok': True, 'value': plan}), file=proto)

    install_standins(loader.application)
    serve = server(loader, mapping)
    # the student's namespace is the __main__ module (as in a notebook); the runner's module is not reachable by name
    student = types.ModuleType('engine_under_test')
    student.__dict__.update(loader.namespace)
    loader.namespace = student.__dict__
    sys.modules['__main__'] = sys.modules['engine_under_test'] = student
    for name in [k for k in sys.modules if k == 'protocol' or k.startswith('_dnn_verify')]:
        del sys.modules[name]
    try:
        raised = loader.load()
        load_error = None
    except Exception as e:  # noqa: BLE001 - reported in hello: the run ends with this reason, not a traceback
        raised = []
        load_error = f'{type(e).__name__}: {e}'
    serve(raised, load_error)


def server(loader, mapping, stdin=sys.stdin, write=proto.write, encode=encode, decode=decode, loads=json.loads,
           dumps=json.dumps, seed=np.random.seed, format_exc=traceback.format_exc, flush=sys.stderr.flush):
    """The request loop, with every reference it uses bound now, before the student's code runs: rebinding a
    module's attribute (json.dumps, np.random.seed, sys.stdin) afterwards does not reach it."""
    reverse = {v: k for k, v in mapping.items()}

    def after_of(values):
        out = []
        for v in values:
            try:
                out.append(encode(v))
            except Exception as e:  # noqa: BLE001 - the argument now holds something that is not a notebook value
                out.append({'__unsendable__': type(e).__name__})
        return out

    def serve(raised, load_error):
        ns_ = loader.namespace
        for line in stdin:
            line = line.strip()
            if not line:
                continue
            req = loads(line)
            rid = req.get('id')
            after = None
            try:
                op = req.get('op')
                if op == 'hello':
                    # what loading showed (statements that raised, a load error); the rest repeats the plan, for a
                    # client that does not read it (--command): such a client gets no mutation check
                    dropped = sorted(loader.dropped + raised, key=lambda d: d['order'])
                    value = {'name': os.path.basename(loader.path), 'raised': raised,
                             'functions': [] if load_error else [reverse.get(n, n) for n in loader.functions],
                             'dropped': [{k: d[k] for k in ('where', 'text', 'why')} for d in dropped],
                             'broken': {reverse.get(k, k): v for k, v in loader.broken.items()}}
                    if load_error:
                        value['loadError'] = load_error
                    if loader.unset:
                        value['unsetTestGlobals'] = loader.unset
                elif op == 'seed':
                    seed(req['seed'])
                    value = None
                elif op == 'bye':
                    write(dumps({'id': rid, 'ok': True, 'value': None}) + '\n')
                    return
                elif op == 'call':
                    name = mapping.get(req['fn'], req['fn'])
                    fn = ns_.get(name)
                    if not callable(fn):
                        raise NameError(f"the engine defines no function {name!r}")
                    # decoded afresh for every request, so a mutation cannot reach a later call; the arguments'
                    # state after the call goes back with the value, and the suite compares it with what it sent
                    # held in a tuple: a function that reaches this frame cannot swap an argument for a pristine
                    # copy (to look untouched it has to restore the argument itself)
                    fargs = tuple(decode(a) for a in req.get('args', []))
                    knames = tuple(req.get('kwargs', {}))
                    kvalues = tuple(decode(req['kwargs'][k]) for k in knames)
                    value = fn(*fargs, **dict(zip(knames, kvalues)))
                    unset = unset_in(value) if loader.unset else None  # walked only where a stand-in exists
                    if unset:  # a function returning a global only unrunnable test code binds: Python's own error
                        raise NameError(f"name {unset!r} is not defined (only the file's test code binds it, and that "
                                        "code could not run here)")
                    after = {'args': after_of(fargs), 'kwargs': dict(zip(knames, after_of(kvalues)))}
                else:
                    raise ValueError(f'unknown op {op!r}')
                out = {'id': rid, 'ok': True, 'value': encode(value)}
                if after is not None:
                    out['after'] = after
            except BaseException as e:  # noqa: BLE001 - every failure is reported, none ends the server
                if isinstance(e, (KeyboardInterrupt, SystemExit)):
                    raise
                out = {'id': rid, 'ok': False, 'error': {'type': type(e).__name__, 'message': str(e), 'traceback': format_exc(limit=8)}}
            flush()
            write(dumps(out) + '\n')

    return serve


if __name__ == '__main__':
    main()
