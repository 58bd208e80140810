"""Matrix rows: the role homes in one call."""

from tests.api.matrix.base import ALL_SIGNED_IN, Call

ROWS: dict[str, Call] = {
    # The caller's own home: every signed-in person has one (its parts follow their roles).
    "GET /api/v1/me/summary": Call({"anonymous": 401, **ALL_SIGNED_IN}),
}


def build(world) -> None:
    """The summary reads what the World already holds (lessons, enrolments, families)."""
