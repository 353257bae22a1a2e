"""Stand-in for sklearn.datasets: see __init__.py."""
from course_data import _unavailable


def __getattr__(name):
    if name.startswith('__'):
        raise AttributeError(name)
    return _unavailable(f'sklearn.datasets.{name}')
