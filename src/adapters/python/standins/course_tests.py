"""The course's test helpers, as the grader has them: the suite checks the functions itself, so the course's own
tests are not run here. A test of the course (`propagate_test(propagate)`, W2A2/W3A1's public_tests) does nothing
and returns None: in a plain module it costs only itself. A test case (testCases*.py: `X, Y = layer_sizes_test_case()`)
holds the course's test data, which the grader does not provide: it raises CourseDataUnavailable, and the runner
leaves that statement out, as for the data sets (course_data.py)."""
from course_data import CourseDataUnavailable

# the course's public tests (weeks 2, 3 and 4) and test_utils' helpers: `from public_tests import *` binds them
TESTS = [
    'sigmoid_test', 'initialize_with_zeros_test', 'initialize_with_zeros_test_1', 'initialize_with_zeros_test_2',
    'propagate_test', 'optimize_test', 'predict_test', 'model_test',
    'layer_sizes_test', 'initialize_parameters_test', 'forward_propagation_test', 'compute_cost_test',
    'backward_propagation_test', 'update_parameters_test', 'nn_model_test',
    'initialize_parameters_test_1', 'initialize_parameters_test_2', 'initialize_parameters_deep_test',
    'initialize_parameters_deep_test_1', 'initialize_parameters_deep_test_2', 'linear_forward_test',
    'linear_activation_forward_test', 'L_model_forward_test', 'linear_backward_test', 'linear_activation_backward_test',
    'L_model_backward_test', 'two_layer_model_test', 'L_layer_model_test',
    'single_test', 'multiple_test', 'datatype_check', 'equation_output_check', 'shape_check', 'comparator', 'summary',
]
# the course's test cases (weeks 3 and 4): data the grader does not have
CASES = [
    'layer_sizes_test_case', 'initialize_parameters_test_case', 'forward_propagation_test_case',
    'compute_cost_test_case', 'backward_propagation_test_case', 'update_parameters_test_case', 'nn_model_test_case',
    'predict_test_case', 'linear_forward_test_case', 'linear_activation_forward_test_case',
    'L_model_forward_test_case', 'L_model_forward_test_case_2hidden', 'linear_backward_test_case',
    'linear_activation_backward_test_case', 'L_model_backward_test_case', 'update_parameters_test_case_2',
    'print_grads',
]


def course_test(name):
    def test(*args, **kwargs):
        return None
    test.__name__ = test.__qualname__ = name
    return test


def course_case(name):
    def case(*args, **kwargs):
        raise CourseDataUnavailable(
            f"{name}() returns the course's test data, which is not given to the engine under test: the statement "
            "that calls it is left out; the functions are checked on the suite's own inputs")
    case.__name__ = case.__qualname__ = name
    return case


def lookup(name):
    """Any other name a test module is asked for: a test case if it is named like one, else a test."""
    if name.startswith('__'):
        raise AttributeError(name)
    return course_case(name) if name.endswith('_test_case') or '_test_case_' in name else course_test(name)
