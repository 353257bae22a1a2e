"""Python side of the dnn-verify protocol (src/protocol/README.md): values to and from JSON, losslessly."""
import math
from base64 import b64decode, b64encode

import numpy as np

# bound here, once: an engine that rebinds numpy's or base64's attributes later does not change the encoding
asarray, frombuffer, ndarray, bool_, integer, floating = np.asarray, np.frombuffer, np.ndarray, np.bool_, np.integer, np.floating
isnan, isinf, copysign, nan, inf = math.isnan, math.isinf, math.copysign, math.nan, math.inf
SAFE = 2 ** 53 - 1  # the largest integer the suite's float64 storage holds exactly
WIRE_DTYPES = {'float64': '<f8', 'float32': '<f4', 'int64': '<i8', 'int32': '<i4', 'bool': '|b1'}


def encode(v):
    if v is None or isinstance(v, (bool, str)):
        return v
    if isinstance(v, bool_):
        return bool(v)
    if isinstance(v, (int, integer)):
        return int(v)
    if isinstance(v, (float, floating)):
        f = float(v)
        if isnan(f):
            return {'__float__': 'nan'}
        if isinf(f):
            return {'__float__': 'inf' if f > 0 else '-inf'}
        if f == 0 and copysign(1, f) < 0:
            return {'__float__': '-0'}
        return f
    if isinstance(v, ndarray):
        if v.dtype.kind == 'f' and v.dtype.itemsize <= 4:
            # float32 (and float16, exactly) as float32 bytes: the suite holds the engine to its own precision
            a = asarray(v, dtype='<f4', order='C')
            return {'__ndarray__': {'dtype': 'float32', 'shape': list(a.shape), 'data': b64encode(a.tobytes()).decode('ascii')}}
        if v.dtype.kind in 'iu' and (v.size == 0 or (int(v.min()) >= -SAFE and int(v.max()) <= SAFE)):
            # integers (labels, indices) as int64, so the suite knows them for integers (NDArray dtype 'int64'); one
            # beyond 2^53 - 1, which the suite's float64 storage cannot hold exactly, goes as float64 below
            a = asarray(v, dtype='<i8', order='C')
            return {'__ndarray__': {'dtype': 'int64', 'shape': list(a.shape), 'data': b64encode(a.tobytes()).decode('ascii')}}
        if v.dtype.kind in 'fiub':
            # booleans as 0./1. (masks and predictions are compared as numbers). np.ascontiguousarray would turn a
            # 0-d array (np.squeeze's cost) into shape (1,): keep ndim
            a = asarray(v, dtype='<f8', order='C')
            return {'__ndarray__': {'dtype': 'float64', 'shape': list(a.shape), 'data': b64encode(a.tobytes()).decode('ascii')}}
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
        # float32 comes back as float32: the engine gets its own caches (e.g. L_model_forward's) in its own dtype;
        # int64 as int64 (labels: the seed's a[y, range(m)] indexes with them), int32 and bool as themselves
        dtype = WIRE_DTYPES.get(a.get('dtype', 'float64'))
        if dtype is None:
            raise ValueError(f"unsupported array dtype on the wire: {a.get('dtype')!r}")
        data = frombuffer(b64decode(a['data']), dtype=dtype).copy()
        return data.reshape(a['shape'])
    if '__tuple__' in w:
        return tuple(decode(x) for x in w['__tuple__'])
    if '__float__' in w:
        return {'nan': nan, 'inf': inf, '-inf': -inf, '-0': -0.0}[w['__float__']]
    if '__dict__' in w:
        return {k: decode(x) for k, x in w['__dict__'].items()}
    raise ValueError(f'untagged object on the wire: {sorted(w)}')
