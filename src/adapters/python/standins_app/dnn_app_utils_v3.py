"""Stand-in for the course's dnn_app_utils_v3 in the Application notebook (the course gives it there): the
activations plus the step-by-step functions two_layer_model and L_layer_model call (a NumPy transcription of the
notebook's algorithms, grads keys dA{l-1}). On sys.path only where no graded step function is checked."""
import numpy as np
from dnn_utils import sigmoid, relu, sigmoid_backward, relu_backward  # noqa: F401
from course_data import CourseDataUnavailable, load_data, print_mislabeled_images  # noqa: F401


def initialize_parameters(n_x, n_h, n_y):
    np.random.seed(1)
    return {'W1': np.random.randn(n_h, n_x) * 0.01, 'b1': np.zeros((n_h, 1)),
            'W2': np.random.randn(n_y, n_h) * 0.01, 'b2': np.zeros((n_y, 1))}


def initialize_parameters_deep(layer_dims):
    np.random.seed(1)
    parameters = {}
    for l in range(1, len(layer_dims)):
        parameters['W' + str(l)] = np.random.randn(layer_dims[l], layer_dims[l - 1]) / np.sqrt(layer_dims[l - 1])
        parameters['b' + str(l)] = np.zeros((layer_dims[l], 1))
    return parameters


def linear_forward(A, W, b):
    return W.dot(A) + b, (A, W, b)


def linear_activation_forward(A_prev, W, b, activation):
    Z, linear_cache = linear_forward(A_prev, W, b)
    A, activation_cache = sigmoid(Z) if activation == 'sigmoid' else relu(Z)
    return A, (linear_cache, activation_cache)


def L_model_forward(X, parameters):
    caches = []
    A = X
    L = len(parameters) // 2
    for l in range(1, L):
        A, cache = linear_activation_forward(A, parameters['W' + str(l)], parameters['b' + str(l)], 'relu')
        caches.append(cache)
    AL, cache = linear_activation_forward(A, parameters['W' + str(L)], parameters['b' + str(L)], 'sigmoid')
    caches.append(cache)
    return AL, caches


def compute_cost(AL, Y):
    m = Y.shape[1]
    return np.squeeze((1. / m) * (-np.dot(Y, np.log(AL).T) - np.dot(1 - Y, np.log(1 - AL).T)))


def linear_backward(dZ, cache):
    A_prev, W, b = cache
    m = A_prev.shape[1]
    return np.dot(W.T, dZ), 1. / m * np.dot(dZ, A_prev.T), 1. / m * np.sum(dZ, axis=1, keepdims=True)


def linear_activation_backward(dA, cache, activation):
    linear_cache, activation_cache = cache
    dZ = relu_backward(dA, activation_cache) if activation == 'relu' else sigmoid_backward(dA, activation_cache)
    return linear_backward(dZ, linear_cache)


def L_model_backward(AL, Y, caches):
    grads = {}
    L = len(caches)
    Y = Y.reshape(AL.shape)
    dAL = -(np.divide(Y, AL) - np.divide(1 - Y, 1 - AL))
    grads['dA' + str(L - 1)], grads['dW' + str(L)], grads['db' + str(L)] = linear_activation_backward(dAL, caches[L - 1], 'sigmoid')
    for l in reversed(range(L - 1)):
        dA, dW, db = linear_activation_backward(grads['dA' + str(l + 1)], caches[l], 'relu')
        grads['dA' + str(l)], grads['dW' + str(l + 1)], grads['db' + str(l + 1)] = dA, dW, db
    return grads


def update_parameters(parameters, grads, learning_rate):
    parameters = dict(parameters)
    for l in range(len(parameters) // 2):
        parameters['W' + str(l + 1)] = parameters['W' + str(l + 1)] - learning_rate * grads['dW' + str(l + 1)]
        parameters['b' + str(l + 1)] = parameters['b' + str(l + 1)] - learning_rate * grads['db' + str(l + 1)]
    return parameters


def predict(X, y, parameters):
    m = X.shape[1]
    probas, _ = L_model_forward(X, parameters)
    return (probas > 0.5).astype(float).reshape(1, m)
