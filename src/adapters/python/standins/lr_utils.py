"""Stand-in for the course's lr_utils (week 2): its load_dataset reads the cat data, which the grader does not give
the engine (see course_data.py)."""
from course_data import load_dataset  # noqa: F401
