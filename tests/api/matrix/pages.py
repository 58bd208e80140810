"""Matrix rows: course pages and the catalog."""

from tests.api.matrix.base import Call  # noqa: F401

ROWS: dict[str, Call] = {}


def build(world) -> None:
    """Add to `world` the objects these rows address (the World already has users, a course,
    enrolments, a lesson and a series: see tests/api/test_permission_matrix.py)."""
