"""The peer of `dnn-verify grade` in the bench: a course-style grader over the same class of submissions.

Usage: python3 course_grader.py MODE GRADER_DIR_OR_REFERENCE FILE...
  MODE course: GRADER_DIR holds the course's public_tests.py and test_utils.py (W4A1); each submission's ten
               exercises are passed to its *_test functions, as the notebook's graded cells do.
  MODE own:    GRADER_DIR_OR_REFERENCE is a correct implementation (fixtures/engines/correct.py); each exercise is
               called on fixed seeded inputs and compared with the reference's result by np.allclose (our own
               stand-in, with the course grader's cost: one call per test case, NumPy comparisons).

One process imports NumPy (and the tests) once, then forks a child per submission, so that a submission that
hangs (killed after COURSE_GRADER_TIMEOUT seconds, default 3, as grade's per-call timeout) or kills its process
costs only its own row, as in `dnn-verify grade`. The course's own notebooks have no such guard: a hang there
stops the grading.
Prints one JSON object: total seconds, and per submission the exercises that passed.
"""
import ast, io, json, os, select, signal, sys, time, contextlib

import numpy as np

EXERCISES = ['initialize_parameters', 'initialize_parameters_deep', 'linear_forward', 'linear_activation_forward',
             'L_model_forward', 'compute_cost', 'linear_backward', 'linear_activation_backward', 'L_model_backward',
             'update_parameters']
TIMEOUT = float(os.environ.get('COURSE_GRADER_TIMEOUT', '3'))


def code_of(path):
    if path.endswith('.ipynb'):
        with open(path, encoding='utf-8') as f:
            nb = json.load(f)
        return ['\n'.join(l for l in ''.join(c.get('source', [])).split('\n') if not l.lstrip().startswith(('%', '!')))
                for c in nb.get('cells', []) if c.get('cell_type') == 'code']
    with open(path, encoding='utf-8') as f:
        return [f.read()]


def load(path):
    """The submission's functions and imports (what the notebook defines), without its test calls."""
    ns = {'__name__': 'submission'}
    for src in code_of(path):
        tree = ast.parse(src)
        for node in tree.body:
            if isinstance(node, (ast.FunctionDef, ast.Import, ast.ImportFrom)):
                try:
                    exec(compile(ast.Module(body=[node], type_ignores=[]), path, 'exec'), ns)
                except ImportError:
                    pass
    return ns


def own_cases(ref):
    """Seeded inputs for each exercise, built with the reference's own functions where a cache is needed."""
    r = np.random.RandomState(1)
    A, W, b = r.randn(3, 2), r.randn(1, 3), r.randn(1, 1)
    X = r.randn(5, 4)
    params = {'W1': r.randn(4, 5), 'b1': r.randn(4, 1), 'W2': r.randn(3, 4), 'b2': r.randn(3, 1),
              'W3': r.randn(1, 3), 'b3': r.randn(1, 1)}
    AL, caches = ref['L_model_forward'](X, params)
    Y = np.array([[1, 0, 1, 0]])
    grads = ref['L_model_backward'](AL, Y, caches)
    dZ, cache = r.randn(3, 4), (r.randn(5, 4), r.randn(3, 5), r.randn(3, 1))
    dA = r.randn(1, 2)
    act_cache = ref['linear_activation_forward'](A, W, b, 'relu')[1]
    return {
        'initialize_parameters': [(3, 2, 1)],
        'initialize_parameters_deep': [([5, 4, 3],)],
        'linear_forward': [(A, W, b)],
        'linear_activation_forward': [(A, W, b, 'sigmoid'), (A, W, b, 'relu')],
        'L_model_forward': [(X, params)],
        'compute_cost': [(np.array([[0.8, 0.9, 0.4]]), np.array([[1, 1, 0]]))],
        'linear_backward': [(dZ, cache)],
        'linear_activation_backward': [(dA, act_cache, 'sigmoid'), (dA, act_cache, 'relu')],
        'L_model_backward': [(AL, Y, caches)],
        'update_parameters': [(params, grads, 0.1)],
    }


def close(a, b):
    if isinstance(b, dict):
        return isinstance(a, dict) and set(a) == set(b) and all(close(a[k], b[k]) for k in b)
    if isinstance(b, (tuple, list)):
        return isinstance(a, (tuple, list)) and len(a) == len(b) and all(close(x, y) for x, y in zip(a, b))
    if isinstance(b, np.ndarray) or isinstance(b, (float, int, np.floating)):
        a, b = np.asarray(a), np.asarray(b)
        return a.shape == b.shape and np.allclose(a, b)
    return a == b


def grade_own(ns, ref, cases):
    passed = []
    for ex in EXERCISES:
        try:
            if all(close(ns[ex](*args), ref[ex](*args)) for args in cases[ex]):
                passed.append(ex)
        except Exception:
            pass
    return passed


def grade_course(ns, tests):
    passed = []
    for ex in EXERCISES:
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                getattr(tests, ex + '_test')(ns[ex])
            passed.append(ex)
        except Exception:
            pass
    return passed


def main():
    mode, where, files = sys.argv[1], sys.argv[2], sys.argv[3:]
    t0 = time.perf_counter()
    if mode == 'course':
        sys.path.insert(0, where)
        import public_tests as tests
        grade = lambda ns: grade_course(ns, tests)
    else:
        ref = load(where)
        cases = own_cases(ref)
        grade = lambda ns: grade_own(ns, ref, cases)
    rows = []
    for path in files:
        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(r)
            # what the submission prints goes nowhere (the parent's stdout carries the result)
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, 1)
            os.dup2(devnull, 2)
            sys.stdout = open(os.devnull, 'w')
            try:
                out = {'passed': grade(load(path))}
            except BaseException as e:
                out = {'passed': [], 'error': f'{type(e).__name__}: {e}'}
            os.write(w, json.dumps(out).encode())
            os._exit(0)
        os.close(w)
        ready, _, _ = select.select([r], [], [], TIMEOUT)
        data = b''
        if ready:
            while True:
                chunk = os.read(r, 65536)
                if not chunk:
                    break
                data += chunk
        else:
            os.kill(pid, signal.SIGKILL)
        os.close(r)
        os.waitpid(pid, 0)
        row = json.loads(data) if data else {'passed': [], 'error': 'hung (killed)' if not ready else 'crashed'}
        row['file'] = os.path.basename(path)
        rows.append(row)
    print(json.dumps({'seconds': time.perf_counter() - t0, 'rows': rows}))


if __name__ == '__main__':
    main()
