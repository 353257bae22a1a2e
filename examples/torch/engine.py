"""The Step-by-Step notebook's functions on PyTorch: the forward pieces and the cost are torch ops, and every
backward function is torch's autograd (torch.autograd.grad of the forward pieces and of the cost), with the
notebook's scaling. NumPy arrays in and out: each function converts at its boundary.

    dnn-verify check --python examples/torch/engine.py --python-bin /usr/bin/python3 --functions ...

DNN_VERIFY_TORCH_DTYPE=float32 (default float64) picks the precision; DNN_VERIFY_TORCH_BUG=sigmoid-gradient or
no-1/m plants a bug, to see it caught. In a sandbox, pass them with --pass-env (README.md).
"""
import os

import numpy as np
import torch

DTYPE = {'float32': torch.float32, 'float64': torch.float64}[os.environ.get('DNN_VERIFY_TORCH_DTYPE', 'float64')]
BUG = os.environ.get('DNN_VERIFY_TORCH_BUG', '')
torch.set_num_threads(1)  # small arrays: threads only cost here


def _t(a):
    """A NumPy array (or number) as a tensor of the engine's dtype (a copy: the caller's array is never touched)."""
    return torch.tensor(np.asarray(a), dtype=DTYPE)


def _np(t):
    return t.detach().numpy()


def _vjp(f, xs, dy):
    """The gradients of sum(f(*xs) * dy) with respect to each of xs: torch's autograd, one reverse pass."""
    xs = [x.detach().requires_grad_(True) for x in xs]
    return torch.autograd.grad(f(*xs), xs, dy)


class _SigmoidWithWrongGradient(torch.autograd.Function):
    """The planted bug: a hand-written sigmoid gradient that forgot the (1 - s)."""

    @staticmethod
    def forward(ctx, z):
        s = torch.sigmoid(z)
        ctx.save_for_backward(s)
        return s

    @staticmethod
    def backward(ctx, dy):
        (s,) = ctx.saved_tensors
        return dy * s


def _linear(A, W, b):
    return W @ A + b


def _sigmoid(Z):
    return _SigmoidWithWrongGradient.apply(Z) if BUG == 'sigmoid-gradient' else torch.sigmoid(Z)


def _relu(Z):
    return torch.relu(Z)


def _activation(name):
    return _sigmoid if name == 'sigmoid' else _relu


def _cost(AL, Y):
    m = AL.shape[1]
    return -(1 / m) * torch.sum(Y * torch.log(AL) + (1 - Y) * torch.log(1 - AL))


# the notebook's scaling: its dA and dZ are m times the mean cost's derivative, and its 1/m sits on dW and db
def _linear_vjp(dZ, A, W, b):
    m = A.shape[1]
    dA_prev, dW, db = _vjp(_linear, [A, W, b], dZ)
    scale = 1 if BUG == 'no-1/m' else 1 / m
    return dA_prev, dW * scale, db * scale


def _activation_vjp(dA, Z, activation):
    return _vjp(_activation(activation), [Z], dA)[0]


def linear_forward(A, W, b):
    return _np(_linear(_t(A), _t(W), _t(b))), (A, W, b)


def sigmoid(Z):
    return _np(_sigmoid(_t(Z))), Z


def relu(Z):
    return _np(_relu(_t(Z))), Z


def linear_activation_forward(A_prev, W, b, activation):
    Z = _linear(_t(A_prev), _t(W), _t(b))
    return _np(_activation(activation)(Z)), ((A_prev, W, b), _np(Z))


def L_model_forward(X, parameters):
    L = len(parameters) // 2
    caches = []
    A = X
    for l in range(1, L + 1):
        A, cache = linear_activation_forward(
            A, parameters['W%d' % l], parameters['b%d' % l], 'relu' if l < L else 'sigmoid'
        )
        caches.append(cache)
    return A, caches


def compute_cost(AL, Y):
    return float(_cost(_t(AL), _t(Y)))


def relu_backward(dA, cache):
    return _np(_activation_vjp(_t(dA), _t(cache), 'relu'))


def sigmoid_backward(dA, cache):
    return _np(_activation_vjp(_t(dA), _t(cache), 'sigmoid'))


def linear_backward(dZ, cache):
    A, W, b = cache
    return tuple(_np(g) for g in _linear_vjp(_t(dZ), _t(A), _t(W), _t(b)))


def linear_activation_backward(dA, cache, activation):
    (A, W, b), Z = cache
    dZ = _activation_vjp(_t(dA), _t(Z), activation)
    return tuple(_np(g) for g in _linear_vjp(dZ, _t(A), _t(W), _t(b)))


def L_model_backward(AL, Y, caches):
    grads = {}
    L = len(caches)
    AL_t, Y_t = _t(AL), _t(Y)
    # dAL = m * dJ/dAL: the cost's gradient by autograd, in the notebook's scaling
    dA = _vjp(lambda al: _cost(al, Y_t), [AL_t], torch.ones((), dtype=DTYPE))[0] * AL_t.shape[1]
    for l in range(L, 0, -1):
        (A, W, b), Z = caches[l - 1]
        dZ = _activation_vjp(dA, _t(Z), 'sigmoid' if l == L else 'relu')
        dA, dW, db = _linear_vjp(dZ, _t(A), _t(W), _t(b))
        grads['dA%d' % (l - 1)], grads['dW%d' % l], grads['db%d' % l] = _np(dA), _np(dW), _np(db)
    return grads


def update_parameters(parameters, grads, learning_rate):
    return {k: _np(_t(p) - learning_rate * _t(grads['d' + k])) for k, p in parameters.items()}
