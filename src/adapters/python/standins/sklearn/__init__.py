"""Stand-in for scikit-learn, which the course's week-3 notebook imports to fit a logistic-regression baseline and to
generate extra data sets: the grader does not provide it (the functions under test never need it). Every name of it
raises CourseDataUnavailable when called, so the statement that uses it is left out, as for the course's data sets
(../course_data.py), and a plain module stays loadable."""
from course_data import _unavailable


def __getattr__(name):
    if name.startswith('__'):
        raise AttributeError(name)
    return _unavailable(f'sklearn.{name}')
