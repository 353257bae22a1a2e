"""Python side of the dnn-verify protocol (src/protocol/README.md): values to and from JSON, losslessly."""
import base64
import math
import numpy as np


def encode(v):
    if v is None or isinstance(v, (bool, str)):
        return v
    if isinstance(v, np.bool_):
        return bool(v)
    if isinstance(v, (int, np.integer)):
        return int(v)
    if isinstance(v, (float, np.floating)):
        f = float(v)
        if math.isnan(f):
            return {'__float__': 'nan'}
        if math.isinf(f):
            return {'__float__': 'inf' if f > 0 else '-inf'}
        if f == 0 and math.copysign(1, f) < 0:
            return {'__float__': '-0'}
        return f
    if isinstance(v, np.ndarray):
        if v.dtype.kind in 'fiub':
            # np.ascontiguousarray would turn a 0-d array (np.squeeze's cost) into shape (1,): keep ndim
            a = np.asarray(v, dtype='<f8', order='C')
            return {'__ndarray__': {'dtype': 'float64', 'shape': list(a.shape), 'data': base64.b64encode(a.tobytes()).decode('ascii')}}
        raise TypeError(f'cannot send an array of dtype {v.dtype}')
    if isinstance(v, tuple):
        return {'__tuple__': [encode(x) for x in v]}
    if isinstance(v, list):
        return [encode(x) for x in v]
    if isinstance(v, dict):
        return {'__dict__': {str(k): encode(x) for k, x in v.items()}}
    raise TypeError(f'cannot send a value of type {type(v).__name__}')


def decode(w):
    if w is None or isinstance(w, (bool, int, float, str)):
        return w
    if isinstance(w, list):
        return [decode(x) for x in w]
    if '__ndarray__' in w:
        a = w['__ndarray__']
        data = np.frombuffer(base64.b64decode(a['data']), dtype='<f8').copy()
        return data.reshape(a['shape'])
    if '__tuple__' in w:
        return tuple(decode(x) for x in w['__tuple__'])
    if '__float__' in w:
        return {'nan': math.nan, 'inf': math.inf, '-inf': -math.inf, '-0': -0.0}[w['__float__']]
    if '__dict__' in w:
        return {k: decode(x) for k, x in w['__dict__'].items()}
    raise ValueError(f'untagged object on the wire: {sorted(w)}')
