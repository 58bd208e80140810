"""Ids that collide across types, on purpose.

An access filter written for one model and reused on another (a lesson's seat subquery applied to a
series, say) goes unnoticed while every fixture has its own id: the attacker owns nothing with the
probed id. So the World gives each object an operation addresses its own id N (`IdPlan`), and then
at every such N builds `decoys`: objects of every other type, owned by or visible to the principals
that must get 404 on the real object (student B holds a seat in lesson N, enrolment N, series N …
while probing student A's series N).

Ids are set through PostgreSQL's sequences (`tests/ids.py`): `next_id(Model, N)` makes the next row
of the model's table take N; every other row of these tables takes an id from `SCRATCH` up, so
nothing lands on an N by chance.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.utils import timezone
from postman.models import STATUS_ACCEPTED, Message

from authentication.choices import GuardianLinkStatus
from authentication.models import GuardianLink, User
from billing.models import Invoice, Payment
from classroom.choices import LessonKind
from classroom.models import AvailabilityException, Lesson, LessonSeat, LessonSeries, TeacherProfile
from courses.choices import EnrollmentStatus, MaterialKind
from courses.models import Course, Enrollment, Material, Module, ProgressNote
from cplatform.exceptions import NotFound
from inbox.models import Attachment, Room, RoomMessage, UserBlock
from inbox.notifications.models import Notification
from inbox.safety.models import MessageReport
from tests.ids import SCRATCH, ids_from_scratch, next_id

# The first id handed to an addressed object; incidental rows of these tables start at SCRATCH.
FIRST = 1001
assert FIRST < SCRATCH

# Every type of object whose id an operation takes (path or query), or a filter could confuse with
# one (a seat, addressed through its lesson), and its model. A lesson's shared material is addressed
# as (lesson id, material id); a calendar feed only by its secret token, never by an id.
MODELS: dict[str, type] = {
    "lesson": Lesson,
    "seat": LessonSeat,
    "series": LessonSeries,
    "enrollment": Enrollment,
    "course": Course,
    "module": Module,
    "material": Material,
    "note": ProgressNote,
    "time_off": AvailabilityException,
    "guardian_link": GuardianLink,
    "user": User,
    "teacher_profile": TeacherProfile,
    # Inbox safety (tests/api/matrix/safety.py): a direct message, a report, a block.
    "message": Message,
    "report": MessageReport,
    "block": UserBlock,
    "notification": Notification,
    "room": Room,
    "room_message": RoomMessage,
    "attachment": Attachment,
    # Billing papers (tests/api/matrix/billing_papers.py): an invoice and a payment.
    "invoice": Invoice,
    "payment": Payment,
}
# billing (policy): a subscription is addressed by id (pause / resume / cancel).
from billing.models import Subscription  # noqa: E402

MODELS["subscription"] = Subscription
# The types `decoys` builds at every N (users and teacher profiles come with accounts: the World
# gives them their N directly).
DECOY_TYPES = (
    "lesson",
    "seat",
    "series",
    "enrollment",
    "course",
    "module",
    "material",
    "note",
    "time_off",
    "guardian_link",
    "message",
)

# What each principal legitimately reaches among the decoys at every N (less the probed type).
# The decoys belong to `other_teacher` (owner and lesson teacher) and `student_b` (enrolled, seated,
# in a series; `second_parent` is B's guardian); `teacher` co-teaches the decoy course (so sees its
# enrolments, materials, notes and group sessions, but not the other teacher's series or time off). The
# course is published, so its course and syllabus modules are everyone's to see. Student A is kept
# out of the decoys: that they are not other_teacher's student is itself a row.
_EVERY_DECOY = set(DECOY_TYPES)
_PUBLIC = {"course", "module"}
DECOYS_SEEN_BY: dict[str, set[str]] = {
    "anonymous": _PUBLIC,
    "student_a": _PUBLIC,
    "student_b": _EVERY_DECOY - {"time_off"},
    "parent_of_a": _PUBLIC,
    # Student B is an adult: their guardian does not read their messages.
    "second_parent": _EVERY_DECOY - {"time_off", "message"},
    "teacher": {"enrollment", "course", "module", "material", "note", "lesson"},
    "other_teacher": _EVERY_DECOY - {"guardian_link"},
    "editor": _PUBLIC,
    "moderator": _PUBLIC,
    # Admins reach every record but others' family links and time off (the API has no admin view
    # of those: they are managed in the admin).
    # Nor others' direct messages (admins write to anyone; they read only their own).
    "admin": _EVERY_DECOY - {"guardian_link", "time_off", "message"},
    "superuser": _EVERY_DECOY - {"guardian_link", "time_off", "message"},
}


def incidental_ids_from_scratch() -> None:
    """Rows of these tables made without `next_id` take ids from SCRATCH up, never an N."""
    ids_from_scratch(MODELS.values())


class IdPlan:
    """One distinct id per addressed object, and what type it is."""

    def __init__(self):
        self._next = FIRST
        self.of: dict[str, tuple[str, int]] = {}  # World attribute → (type, id)

    def make(self, attribute: str, kind: str, create: Callable[[], Any]) -> Any:
        pk = self._next
        self._next += 1
        with next_id(MODELS[kind], pk):
            made = create()
        self.of[attribute] = (kind, pk)
        return made


def decoys(world, *, pk: int, skip: str, slot: int) -> None:
    """At id `pk`, one object of every decoy type but `skip` (the real object's), as described by
    `DECOYS_SEEN_BY`. `slot` keeps each N's lessons at their own time (no overlap)."""
    owner = world.users["other_teacher"]
    profile = owner.teacher_profile
    student = world.users["student_b"]
    guardian = world.users["second_parent"]
    start = timezone.now().replace(minute=0, second=0, microsecond=0) + timedelta(days=60 + slot)

    def at(kind: str, create: Callable[[], Any]) -> Any:
        if kind == skip:
            return create()
        with next_id(MODELS[kind], pk):
            return create()

    from tests.courses.factories import CourseFactory

    course = at(
        "course",
        lambda: CourseFactory(owner=owner, teachers=[world.users["teacher"]], title=f"Decoy {pk}"),
    )
    enrollment = at(
        "enrollment",
        lambda: Enrollment.objects.create(
            course=course,
            student=student,
            enrolled_by=student,
            status=EnrollmentStatus.ACTIVE,
        ),
    )
    module = at("module", lambda: Module.objects.create(course=course, title=f"Unit {pk}"))
    if skip != "material":
        at(
            "material",
            lambda: Material.objects.create(
                course=course,
                module=module,
                title=f"Reading {pk}",
                kind=MaterialKind.LINK,
                url="https://example.com/reading",
            ),
        )
    lesson = at(
        "lesson",
        lambda: Lesson.objects.create(
            teacher=profile,
            kind=LessonKind.GROUP,
            course=course,
            capacity=course.capacity,
            booked_by=owner,
            start=start,
            end=start + timedelta(hours=1),
        ),
    )
    if skip != "seat":
        at("seat", lambda: LessonSeat.objects.create(lesson=lesson, student=student))
    if skip != "series":
        at("series", lambda: _weekly(profile, student, start + timedelta(hours=2)))
    if skip != "note":
        at(
            "note",
            lambda: ProgressNote.objects.create(
                enrollment=enrollment, author=owner, body="Keeps up well."
            ),
        )
    if skip != "time_off":
        at(
            "time_off",
            lambda: AvailabilityException.objects.create(
                teacher=profile, start=start + timedelta(hours=4), end=start + timedelta(hours=5)
            ),
        )
    if skip != "message":
        # Student B's message to the other teacher.
        at(
            "message",
            lambda: Message.objects.create(
                sender=student,
                recipient=owner,
                subject=f"Question {pk}",
                body="When is the next session?",
                moderation_status=STATUS_ACCEPTED,
            ),
        )
    if skip != "guardian_link":
        # Student B's invitation to their guardian's address: both sides see it.
        at(
            "guardian_link",
            lambda: GuardianLink.objects.create(
                child=student,
                invited_email=guardian.email,
                initiated_by=student,
                status=GuardianLinkStatus.PENDING,
            ),
        )


def _weekly(teacher: TeacherProfile, student: User, start) -> LessonSeries:
    series = LessonSeries.objects.create(
        teacher=teacher,
        student=student,
        booked_by=student,
        timezone="UTC",
        weekday=start.weekday(),
        local_start_time=start.time(),
        length_minutes=60,
        first_date=start.date(),
        count=1,
    )
    Lesson.objects.create(
        teacher=teacher,
        student=student,
        booked_by=student,
        series=series,
        start=start,
        end=start + timedelta(hours=1),
    )
    return series


# --- what a principal legitimately reaches, through the project's own selectors -----------------


def _found(read: Callable[[], Any]) -> bool:
    try:
        read()
    except NotFound:
        return False
    return True


def sees(user, kind: str, pk: int) -> bool:
    """Whether `user` (None: anonymous) reaches the object `kind` #`pk` by the project's own access
    rules."""
    from authentication.selectors import guardian_link_get_for_user
    from classroom.progress.selectors import note_get_for_user, student_get_for_viewer
    from classroom.scheduling.selectors import series_get_for_user, time_off_get_for_teacher
    from classroom.teaching.selectors import lesson_get_for_viewer, teacher_get_for_user
    from courses.selectors import (
        course_get_for_user,
        enrollment_get_for_user,
        material_get_for_user,
        module_get_for_user,
    )
    from inbox.rooms.selectors import room_get_for_user, room_message_get_for_user

    if user is None and kind not in _PUBLIC:
        return False  # anonymous reads only the public catalog

    if kind == "lesson":
        return _found(lambda: lesson_get_for_viewer(user=user, lesson_id=pk))
    if kind == "seat":
        seat = LessonSeat.objects.filter(pk=pk).first()
        if seat is None:
            return False
        try:
            lesson = lesson_get_for_viewer(user=user, lesson_id=seat.lesson_id)
        except NotFound:
            return False
        return pk in {s.pk for s in lesson.visible_seats}
    if kind == "series":
        return _found(lambda: series_get_for_user(user=user, series_id=pk))
    if kind == "enrollment":
        return _found(lambda: enrollment_get_for_user(user=user, enrollment_id=pk))
    if kind == "course":
        return _found(lambda: course_get_for_user(user=user, course_id=pk))
    if kind == "module":
        # A published course's syllabus is public; any other course's, its readers'.
        return _found(lambda: module_get_for_user(user=user, module_id=pk))
    if kind == "material":
        return _found(lambda: material_get_for_user(user=user, material_id=pk))
    if kind == "note":
        return _found(lambda: note_get_for_user(user=user, note_id=pk))
    if kind == "time_off":
        return _found(lambda: time_off_get_for_teacher(user=user, exception_id=pk))
    if kind == "guardian_link":
        return _found(lambda: guardian_link_get_for_user(user=user, link_id=pk))
    if kind == "user":
        return _found(lambda: student_get_for_viewer(user=user, student_id=pk))
    if kind == "message":
        from inbox.messaging.selectors import message_get_for

        return user is not None and _found(lambda: message_get_for(user=user, message_id=pk))
    if kind == "teacher_profile":
        return _found(lambda: teacher_get_for_user(user=user, teacher_id=pk))
    if kind == "message":
        from inbox.safety.selectors import message_get_for_reporter

        return _found(lambda: message_get_for_reporter(user=user, message_id=pk))
    if kind == "report":
        from inbox.safety.selectors import report_get_for_user

        return _found(lambda: report_get_for_user(user=user, report_id=pk))
    if kind == "block":
        from inbox.safety.selectors import block_get_for_user

        return _found(lambda: block_get_for_user(user=user, block_id=pk))
    if kind == "notification":
        from inbox.notifications.selectors import notification_get_for_user

        return _found(lambda: notification_get_for_user(user=user, notification_id=pk))
    if kind == "room":
        return _found(lambda: room_get_for_user(user=user, room_id=pk))
    if kind == "attachment":
        from inbox.attachments.selectors import attachment_get_for_user

        return user is not None and _found(
            lambda: attachment_get_for_user(user=user, attachment_id=pk)
        )
    if kind == "room_message":
        message = RoomMessage.objects.filter(pk=pk).first()
        return message is not None and _found(
            lambda: room_message_get_for_user(user=user, room_id=message.room_id, message_id=pk)
        )
    if kind == "invoice":
        from billing.papers.selectors import invoice_get_for_user

        return user is not None and _found(lambda: invoice_get_for_user(user=user, invoice_id=pk))
    if kind == "payment":
        from billing.papers.selectors import payment_get_for_admin

        return user is not None and _found(lambda: payment_get_for_admin(actor=user, payment_id=pk))
    if kind == "subscription":
        from billing.plans.selectors import subscription_get_for_manager

        return user is not None and _found(
            lambda: subscription_get_for_manager(user=user, subscription_id=pk)
        )
    raise AssertionError(f"unknown type {kind}")


# --- billing, front (issue 14): orders and invoices are addressed by id -------------------------
# Reached through billing's own selectors (the payer, the student, their guardians, admins). No
# decoy orders are built: the other types' decoys at each N are what the outsiders reach there.

from billing.models import Invoice as _Invoice  # noqa: E402
from billing.models import Order as _Order  # noqa: E402

MODELS["order"] = _Order
MODELS["invoice"] = _Invoice
_sees_before_billing = sees


def sees(user, kind: str, pk: int) -> bool:  # noqa: F811 - extends the function above
    if kind in ("order", "invoice"):
        if user is None:
            return False
        from billing.history.selectors import invoice_get_for_user, order_get_for_user

        if kind == "order":
            return _found(lambda: order_get_for_user(user=user, order_id=pk))
        return _found(lambda: invoice_get_for_user(user=user, invoice_id=pk))
    return _sees_before_billing(user, kind, pk)
