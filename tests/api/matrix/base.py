"""What every matrix row is made of: the principals, common expectations and `Call`.

Rows live in `tests/api/test_permission_matrix.py` and, per area, in the modules of this package
(`ROWS` plus a `build(world)` that adds the objects those rows address to the shared World)."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

PRINCIPALS = [
    "anonymous",
    "student_a",
    "student_b",
    "parent_of_a",
    "teacher",
    "other_teacher",
    "admin",
]
ALL_SIGNED_IN = {p: 200 for p in PRINCIPALS if p != "anonymous"}
ONLY_ADMIN = {"anonymous": 401, **dict.fromkeys(PRINCIPALS[1:-1], 403), "admin": 200}
ONLY_TEACHERS = {
    "anonymous": 401,
    "student_a": 403,
    "student_b": 403,
    "parent_of_a": 403,
    "teacher": 200,
    "other_teacher": 200,
    "admin": 403,
}
ONLY_STUDENTS = {
    "anonymous": 401,
    "student_a": 200,
    "student_b": 200,
    "parent_of_a": 403,
    "teacher": 403,
    "other_teacher": 403,
    "admin": 403,
}
EVERYONE = dict.fromkeys(PRINCIPALS, 200)
MISSING_ID = 987654321


@dataclass
class Call:
    """How to call an operation, and what each principal must get."""

    expect: dict[str, int]
    path_params: dict[str, str] = field(default_factory=dict)  # name → attribute of the World
    json: dict | Callable[[Any], dict] | None = None  # a callable builds the body from the World
    multipart: bool | Callable[[Any], dict] = False
    query: Callable[[Any], dict] | None = None
