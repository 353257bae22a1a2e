"""Stand-in for the course's planar_utils (week 3), written for dnn-verify: the sigmoid its notebooks import, and
the loaders and plots, which the checks do not need. load_planar_dataset and load_extra_datasets raise
CourseDataUnavailable (see course_data.py): a notebook's training cells are left out, not run at load time."""
import numpy as np

from course_data import _unavailable


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def plot_decision_boundary(*args, **kwargs):
    """A plot: nothing to draw where no one looks."""


load_planar_dataset = _unavailable('load_planar_dataset')
load_extra_datasets = _unavailable('load_extra_datasets')
