"""Measures how the Python runner loads real files: for each file of a corpus manifest, the public functions its
source defines (every `def NAME` at column 0 of a code cell), those the runner's plan lists, those actually callable
once the file is loaded (a call with an unknown keyword answers TypeError, not "the engine defines no function"),
and what loading left out or raised.

Usage: python3 scripts/measure-python-loading.py MANIFEST.json [MANIFEST.json ...] [--json OUT.json]
The corpus (other people's code) stays outside the repository; this script only reads it by path.
"""
import json, os, re, subprocess, sys, tempfile, time

RUNNER = os.environ.get('DNN_VERIFY_RUNNER') or os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'src', 'adapters',
                                                             'python', 'runner.py')
# the names the suite checks, as pythonEngine passes them (src/engine/catalogue.ts)
CHECKED = ('initialize_parameters,initialize_parameters_deep,linear_forward,sigmoid,relu,linear_activation_forward,'
           'L_model_forward,compute_cost,linear_backward,sigmoid_backward,relu_backward,linear_activation_backward,'
           'L_model_backward,update_parameters,predict,two_layer_model,L_layer_model,propagate,optimize,'
           'predict_logistic,forward_propagation,backward_propagation,softmax,stable_softmax,cross_entropy,'
           'cross_entropy_one_hot,delta_cross_entropy,delta_cross_entropy_one_hot')
DEF = re.compile(r'^(?:async\s+)?def\s+([A-Za-z]\w*)\s*\(', re.M)


def sources(path):
    if path.endswith('.ipynb'):
        with open(path, encoding='utf-8') as f:
            text = f.read()
        # a backslash that escapes nothing is read as a backslash, as the runner does
        nb = json.loads(re.sub(r'\\(.)', lambda m: m[0] if m[1] in '"\\/bfnrtu' else '\\' + m[0], text, flags=re.S))
        return [''.join(c['source']) if isinstance(c.get('source'), list) else c.get('source', '')
                for c in nb.get('cells', []) if c.get('cell_type') == 'code']
    with open(path, encoding='utf-8') as f:
        return [f.read()]


def plain(v):
    """A protocol value with its dict wrappers ({'__dict__': ...}) removed."""
    if isinstance(v, dict):
        return plain(v['__dict__']) if set(v) == {'__dict__'} else {k: plain(x) for k, x in v.items()}
    return [plain(x) for x in v] if isinstance(v, list) else v


def measure(path):
    try:
        defined = sorted({m for src in sources(path) for m in DEF.findall(src)})
    except ValueError as e:  # a notebook that is not JSON: the runner says why in its plan
        defined = []
        print(f'  {path}: {e}', file=sys.stderr)
    lines = [json.dumps({'id': 1, 'op': 'hello'})]
    lines += [json.dumps({'id': 2 + i, 'op': 'call', 'fn': fn, 'args': [], 'kwargs': {'__dnn_probe__': 0}})
              for i, fn in enumerate(defined)]
    lines.append(json.dumps({'id': -1, 'op': 'bye'}))
    start = time.time()
    with tempfile.TemporaryDirectory() as cwd:
        try:
            p = subprocess.run([sys.executable, RUNNER, path, '--checked', CHECKED], input='\n'.join(lines) + '\n', capture_output=True,
                               text=True, timeout=120, cwd=cwd)
        except subprocess.TimeoutExpired:
            return {'defined': defined, 'error': 'timed out after 120 s'}
    seconds = round(time.time() - start, 2)
    answers = {}
    for line in p.stdout.splitlines():
        try:
            a = json.loads(line)
        except ValueError:
            continue
        answers[a.get('id')] = a
    plan, hello = answers.get(0, {}).get('value') or {}, (answers.get(1) or {}).get('value') or {}
    plan, hello = plain(plan), plain(hello)
    loaded, missing = [], {}
    for i, fn in enumerate(defined):
        a = answers.get(2 + i)
        if a is None:
            missing[fn] = 'no answer'
        elif not a['ok'] and 'defines no function' in a['error']['message']:
            missing[fn] = 'not defined after loading'
        else:
            loaded.append(fn)
    broken = plan.get('broken') or {}
    for fn in missing:
        if fn in broken:
            missing[fn] = f'broken: {broken[fn]}'
    return {'defined': defined, 'planned': sorted(plan.get('functions') or {}), 'loaded': loaded, 'missing': missing,
            'mode': plan.get('mode'), 'loadError': plan.get('loadError') or hello.get('loadError'),
            'raised': hello.get('raised') or [], 'dropped': len(hello.get('dropped') or []), 'seconds': seconds,
            'stderrTail': p.stderr.strip().splitlines()[-1:] if p.returncode else []}


def main():
    args = sys.argv[1:]
    out = None
    if '--json' in args:
        k = args.index('--json')
        out = args[k + 1]
        del args[k:k + 2]
    results = []
    for manifest in args:
        with open(manifest, encoding='utf-8') as f:
            entries = json.load(f)
        for e in entries:
            r = {'id': e['id'], 'file': e['file'], 'version': e.get('version'), 'label': e['label'].split(':')[0]}
            r.update(measure(e['file']))
            results.append(r)
            status = 'full' if not r.get('missing') and not r.get('error') and not r.get('loadError') else (
                'none' if not r.get('loaded') else 'partial')
            r['status'] = status
            extra = ''
            if r.get('missing'):
                extra += ' missing=' + json.dumps(r['missing'])[:300]
            if r.get('loadError') or r.get('error'):
                extra += f" loadError={r.get('loadError') or r.get('error')}"
            if r.get('raised'):
                extra += ' raised=' + '; '.join(f"{x['text'][:40]} -> {x['why'][:70]}" for x in r['raised'])[:400]
            print(f"{status:8} {r['id']:28} {r.get('mode')} {len(r.get('loaded', []))}/{len(r['defined'])} "
                  f"{r.get('seconds')}s{extra}", flush=True)
    counts = {}
    for r in results:
        counts[r['status']] = counts.get(r['status'], 0) + 1
    print('files:', len(results), counts)
    if out:
        with open(out, 'w', encoding='utf-8') as f:
            json.dump(results, f, indent=1)


if __name__ == '__main__':
    main()
