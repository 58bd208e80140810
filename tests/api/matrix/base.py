"""What every matrix row is made of: the principals, common expectations and `Call`.

Rows live in `tests/api/test_permission_matrix.py` and, per area, in the modules of this package
(`ROWS` plus a `build(world)` that adds the objects those rows address to the shared World).

The principals (who they are in the World):

- `anonymous`: no credentials.
- `student_a`: the student every addressed object belongs to (lessons, series, enrolments …).
- `student_b`: another student. In the World they legitimately hold, at the id of every object the
  rows address, objects of the other types (a seat in lesson N, enrolment N, series N …).
- `parent_of_a`: student A's active guardian.
- `second_parent`: the active guardian of student B (so they see B's objects, which collide with
  A's ids) who has also invited student A, who has not accepted: a pending invitation grants
  nothing, and a parent of another child reaches nothing of A's.
- `teacher`: teaches student A (owns the course, the lessons, the time off).
- `other_teacher`: another listed teacher; owns the colliding objects of student B.
- `editor`, `moderator`: members of the Wagtail groups "Editors" and "Moderators" with no role:
  through the API they are signed-in people like any other, and reach nobody's records.
- `admin`: the Admin role (staff), not a superuser.
- `superuser`: a superuser without role groups (an admin by `is_superuser`).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

PRINCIPALS = [
    "anonymous",
    "student_a",
    "student_b",
    "parent_of_a",
    "second_parent",
    "teacher",
    "other_teacher",
    "editor",
    "moderator",
    "admin",
    "superuser",
]
SIGNED_IN = PRINCIPALS[1:]
ADMINS = ("admin", "superuser")
ALL_SIGNED_IN = dict.fromkeys(SIGNED_IN, 200)
ONLY_ADMIN = {"anonymous": 401, **dict.fromkeys(SIGNED_IN, 403), **dict.fromkeys(ADMINS, 200)}
ONLY_TEACHERS = {
    "anonymous": 401,
    **dict.fromkeys(SIGNED_IN, 403),
    "teacher": 200,
    "other_teacher": 200,
}
ONLY_STUDENTS = {
    "anonymous": 401,
    **dict.fromkeys(SIGNED_IN, 403),
    "student_a": 200,
    "student_b": 200,
}
EVERYONE = dict.fromkeys(PRINCIPALS, 200)
MISSING_ID = 987654321


def expect(base: dict[str, int], **changes: int) -> dict[str, int]:
    """`base` with some principals' answers changed (each row still declares every principal)."""
    unknown = set(changes) - set(PRINCIPALS)
    assert not unknown, f"not principals: {unknown}"
    return {**base, **changes}


@dataclass
class Call:
    """How to call an operation, and what each principal must get."""

    expect: dict[str, int]
    path_params: dict[str, str] = field(default_factory=dict)  # name → attribute of the World
    query_params: dict[str, str] = field(default_factory=dict)  # an id in the query, likewise
    json: dict | Callable[[Any], dict] | None = None  # a callable builds the body from the World
    multipart: bool | Callable[[Any], dict] = False
    query: Callable[[Any], dict] | None = None  # other query parameters, from the World

    @property
    def addressed(self) -> dict[str, str]:
        """Every parameter naming an object by id (path and query) → attribute of the World."""
        return {**self.path_params, **self.query_params}
