"""Stand-in for the course's planar_utils (week 3). load_planar_dataset is the course's "flower" data set, generated
here by the same algorithm from the same seed (two petal-shaped classes of 200 points each, drawn from NumPy's legacy
stream seeded 1), so a notebook that loads it at load time gets the data it expects. sigmoid returns one array, as the
course's helper does. load_extra_datasets needs scikit-learn's generators, which the grader does not provide
(course_data.py); plot_decision_boundary draws nothing where no one looks."""
import numpy as np

from course_data import CourseDataUnavailable, _unavailable  # noqa: F401


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def load_planar_dataset():
    """X of shape (2, 400) and Y of shape (1, 400) (uint8 labels 0 and 1); reseeds the global stream with 1, as the
    course's loader does (the notebook's later draws depend on it)."""
    np.random.seed(1)
    per_class, petals = 200, 4
    X = np.zeros((2 * per_class, 2))
    Y = np.zeros((2 * per_class, 1), dtype='uint8')
    for label in range(2):
        rows = slice(per_class * label, per_class * (label + 1))
        # the angle sweeps a half turn per class, jittered; the radius follows a 4-petal rose, jittered
        theta = np.linspace(label * 3.12, (label + 1) * 3.12, per_class) + np.random.randn(per_class) * 0.2
        radius = petals * np.sin(4 * theta) + np.random.randn(per_class) * 0.2
        X[rows, 0] = radius * np.sin(theta)
        X[rows, 1] = radius * np.cos(theta)
        Y[rows, 0] = label
    return X.T, Y.T


load_extra_datasets = _unavailable('load_extra_datasets')


def plot_decision_boundary(model, X, y):
    """A plot: nothing to draw where no one looks."""
