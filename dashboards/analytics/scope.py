"""Who a figure is for. Every analytics selector takes the viewer and narrows to what they may see:
an admin sees all; a teacher their own lessons, courses, students and money (never another
teacher's); a student their own; a parent their own and their linked children's."""

from __future__ import annotations

from dataclasses import dataclass

from authentication.roles import is_admin, is_teacher
from authentication.selectors import child_ids_of
from classroom.models import TeacherProfile

ADMIN = "admin"
TEACHER = "teacher"
LEARNER = "learner"
NOBODY = "nobody"


@dataclass(frozen=True)
class Scope:
    kind: str
    user_id: int | None = None
    teacher_profile_id: int | None = None
    # A learner's students: themself and their linked children.
    student_ids: tuple[int, ...] = ()

    @property
    def is_admin(self) -> bool:
        return self.kind == ADMIN

    @property
    def is_teacher(self) -> bool:
        return self.kind == TEACHER


def scope_for(viewer) -> Scope:
    """At most two queries (roles are cached on the user; then the teacher profile or the children)."""
    if viewer is None or not viewer.is_authenticated:
        return Scope(NOBODY)
    if is_admin(viewer):
        return Scope(ADMIN, user_id=viewer.pk)
    if is_teacher(viewer):
        profile_id = TeacherProfile.objects.filter(user=viewer).values_list("pk", flat=True).first()
        return Scope(TEACHER, user_id=viewer.pk, teacher_profile_id=profile_id)
    children = tuple(sorted(child_ids_of(guardian=viewer).values_list("child_id", flat=True)))
    return Scope(LEARNER, user_id=viewer.pk, student_ids=(viewer.pk, *children))
