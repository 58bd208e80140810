"""Writes for progress: modules marked done, teachers' progress notes. Each service checks who acts and
validates before it writes; callers fetch the enrolment or note through a selector first (404 for
people who may not see it)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from authentication.models import User
from courses.choices import EnrollmentStatus
from courses.models import Enrollment, Module, ModuleCompletion, ProgressNote
from courses.selectors import can_manage_course, enrollment_visible_to
from cplatform.exceptions import Conflict, ValidationFailed, refused
from cplatform.validators import model_field_errors

from .selectors import can_mark_modules, progress_note_deletable_by

NOTE_MAX_LENGTH = 5000


def _check_module(*, actor: User, enrollment: Enrollment, module: Module) -> None:
    if not can_mark_modules(user=actor, enrollment=enrollment):
        raise refused(
            visible=enrollment_visible_to(user=actor, enrollment=enrollment),
            detail=_("Only the student, their parents or the course's teachers can do this."),
        )
    if module.course_id != enrollment.course_id:
        raise ValidationFailed(errors={"module": [_("This module belongs to another course.")]})
    if not module.is_released():
        raise ValidationFailed(
            errors={"module": [_("This module is not released yet.")]}, code="module_not_released"
        )
    if enrollment.status != EnrollmentStatus.ACTIVE:
        raise Conflict(
            _("Only an active enrolment can record progress."), code="enrollment_not_active"
        )


def module_complete(*, actor: User, enrollment: Enrollment, module: Module) -> ModuleCompletion:
    """Mark a released module of the course done for the enrolment. Marking it again changes nothing."""
    _check_module(actor=actor, enrollment=enrollment, module=module)
    with transaction.atomic():
        # The unique constraint settles a race between two clicks: get_or_create re-reads the winner.
        completion, _created = ModuleCompletion.objects.get_or_create(
            enrollment=enrollment,
            module=module,
            defaults={"marked_by": actor, "completed_at": timezone.now()},
        )
    return completion


def module_uncomplete(*, actor: User, enrollment: Enrollment, module: Module) -> None:
    """Take the mark back. Unmarking a module that was not done changes nothing."""
    _check_module(actor=actor, enrollment=enrollment, module=module)
    with transaction.atomic():
        ModuleCompletion.objects.filter(enrollment=enrollment, module=module).delete()


def progress_note_add(*, actor: User, enrollment: Enrollment, body: str) -> ProgressNote:
    """A teacher of the course (or an admin) writes how the student is doing; the student and their
    parents read it."""
    if not can_manage_course(user=actor, course=enrollment.course):
        raise refused(
            visible=enrollment_visible_to(user=actor, enrollment=enrollment),
            detail=_("Only the course's teachers write progress notes."),
        )
    body = (body or "").replace("\x00", "").strip()
    if not body:
        raise ValidationFailed(errors={"body": [_("Write the note.")]})
    if len(body) > NOTE_MAX_LENGTH:
        raise ValidationFailed(
            errors={
                "body": [_("Keep the note under %(max)d characters.") % {"max": NOTE_MAX_LENGTH}]
            }
        )
    if errors := model_field_errors(ProgressNote, body=body):
        raise ValidationFailed(errors=errors)
    return ProgressNote.objects.create(enrollment=enrollment, author=actor, body=body)


def progress_note_delete(*, actor: User, note: ProgressNote) -> None:
    """Its author or an admin deletes a note."""
    if not progress_note_deletable_by(actor=actor, note=note):
        raise refused(
            visible=enrollment_visible_to(user=actor, enrollment=note.enrollment),
            detail=_("Only the note's author can delete it."),
        )
    note.delete()
