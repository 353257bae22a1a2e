"""Golden data of the planar assignment, from NumPy: load_planar_dataset's flower (the course's construction,
written here from its description: np.random.seed(1), m = 400, theta = linspace(j*3.12, (j+1)*3.12, 200) +
randn(200)*0.2, r = 4 sin(4 theta) + randn(200)*0.2, x = (r sin theta, r cos theta)) and the inputs of the course's
seeded test cases (testCases_v2.py, testCases.py, public_tests.py), keyed by the fixture-pack case that
regenerates them. Arrays are float64 bits in base64 (little-endian), booleans as 0./1.
Run: python3 scripts/planar-golden.py > src/assignments/planar/golden/planar.json"""
import base64, json, sys
import numpy as np


def enc(a):
    a = np.asarray(a, dtype='<f8')
    return {'shape': list(a.shape), 'f64': base64.b64encode(a.tobytes()).decode('ascii')}


def flower():
    np.random.seed(1)
    m, N, a = 400, 200, 4
    X = np.zeros((m, 2))
    Y = np.zeros((m, 1))
    for j in range(2):
        t = np.linspace(j * 3.12, (j + 1) * 3.12, N) + np.random.randn(N) * 0.2
        r = a * np.sin(4 * t) + np.random.randn(N) * 0.2
        X[N * j:N * (j + 1)] = np.c_[r * np.sin(t), r * np.cos(t)]
        Y[N * j:N * (j + 1)] = j
    return X.T, Y.T


def seeded(*draws, seed=1):
    """np.random.seed(seed), then each (name, shape, threshold or None) drawn in order."""
    np.random.seed(seed)
    out = {}
    for name, shape, gt in draws:
        v = np.random.randn(*shape)
        out[name] = enc(v > gt if gt is not None else v)
    return out


X, Y = flower()
cases = {
    # testCases.py (v1-v3): Y real-valued
    'planar-v3-en/layer_sizes': seeded(('X', (5, 3), None), ('Y', (2, 3), None)),
    'planar-v3-en/forward_propagation': seeded(('X', (2, 3), None)),
    'planar-v3-en/compute_cost': seeded(('Y', (1, 3), None)),
    'planar-v3-en/backward_propagation': seeded(('X', (2, 3), None), ('Y', (1, 3), None)),
    'planar-v3-en/predict': seeded(('X', (2, 3), None)),
    # testCases_v2.py (v4-v6c, W3A1): Y = randn > 0
    'planar-v4-v6c-en/forward_propagation': seeded(('X', (2, 3), None), ('b1', (4, 1), None)),
    'planar-v4-v6c-en/compute_cost': seeded(('Y', (1, 3), 0)),
    'planar-v4-v6c-en/backward_propagation': seeded(('X', (2, 3), None), ('Y', (1, 3), 0)),
    'planar-v4-v6c-en/nn_model': seeded(('X', (2, 3), None), ('Y', (1, 3), 0)),
    'planar-w3a1-en/compute_cost': seeded(('Y', (1, 3), 0)),
    # public_tests.py (W3A1)
    'planar-w3a1-public-tests/layer_sizes#2': seeded(('X0', (5, 3), None), ('Y0', (2, 3), None), ('X', (7, 5), None), ('Y', (5, 5), None)),
    'planar-w3a1-public-tests/compute_cost': seeded(('Y', (1, 5), 0)),
    'planar-w3a1-public-tests/backward_propagation': seeded(
        ('X', (3, 7), None), ('Y', (1, 7), 0), ('W1', (9, 3), None), ('W2', (1, 9), None),
        ('cA1', (9, 7), None), ('cA2', (1, 7), None), ('cZ1', (9, 7), None), ('cZ2', (1, 7), None)),
}
json.dump({
    'provenance': {'command': 'python3 scripts/planar-golden.py > src/assignments/planar/golden/planar.json',
                   'numpy': np.__version__},
    'flower': {'X': enc(X), 'Y': enc(Y)},
    'cases': cases,
}, sys.stdout, indent=1)
sys.stdout.write('\n')
