"""Stand-in for the course's dnn_app_utils_v3 where a graded function is checked: the activations, and in place of
the step-by-step functions (the solutions of the graded exercises) names that say so when called. The solutions
(standins_app/) are on sys.path only for the Application notebook, which defines two_layer_model or L_layer_model
and none of the graded step functions; see ../../README.md, "What the suite trusts of a Python engine"."""
import sys

from dnn_utils import sigmoid, relu, sigmoid_backward, relu_backward  # noqa: F401
from course_data import CourseDataUnavailable, load_data, print_mislabeled_images  # noqa: F401


class CourseSolutionWithheld(Exception):
    """A graded function called the course's solution of a graded exercise instead of implementing it."""


def _withheld(name):
    def withheld(*args, **kwargs):
        try:
            caller = sys._getframe(1).f_code.co_name
        except (AttributeError, ValueError):
            caller = '<module>'
        who = 'this notebook' if caller == '<module>' else caller
        raise CourseSolutionWithheld(
            f"{who} calls the course's dnn_app_utils_v3.{name} instead of implementing it: the course's "
            f'solutions of graded exercises are not provided when they are graded; write {name} in the notebook')
    withheld.__name__ = withheld.__qualname__ = name
    return withheld


for _name in ('initialize_parameters', 'initialize_parameters_deep', 'linear_forward', 'linear_activation_forward',
              'L_model_forward', 'compute_cost', 'linear_backward', 'linear_activation_backward', 'L_model_backward',
              'update_parameters', 'predict'):
    globals()[_name] = _withheld(_name)
del _name
