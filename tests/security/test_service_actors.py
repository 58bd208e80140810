"""Every write service checks who may act, not only the selector that found the object (issue 8).

The rows are checked against the services modules themselves: every public function of every
`services.py` / `*_services.py` of the project either has rows here or is listed in NO_ROW with the
reason it needs none, and a function that takes an `actor` always needs rows. A new service without
either fails `test_every_service_is_declared`.

Each row builds a fresh World (a teacher's group course with student A enrolled, A's 1:1 lesson,
series and seats, progress, time off, A's guardian links …), then calls the service on A's side of
that World as each unrelated person — another student, another student's parent, another teacher,
an Editor with no role — and as the people who can see the object but may not act (`insiders`): each
must be refused with the declared error (NotFound where they could not even see the object, so a
forbidden object answers like a missing one) and write nothing (every row of the apps' tables is
compared before and after). Then the person who may act calls it, and it is done.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from importlib import import_module
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.utils import timezone

from authentication.models import GuardianLink, User
from authentication.services import guardian_accept, guardian_invite
from classroom.models import (
    AvailabilityException,
    Lesson,
    LessonSeries,
    StudentProfile,
    TeacherProfile,
)
from classroom.progress.services import module_complete, progress_note_add
from classroom.scheduling.services import lesson_book, series_book, time_off_add
from classroom.teaching.services import (
    group_session_create,
    lesson_material_attach,
    seat_release,
)
from courses.choices import CourseStatus, EnrollmentStatus, MaterialKind
from courses.models import Course, Enrollment, Material, Module, ProgressNote
from courses.services import material_create
from cplatform.editorial import EDITORS
from cplatform.exceptions import DomainError, NotFound, PermissionDenied, ValidationFailed
from inbox.messaging.services import message_send
from inbox.models import MessagingSuspension, Room, RoomMember, RoomMessage
from inbox.rooms.services import course_room_sync, group_room_create, room_message_post
from inbox.safety.services import message_report
from tests.authentication.factories import (
    AdminFactory,
    ParentFactory,
    StudentFactory,
    UserFactory,
)
from tests.booking.factories import bookable_teacher, days_ahead
from tests.courses.factories import CourseFactory, EnrollmentFactory, ModuleFactory

ROOT = Path(__file__).resolve().parents[2]
NOT_APPS = {"tests", "bench", "node_modules", "static", "staticfiles", "media", "templates"}


def service_modules() -> list[str]:
    """Every `services.py` and `*_services.py` in the project's packages (a new one is found too)."""
    found = []
    for path in sorted(ROOT.glob("**/*services.py")):
        relative = path.relative_to(ROOT)
        top = relative.parts[0]
        if top.startswith(".") or top in NOT_APPS or not (ROOT / top / "__init__.py").exists():
            continue
        found.append(".".join(relative.with_suffix("").parts))
    return found


def public_services() -> dict[str, Callable]:
    """`module:function` → the function, for every public function a services module defines."""
    found = {}
    for name in service_modules():
        module = import_module(name)
        for attr, obj in vars(module).items():
            if attr.startswith("_") or not inspect.isfunction(obj) or obj.__module__ != name:
                continue
            found[f"{name}:{attr}"] = obj
    return found


def service(key: str) -> Callable:
    module, name = key.split(":")
    return getattr(import_module(module), name)


# --- the world ---------------------------------------------------------------------------------------

OUTSIDERS = ("other_student", "other_parent", "other_teacher", "editor")
SNAPSHOT_APPS = {"authentication", "account", "classroom", "courses", "wagtailcore", "inbox"}
SNAPSHOT_APPS |= {"billing"}  # billing (policy): subscriptions, payouts


class World:
    """Student A's side of the school, and people with no part in it."""

    def __init__(self):
        profile = bookable_teacher(email="teacher@example.com")
        bookable_teacher(email="other.teacher@example.com")
        teacher = profile.user
        a = StudentFactory(email="student.a@example.com")
        b = StudentFactory(email="student.b@example.com")
        # Adults: no guardian consent stands between them and a booking or a paid course.
        StudentProfile.objects.filter(user__in=[a, b]).update(date_of_birth=date(1990, 1, 1))
        a, b = User.objects.get(pk=a.pk), User.objects.get(pk=b.pk)  # not the cached profiles
        parent_a = ParentFactory(email="parent.a@example.com")
        parent_b = ParentFactory(email="parent.b@example.com")
        self.active_link_id = guardian_accept(
            link=guardian_invite(actor=parent_a, email=a.email, as_role="child"), actor=a
        ).pk
        guardian_accept(
            link=guardian_invite(actor=parent_b, email=b.email, as_role="child"), actor=b
        )
        second_parent = ParentFactory(email="second.parent@example.com")
        self.pending_link_id = guardian_invite(
            actor=second_parent, email=a.email, as_role="child"
        ).pk
        editor = UserFactory(email="editor@example.com", is_staff=True)
        editor.groups.add(Group.objects.get(name=EDITORS))
        self.user_ids = {
            "teacher": teacher.pk,
            "student_a": a.pk,
            "parent_a": parent_a.pk,
            "admin": AdminFactory(email="admin@example.com").pk,
            "superuser": UserFactory(email="root@example.com", is_superuser=True, is_staff=True).pk,
            "other_student": b.pk,
            "other_parent": parent_b.pk,
            "other_teacher": User.objects.get(email="other.teacher@example.com").pk,
            "editor": editor.pk,
            "spare_parent": ParentFactory(email="spare.parent@example.com").pk,
        }
        self.teacher_profile_id = profile.pk

        course = CourseFactory(owner=teacher, title="Algebra")
        self.course_id = course.pk
        enrollment = EnrollmentFactory(course=course, student=a)
        self.enrollment_id = enrollment.pk
        self.module_id = ModuleFactory(course=course, position=0).pk
        done = ModuleFactory(course=course, position=1)
        self.done_module_id = done.pk
        module_complete(actor=a, enrollment=enrollment, module=done)
        self.note_id = progress_note_add(
            actor=teacher, enrollment=enrollment, body="Doing well."
        ).pk
        shared, spare = (
            material_create(
                actor=teacher, course=course, title=title, kind=MaterialKind.TEXT, body="Read."
            )
            for title in ("Shared", "Spare")
        )
        self.material_id, self.spare_material_id = shared.pk, spare.pk
        paid = CourseFactory(owner=teacher, price=30)
        self.pending_enrollment_id = EnrollmentFactory(
            course=paid, student=a, status=EnrollmentStatus.PENDING
        ).pk
        self.open_course_id = CourseFactory(owner=teacher).pk
        self.draft_course_id = CourseFactory(owner=teacher, status=CourseStatus.DRAFT).pk

        self.lesson_id = lesson_book(
            actor=a, teacher=profile, student=a, start=days_ahead(5), length=60
        ).pk
        self.held_lesson_id = lesson_book(
            actor=a, teacher=profile, student=a, start=days_ahead(7), length=60, hold=True
        ).pk
        self.series_id = series_book(
            actor=a, teacher=profile, student=a, first_start=days_ahead(6), length=60, count=2
        ).pk
        self.time_off_id = time_off_add(
            teacher=profile, start=days_ahead(30), end=days_ahead(31)
        ).pk
        # A group session where A holds a seat (a material shared in it), one where A gave it up.
        seated = group_session_create(
            actor=teacher, course=course, start=days_ahead(9, hour=7), length=60
        )
        lesson_material_attach(actor=teacher, lesson=seated, material_id=shared.pk)
        self.session_id = seated.pk
        open_session = group_session_create(
            actor=teacher, course=course, start=days_ahead(10, hour=7), length=60
        )
        seat_release(actor=a, lesson=open_session, student=a)
        self.open_session_id = open_session.pk
        start = timezone.now() - timedelta(days=2, hours=5)
        self.started_lesson_id = Lesson.objects.create(
            teacher=profile, student=a, booked_by=a, start=start, end=start + timedelta(hours=1)
        ).pk
        # The course's room, and a group room of the teacher's with A in it (A wrote in it).
        self.course_room_id = course_room_sync(course=course).pk
        group = group_room_create(actor=teacher, name="Study group", member_ids=[a.pk])
        self.group_room_id = group.pk
        self.room_message_id = room_message_post(actor=a, room=group, body="Hello").pk
        # Two direct messages from the teacher to A: A reported the first; B is suspended.
        first, self.dm_id = (
            message_send(sender=teacher, recipient_id=a.pk, subject="Hi", body=body).pk
            for body in ("First", "Second")
        )
        self.report_id = message_report(actor=a, message_id=first, reason="spam").pk
        MessagingSuspension.objects.create(user=b, reason="Spam")
        _policy_world(self)  # billing (policy): plans and A's subscriptions

    def user(self, principal: str) -> User:
        return User.objects.get(pk=self.user_ids[principal])  # fresh: no cached roles or edits

    def teacher_profile(self) -> TeacherProfile:
        return TeacherProfile.objects.get(pk=self.teacher_profile_id)

    def lesson(self, attribute: str = "lesson_id") -> Lesson:
        return Lesson.objects.get(pk=getattr(self, attribute))

    def series(self) -> LessonSeries:
        return LessonSeries.objects.get(pk=self.series_id)

    def course(self, attribute: str = "course_id") -> Course:
        return Course.objects.get(pk=getattr(self, attribute))

    def enrollment(self, attribute: str = "enrollment_id") -> Enrollment:
        return Enrollment.objects.get(pk=getattr(self, attribute))

    def module(self, attribute: str = "module_id") -> Module:
        return Module.objects.get(pk=getattr(self, attribute))

    def material(self) -> Material:
        return Material.objects.get(pk=self.material_id)

    def note(self) -> ProgressNote:
        return ProgressNote.objects.get(pk=self.note_id)

    def link(self, attribute: str) -> GuardianLink:
        return GuardianLink.objects.get(pk=getattr(self, attribute))

    def time_off(self) -> AvailabilityException:
        return AvailabilityException.objects.get(pk=self.time_off_id)

    def room(self, attribute: str = "group_room_id") -> Room:
        return Room.objects.get(pk=getattr(self, attribute))

    def room_message(self) -> RoomMessage:
        return RoomMessage.objects.get(pk=self.room_message_id)

    def room_member(self, principal: str) -> RoomMember:
        return RoomMember.objects.get(room_id=self.group_room_id, user_id=self.user_ids[principal])


def snapshot() -> dict[str, list[tuple]]:
    """Every row of the apps' tables (and their many-to-many tables), in primary-key order."""
    state = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.app_label in SNAPSHOT_APPS and meta.managed and not meta.proxy:
            state[meta.label] = list(model._base_manager.order_by("pk").values_list())
    return state


# --- the rows ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """`call(world, actor, fn)` calls `fn` (the service) on the world's object as `actor`."""

    service: str
    legit: str
    call: Callable
    refusal: type[DomainError] = NotFound  # what each outsider gets
    outsiders: tuple[str, ...] = OUTSIDERS
    insiders: dict[str, type[DomainError]] = field(default_factory=dict)
    writes: bool = True
    label: str = ""

    @property
    def id(self) -> str:
        return f"{self.service.split(':')[1]}[{self.label or self.legit}]"


SCHED = "classroom.scheduling.services"
TEACH = "classroom.teaching.services"
PROGRESS = "classroom.progress.services"
PROFILES = "classroom.services"
COURSES = "courses.services"
PAGES = "courses.page_services"
AUTH = "authentication.services"
LEARNERS = ("student_a", "parent_a")
SEES_NOT_RUNS = dict.fromkeys(LEARNERS, PermissionDenied)


def _lesson_rows() -> list[Row]:
    def cancel(w, actor, fn):
        return fn(lesson=w.lesson(), actor=actor, reason="Ill")

    def reschedule(w, actor, fn):
        return fn(lesson=w.lesson(), actor=actor, start=days_ahead(8, hour=15))

    def book(w, actor, fn):
        student = w.user("student_a")
        return fn(
            actor=actor,
            teacher=w.teacher_profile(),
            student=student,
            start=days_ahead(12, hour=12),
            length=60,
        )

    def book_series(w, actor, fn):
        return fn(
            actor=actor,
            teacher=w.teacher_profile(),
            student=w.user("student_a"),
            first_start=days_ahead(15, hour=12),
            length=60,
            count=2,
        )

    return [
        *(Row(f"{SCHED}:lesson_cancel", who, cancel) for who in (*LEARNERS, "teacher", "admin")),
        Row(
            f"{SCHED}:lesson_cancel",
            "teacher",
            lambda w, actor, fn: fn(lesson=w.lesson("session_id"), actor=actor),
            insiders=SEES_NOT_RUNS,  # seat holder and parent: they give up the seat instead
            label="group session",
        ),
        *(Row(f"{SCHED}:lesson_reschedule", who, reschedule) for who in ("student_a", "teacher")),
        *(
            Row(
                f"{SCHED}:series_cancel",
                who,
                lambda w, actor, fn: fn(series=w.series(), actor=actor, reason="Moving"),
            )
            for who in (*LEARNERS, "teacher")
        ),
        *(Row(f"{SCHED}:lesson_book", who, book) for who in LEARNERS),
        Row(f"{SCHED}:series_book", "parent_a", book_series),
        Row(
            f"{SCHED}:time_off_delete",
            "teacher",
            lambda w, actor, fn: fn(actor=actor, exception=w.time_off()),
        ),
    ]


def _teaching_rows() -> list[Row]:
    return [
        Row(
            f"{TEACH}:group_session_create",
            "teacher",
            lambda w, actor, fn: fn(
                actor=actor, course=w.course(), start=days_ahead(11, hour=7), length=60
            ),
        ),
        *(
            Row(
                f"{TEACH}:seat_take",
                who,
                lambda w, actor, fn: fn(
                    actor=actor, lesson=w.lesson("open_session_id"), student=w.user("student_a")
                ),
            )
            for who in LEARNERS
        ),
        Row(
            f"{TEACH}:seat_release",
            "parent_a",
            lambda w, actor, fn: fn(
                actor=actor, lesson=w.lesson("session_id"), student=w.user("student_a")
            ),
        ),
        Row(
            f"{TEACH}:attendance_record",
            "teacher",
            lambda w, actor, fn: fn(
                actor=actor,
                lesson=w.lesson("started_lesson_id"),
                marks=[{"student_id": w.user_ids["student_a"], "status": "present"}],
            ),
            insiders=SEES_NOT_RUNS,
        ),
        Row(
            f"{TEACH}:lesson_update",
            "teacher",
            lambda w, actor, fn: fn(actor=actor, lesson=w.lesson(), data={"notes": "Fractions"}),
            insiders=SEES_NOT_RUNS,
        ),
        Row(
            f"{TEACH}:lesson_material_attach",
            "teacher",
            lambda w, actor, fn: fn(
                actor=actor, lesson=w.lesson("session_id"), material_id=w.spare_material_id
            ),
            insiders=SEES_NOT_RUNS,
        ),
        Row(
            f"{TEACH}:lesson_material_detach",
            "admin",
            lambda w, actor, fn: fn(
                actor=actor, lesson=w.lesson("session_id"), material_id=w.material_id
            ),
            insiders=SEES_NOT_RUNS,
        ),
    ]


def _progress_rows() -> list[Row]:
    def mark(attribute):
        return lambda w, actor, fn: fn(
            actor=actor, enrollment=w.enrollment(), module=w.module(attribute)
        )

    return [
        *(
            Row(f"{PROGRESS}:module_complete", who, mark("module_id"))
            for who in (*LEARNERS, "teacher")
        ),
        Row(f"{PROGRESS}:module_uncomplete", "student_a", mark("done_module_id")),
        Row(
            f"{PROGRESS}:progress_note_add",
            "teacher",
            lambda w, actor, fn: fn(actor=actor, enrollment=w.enrollment(), body="Keep going."),
            insiders=SEES_NOT_RUNS,
        ),
        Row(
            f"{PROGRESS}:progress_note_delete",
            "teacher",
            lambda w, actor, fn: fn(actor=actor, note=w.note()),
            insiders=SEES_NOT_RUNS,
        ),
    ]


def _profile_rows() -> list[Row]:
    def update(w, actor, fn):
        return fn(actor=actor, user=w.user("teacher"), data={"headline": "Algebra, patiently"})

    return [
        # The teacher's profile is listed: everyone sees it, so the refusal is 403.
        *(
            Row(f"{PROFILES}:teacher_profile_update", who, update, refusal=PermissionDenied)
            for who in ("teacher", "admin")
        ),
        Row(
            f"{PROFILES}:student_date_of_birth_set",
            "parent_a",
            lambda w, actor, fn: fn(
                actor=actor, student=w.user("student_a"), date_of_birth=date(1991, 1, 1)
            ),
            # The student themself and their teacher see the student (403); others do not (404).
            insiders={"student_a": PermissionDenied, "teacher": PermissionDenied},
        ),
        Row(
            f"{PROFILES}:teacher_profile_approve",
            "admin",
            lambda w, actor, fn: fn(profile=w.teacher_profile(), approved=False, actor=actor),
            refusal=PermissionDenied,
            insiders={"teacher": PermissionDenied},
        ),
    ]


def _course_rows() -> list[Row]:
    return [
        Row(
            f"{COURSES}:course_create",
            "teacher",
            lambda w, actor, fn: fn(
                actor=actor,
                data={
                    "title": "Geometry",
                    "format": "group",
                    "capacity": 6,
                    "subject": "mathematics",
                },
            ),  # fmt: skip
            refusal=PermissionDenied,
            outsiders=("other_student", "other_parent", "editor"),  # any teacher may create one
        ),
        Row(
            f"{COURSES}:course_update",
            "teacher",
            lambda w, actor, fn: fn(actor=actor, course=w.course(), data={"title": "Algebra II"}),
            insiders=dict.fromkeys(LEARNERS, NotFound),  # as the API: 404 unless they teach it
        ),
        Row(
            f"{COURSES}:course_teachers_set",
            "teacher",
            lambda w, actor, fn: fn(
                actor=actor,
                course=w.course(),
                teacher_ids=[w.user_ids["teacher"], w.user_ids["other_teacher"]],
            ),
            insiders=dict.fromkeys(
                LEARNERS, NotFound
            ),  # as course_update: 404 unless they teach it
        ),
        Row(
            f"{COURSES}:module_create",
            "teacher",
            lambda w, actor, fn: fn(actor=actor, course=w.course(), data={"title": "Week 3"}),
        ),
        Row(
            f"{COURSES}:material_create",
            "teacher",
            lambda w, actor, fn: fn(
                actor=actor,
                course=w.course(),
                title="Link",
                kind=MaterialKind.LINK,
                url="https://example.com/",
            ),  # fmt: skip
        ),
        Row(
            f"{COURSES}:material_delete",
            "teacher",
            lambda w, actor, fn: fn(actor=actor, material=w.material()),
            insiders=SEES_NOT_RUNS,
        ),
        *(
            Row(
                f"{COURSES}:enrollment_create",
                who,
                lambda w, actor, fn: fn(
                    actor=actor, course=w.course("open_course_id"), student=w.user("student_a")
                ),
            )
            for who in LEARNERS
        ),
        Row(
            f"{COURSES}:enrollment_withdraw",
            "parent_a",
            lambda w, actor, fn: fn(actor=actor, enrollment=w.enrollment()),
            # The course's teacher and admins see it; they remove a student rather than withdraw.
            insiders={"teacher": PermissionDenied, "admin": PermissionDenied},
        ),
        Row(
            f"{COURSES}:enrollment_remove",
            "teacher",
            lambda w, actor, fn: fn(actor=actor, enrollment=w.enrollment()),
            insiders=SEES_NOT_RUNS,
        ),
        Row(
            f"{SCHED}:lesson_hold_confirm",
            "admin",
            lambda w, actor, fn: fn(actor=actor, lessons=[w.lesson("held_lesson_id")]),
            refusal=PermissionDenied,  # billing (no actor) or an admin by hand, as activate
            insiders={"teacher": PermissionDenied, "student_a": PermissionDenied},
        ),
        Row(
            f"{COURSES}:enrollment_activate",
            "admin",
            lambda w, actor, fn: fn(actor=actor, enrollment=w.enrollment("pending_enrollment_id")),
            refusal=PermissionDenied,  # an admin's tool: everyone else is refused alike (as the API)
            insiders={"teacher": PermissionDenied, "student_a": PermissionDenied},
        ),
        *(
            Row(
                f"{PAGES}:{name}",
                "teacher",
                lambda w, actor, fn: fn(actor=actor, course=w.course("draft_course_id")),
            )
            for name in ("course_page_publish", "course_publish_through_page")
        ),
    ]


def _people_rows() -> list[Row]:
    def invite(as_role, email):
        return lambda w, actor, fn: fn(actor=actor, email=email, as_role=as_role)

    return [
        Row(
            f"{AUTH}:user_create",
            "admin",
            lambda w, actor, fn: fn(email="new.person@example.com", roles=["Student"], actor=actor),
            refusal=PermissionDenied,
        ),
        Row(
            f"{AUTH}:user_set_roles",
            "admin",
            lambda w, actor, fn: fn(
                user=w.user("student_a"), roles=["Student", "Parent"], actor=actor
            ),
            refusal=PermissionDenied,
            insiders={"teacher": PermissionDenied},
        ),
        Row(
            f"{AUTH}:user_set_roles",
            "superuser",
            lambda w, actor, fn: fn(user=w.user("superuser"), roles=["Admin"], actor=actor),
            refusal=PermissionDenied,
            insiders={"admin": PermissionDenied},  # an Admin never takes over a superuser
            label="superuser's roles",
        ),
        Row(
            f"{AUTH}:user_admin_update",
            "superuser",
            lambda w, actor, fn: fn(user=w.user("editor"), actor=actor, is_active=False),
            refusal=PermissionDenied,
            # Nor anyone with rights beyond the roles an Admin grants (here: an Editor).
            insiders={"admin": PermissionDenied},
            label="an editor's account",
        ),
        Row(
            f"{AUTH}:user_admin_update",
            "admin",
            lambda w, actor, fn: fn(
                user=w.user("student_a"), actor=actor, roles=["Student", "Parent"]
            ),
            refusal=PermissionDenied,
            insiders={"teacher": PermissionDenied},
        ),
        Row(
            f"{AUTH}:guardian_invite",
            "parent_a",
            invite("child", "new.child@example.com"),
            refusal=PermissionDenied,
            outsiders=("other_student", "other_teacher", "editor"),  # any parent may invite
            label="a child",
        ),
        Row(
            f"{AUTH}:guardian_invite",
            "student_a",
            invite("guardian", "new.guardian@example.com"),
            refusal=PermissionDenied,
            outsiders=("other_parent", "other_teacher", "editor"),  # any student may invite
            label="a guardian",
        ),
        Row(
            f"{AUTH}:guardian_accept",
            "student_a",
            lambda w, actor, fn: fn(link=w.link("pending_link_id"), actor=actor),
        ),
        *(
            Row(
                f"{AUTH}:guardian_decline_or_remove",
                who,
                lambda w, actor, fn: fn(link=w.link("active_link_id"), actor=actor),
            )
            for who in LEARNERS
        ),
        Row(
            f"{AUTH}:guardian_consent",
            "parent_a",
            lambda w, actor, fn: fn(link=w.link("active_link_id"), actor=actor),
            insiders={"student_a": PermissionDenied},  # the child cannot consent for themself
        ),
        Row(
            f"{AUTH}:guardian_link_admin_create",
            "admin",
            lambda w, actor, fn: fn(
                actor=actor, guardian=w.user("spare_parent"), child=w.user("student_a")
            ),
            refusal=PermissionDenied,
        ),
        Row(
            f"{AUTH}:guardian_link_admin_end",
            "admin",
            lambda w, actor, fn: fn(actor=actor, link=w.link("active_link_id")),
            refusal=PermissionDenied,
            insiders={"parent_a": PermissionDenied},  # they end it as a side, not as an admin
        ),
    ]


ROOMS = "inbox.rooms.services"
MESSAGING = "inbox.messaging.services"
ATTACH = "inbox.attachments.services"
NOTIFY = "inbox.notifications.services"
NOT_MEMBERS = ("parent_a", *OUTSIDERS)


def _room_rows() -> list[Row]:
    """The group room is the teacher's (its manager) with student A a member; parent A and the
    outsiders are not in it. Who may change a room is refused with PermissionDenied (the API finds
    the room among the caller's rooms first, so a non-member gets 404 there)."""
    managed = {"student_a": PermissionDenied, "parent_a": PermissionDenied}
    return [
        Row(
            f"{ROOMS}:course_room_open",
            "teacher",
            lambda w, actor, fn: fn(actor=actor, course=w.course()),
            insiders={"student_a": NotFound, "parent_a": NotFound},
            writes=False,  # the world's course room is already in line
        ),
        Row(
            f"{ROOMS}:group_room_create",
            "teacher",
            lambda w, actor, fn: fn(actor=actor, name="Club", member_ids=[w.user_ids["student_a"]]),
            refusal=PermissionDenied,
            outsiders=("other_student", "other_parent", "editor"),
            # Another teacher makes rooms, but only with people they may write to.
            insiders={**managed, "other_teacher": ValidationFailed},
        ),
        Row(
            f"{ROOMS}:group_room_update",
            "teacher",
            lambda w, actor, fn: fn(actor=actor, room=w.room(), name="Renamed"),
            refusal=PermissionDenied,
            insiders=managed,
        ),
        Row(
            f"{ROOMS}:group_room_delete",
            "teacher",
            lambda w, actor, fn: fn(actor=actor, room=w.room()),
            refusal=PermissionDenied,
            insiders=managed,
        ),
        Row(
            f"{ROOMS}:room_members_add",
            "teacher",
            lambda w, actor, fn: fn(
                actor=actor, room=w.room(), member_ids=[w.user_ids["parent_a"]]
            ),
            refusal=PermissionDenied,
            insiders=managed,
        ),
        Row(
            f"{ROOMS}:room_member_remove",
            "teacher",
            lambda w, actor, fn: fn(actor=actor, room=w.room(), member=w.room_member("student_a")),
            refusal=PermissionDenied,
            insiders={"parent_a": PermissionDenied},
        ),
        Row(
            f"{ROOMS}:room_leave",
            "student_a",
            lambda w, actor, fn: fn(actor=actor, room=w.room()),
            outsiders=NOT_MEMBERS,  # nothing to leave: NotFound, as a room they cannot see
        ),
        Row(
            f"{ROOMS}:room_message_post",
            "student_a",
            lambda w, actor, fn: fn(actor=actor, room=w.room(), body="Hi again"),
            outsiders=NOT_MEMBERS,
        ),
        Row(
            f"{ROOMS}:room_message_edit",
            "student_a",
            lambda w, actor, fn: fn(actor=actor, message=w.room_message(), body="Edited"),
            refusal=PermissionDenied,
            outsiders=NOT_MEMBERS,
            insiders={"teacher": PermissionDenied},  # only its author edits
        ),
        Row(
            f"{ROOMS}:room_message_delete",
            "teacher",
            lambda w, actor, fn: fn(actor=actor, message=w.room_message()),
            refusal=PermissionDenied,
            outsiders=NOT_MEMBERS,
        ),
        Row(
            f"{ROOMS}:room_mark_read",
            "teacher",
            lambda w, actor, fn: fn(actor=actor, room=w.room(), last_read_id=0),
            outsiders=NOT_MEMBERS,
            writes=False,  # moves no marker back: a member's call changes nothing here
        ),
    ]


SAFETY = "inbox.safety.services"


def _safety_rows() -> list[Row]:
    """Only admins handle reports and lift suspensions (everyone else: 404); only a reader who did
    not send a message reports it."""
    not_admins = dict.fromkeys(("teacher", "student_a", "parent_a"), NotFound)
    handle = [
        Row(
            f"{SAFETY}:{name}",
            "admin",
            lambda w, actor, fn: fn(actor=actor, report_id=w.report_id, note="Seen."),
            insiders=not_admins,
        )
        for name in (
            "report_dismiss",
            "report_remove_message",
            "report_block_sender",
            "report_suspend_sender",
        )
    ]
    return [
        *handle,
        Row(
            f"{SAFETY}:messaging_suspension_lift",
            "admin",
            lambda w, actor, fn: fn(actor=actor, user_id=w.user_ids["other_student"]),
            insiders=not_admins,
        ),
        Row(
            f"{SAFETY}:user_block",
            "teacher",
            lambda w, actor, fn: fn(actor=actor, user_id=w.user_ids["student_a"]),
        ),
        Row(
            f"{SAFETY}:message_report",
            "student_a",
            lambda w, actor, fn: fn(actor=actor, message_id=w.dm_id, reason="spam"),
            insiders={"teacher": NotFound},  # its sender
        ),
    ]


PAPERS = "billing.papers.services"


# --- billing core (billing/services.py): orders and money movements --------------------------------
CORE = "billing.services"


def _core_rows() -> list[Row]:
    from billing.services import Line

    def open_order(w):
        return w.papers_invoice.order

    return [
        Row(
            f"{CORE}:payer_check",
            "student_a",
            lambda w, actor, fn: fn(actor=actor, student=w.user("student_a")),
            insiders={"teacher": NotFound},
            writes=False,
        ),
        Row(
            f"{CORE}:order_create",
            "student_a",
            lambda w, actor, fn: fn(
                actor=actor,
                student=w.user("student_a"),
                kind="course",
                method="manual",
                currency="EUR",
                lines=[Line(description="A course", unit_price=Decimal("10"))],
            ),
            insiders={"teacher": NotFound},
        ),
        Row(
            f"{CORE}:order_cancel",
            "student_a",
            lambda w, actor, fn: fn(actor=actor, order=open_order(w)),
            insiders={"teacher": NotFound, "parent_a": NotFound},
        ),
        Row(
            f"{CORE}:manual_payment_record",
            "admin",
            lambda w, actor, fn: fn(actor=actor, order=open_order(w)),
            refusal=PermissionDenied,
            insiders={"student_a": PermissionDenied, "teacher": PermissionDenied},
        ),
    ]


def _papers_rows() -> list[Row]:
    """Only admins refund by hand and mark a manual invoice paid (everyone else: 404). The
    objects are the World's (see `_world_with_papers` at the end of this module)."""
    not_admins = dict.fromkeys(("teacher", "student_a", "parent_a"), NotFound)
    return [
        Row(
            f"{PAPERS}:admin_refund_create",
            "admin",
            lambda w, actor, fn: fn(actor=actor, payment=w.papers_payment, amount="1.00", note="x"),
            insiders=not_admins,
        ),
        Row(
            f"{PAPERS}:admin_invoice_mark_paid",
            "admin",
            lambda w, actor, fn: fn(actor=actor, invoice=w.papers_invoice),
            insiders=not_admins,
        ),
    ]


ROWS = [
    *_lesson_rows(),
    *_teaching_rows(),
    *_progress_rows(),
    *_profile_rows(),
    *_course_rows(),
    *_people_rows(),
    *_room_rows(),
    *_safety_rows(),
    *_papers_rows(),
    *_core_rows(),
]

# --- billing (policy): subscriptions and payouts --------------------------------------------------

PLANS = "billing.plans.services"
EARN = "billing.earnings.services"


def _policy_world(w) -> None:
    """Three plans of the teacher: A subscribed (paid by transfer) to one, to another now paused; the
    third open to subscribe to."""
    from decimal import Decimal

    from billing.models import Plan, Subscription
    from billing.plans.services import subscription_pause, subscription_start
    from billing.services import manual_payment_record

    teacher, a, admin = w.user("teacher"), w.user("student_a"), w.user("admin")
    plans = [
        Plan.objects.create(
            name=name, teacher=teacher, credits_per_month=4, price=Decimal("80"), currency="EUR"
        )
        for name in ("Row plan", "Paused plan", "Open plan")
    ]
    for plan in plans[:2]:
        manual_payment_record(
            actor=admin,
            order=subscription_start(actor=a, plan=plan, student=a, method="manual"),
        )
    active, paused = Subscription.objects.filter(student=a).order_by("pk")
    subscription_pause(actor=a, subscription=paused)
    w.plan_id, w.subscription_id, w.paused_subscription_id = plans[2].pk, active.pk, paused.pk


def _policy_rows() -> list[Row]:
    from datetime import date as _date

    from billing.models import Plan, Subscription

    def sub(w, attribute="subscription_id"):
        return Subscription.objects.get(pk=getattr(w, attribute))

    not_payer = {"parent_a": NotFound, "teacher": NotFound}
    return [
        Row(
            f"{PLANS}:subscription_start",
            "parent_a",
            lambda w, actor, fn: fn(
                actor=actor,
                plan=Plan.objects.get(pk=w.plan_id),
                student=w.user("student_a"),
                method="manual",
            ),
            insiders={"teacher": NotFound},
        ),
        Row(
            f"{PLANS}:subscription_pause",
            "student_a",
            lambda w, actor, fn: fn(actor=actor, subscription=sub(w)),
            insiders=not_payer,
        ),
        Row(
            f"{PLANS}:subscription_resume",
            "student_a",
            lambda w, actor, fn: fn(actor=actor, subscription=sub(w, "paused_subscription_id")),
            insiders=not_payer,
        ),
        Row(
            f"{PLANS}:subscription_cancel",
            "student_a",
            lambda w, actor, fn: fn(actor=actor, subscription=sub(w)),
            insiders=not_payer,
        ),
        Row(
            f"{EARN}:payout_record",
            "admin",
            lambda w, actor, fn: fn(
                actor=actor,
                teacher=w.user("teacher"),
                currency="EUR",
                amount="10.00",
                period_start=_date(2026, 11, 1),
                period_end=_date(2026, 11, 30),
            ),
            refusal=PermissionDenied,
            insiders={"teacher": PermissionDenied, "student_a": PermissionDenied},
        ),
    ]


ROWS += _policy_rows()

POLICY_SYSTEM = "the system's own step, not a person's request: "
POLICY_NO_ROW = {
    f"{PLANS}:renew_days_before": "reads a setting, writes nothing",
    f"{PLANS}:add_month": "computes a date, writes nothing",
    f"{PLANS}:grant_key": "computes a ledger key, writes nothing",
    f"{PLANS}:subscription_for_order": "finds the subscription a paid order is for (fulfilment)",
    f"{PLANS}:subscription_deliver": POLICY_SYSTEM + "the PLAN deliverer, inside order_fulfil",
    f"{PLANS}:subscription_period_paid": POLICY_SYSTEM + "a paid period (fulfilment, invoice.paid)",
    f"{PLANS}:subscription_sync": POLICY_SYSTEM + "Stripe's subscription events",
    f"{PLANS}:subscriptions_renew_due": POLICY_SYSTEM + "the hourly django-q2 schedule",
    f"{PLANS}:subscription_renewal_issue": POLICY_SYSTEM + "the hourly schedule's renewal invoice",
    f"{EARN}:earned_key": "computes a ledger key, writes nothing",
    f"{EARN}:lesson_paid_value": "reads what a lesson was paid with, writes nothing",
    f"{EARN}:lesson_earn": POLICY_SYSTEM + "classroom's attendance / cancellation signals",
}

OWN_DATA = "acts only on the caller's own data: every interface passes the signed-in person (or "
SYSTEM = "the system's own step, not a person's request: "
NO_ROW = {
    f"{SCHED}:booking_lock_enabled": "reads a setting, writes nothing",
    f"{SCHED}:availability_replace": OWN_DATA + "their own teacher profile)",
    f"{SCHED}:time_off_add": OWN_DATA + "their own teacher profile)",
    f"{SCHED}:series_occurrences": "computes dates, writes nothing",
    f"{TEACH}:seats_give_for_enrollment": SYSTEM + "the enrolment's receiver, inside enrolment",
    f"{TEACH}:seats_release_for_enrollment": SYSTEM + "the receiver of an ended enrolment",
    f"{PROFILES}:teacher_profile_ensure": SYSTEM + "the profile that comes with the Teacher role",
    f"{PROFILES}:student_profile_ensure": SYSTEM + "the profile that comes with the Student role",
    f"{PROFILES}:student_profile_update": OWN_DATA + "their own account)",
    "classroom.calendar.services:new_token": "makes a random token, writes nothing",
    "classroom.calendar.services:calendar_feed_regenerate": OWN_DATA + "their own account)",
    "classroom.calendar.services:calendar_feed_revoke": OWN_DATA + "their own account)",
    "classroom.calendar.services:calendar_feed_note_fetch": SYSTEM
    + "the feed's secret token is the credential (selector calendar_feed_get_by_token)",
    f"{COURSES}:enrollment_lock_enabled": "reads a setting, writes nothing",
    f"{COURSES}:material_file_open": "opens a file for the person the selector material_get_for_user "
    "let see it, writes nothing (announces the download)",
    f"{PAGES}:course_index_ensure": SYSTEM + "the catalog page every course page goes under",
    f"{PAGES}:course_page_create": SYSTEM + "a new course's draft page (course_create, "
    "course_page_publish and course_publish_through_page check the actor first)",
    f"{PAGES}:course_pages_unpublish": SYSTEM + "course_update (which checks) takes a course down",
    f"{PAGES}:on_page_published": SYSTEM + "Wagtail's page_published signal (its own permissions)",
    f"{PAGES}:on_page_unpublished": SYSTEM + "Wagtail's page_unpublished signal",
    f"{AUTH}:role_group": "looks up (or seeds) a role's group",
    f"{AUTH}:user_add_role": SYSTEM + "sign-up and an accepted guardian invitation",
    f"{AUTH}:user_roles_changed": SYSTEM + "the m2m_changed receiver of role groups",
    f"{AUTH}:signup_role_clean": "validates a value, writes nothing",
    f"{AUTH}:user_signup_complete": OWN_DATA + "the account allauth just created)",
    f"{AUTH}:profile_update": OWN_DATA + "their own account)",
    f"{AUTH}:avatar_process": "validates and re-encodes an upload, writes nothing",
    f"{AUTH}:avatar_set": OWN_DATA + "their own account)",
    f"{AUTH}:avatar_remove": OWN_DATA + "their own account)",
    # The inbox. Direct messages take `user`/`sender`: who may see a message is inbox.rules and the
    # messaging selectors; tests/inbox/test_messages.py::test_every_message_operation_answers_a_
    # non_participant_as_a_missing_id walks every message route as a non-participant.
    **{
        f"{MESSAGING}:{name}": "access through inbox.rules / the messaging selectors: "
        "tests/inbox/test_messages.py walks every message operation as a non-participant"
        for name in (
            "message_archive",
            "message_delete",
            "message_mark_read",
            "message_reply",
            "message_restore",
            "message_unarchive",
            "thread_mark_read",
        )
    },
    f"{MESSAGING}:message_send": "who may write to whom is inbox.rules (blocks, suspensions, "
    "guardians): tests/inbox/test_safety_rules.py and tests/inbox/test_safety_minors.py",
    f"{ATTACH}:attachments_save": SYSTEM + "the files of a message its sending service already "
    "checked (message_send, message_reply, room_message_post)",
    f"{ATTACH}:stored_files_cleanup": SYSTEM + "removes the files of a failed send, writes no rows",
    "inbox.live.services:room_read_frame": OWN_DATA + "the socket's user moves their own read "
    "marker; tests/inbox/test_live.py covers the read frame)",
    f"{NOTIFY}:channels_for": "reads a person's settings, writes nothing",
    f"{NOTIFY}:digest_cutoff": "computes a time, writes nothing",
    f"{NOTIFY}:digest_send": SYSTEM + "the daily digest job",
    f"{NOTIFY}:held_send": SYSTEM + "the job that sends emails held through quiet hours",
    f"{NOTIFY}:forget_unread": SYSTEM + "drops a cached unread count",
    f"{NOTIFY}:localized_path": "computes a path, writes nothing",
    f"{NOTIFY}:notification_email": "builds an email, writes nothing",
    f"{NOTIFY}:notification_email_send": SYSTEM + "sends a notification to its recipient",
    f"{NOTIFY}:notification_open": OWN_DATA + "the view finds the notification among the "
    "signed-in person's own)",
    f"{NOTIFY}:notification_settings_replace": OWN_DATA + "their own settings)",
    f"{NOTIFY}:notifications_mark_read": OWN_DATA + "their own notifications)",
    f"{NOTIFY}:quiet_until": "computes a time, writes nothing",
    f"{NOTIFY}:render_digest": "renders text, writes nothing",
    f"{NOTIFY}:render_email": "renders text, writes nothing",
    f"{NOTIFY}:render_text": "renders text, writes nothing",
    f"{NOTIFY}:settings_of": "reads (or makes) a person's own settings",
    "inbox.reminders.services:lesson_reminders_send": SYSTEM + "the lesson reminder job",
    f"{SCHED}:hold_minutes": "reads a setting, writes nothing",
    f"{SCHED}:lesson_hold_expire": SYSTEM + "a held booking not paid in time (the sweep)",
    f"{SCHED}:lessons_hold_expire_due": SYSTEM + "the hold sweep job",
    "courses.services:payment_hours": "reads a setting, writes nothing",
    "courses.services:enrollment_release_unpaid": SYSTEM
    + "a pending enrolment not paid in time (the sweep)",
    "courses.services:enrollments_release_unpaid_due": SYSTEM + "the unpaid-enrolment sweep job",
    f"{ROOMS}:course_room_sync": SYSTEM + "keeps a course room in line with the course "
    "(course_room_open checks the actor first)",
    f"{ROOMS}:course_room_student_add": SYSTEM + "an enrolment became active",
    f"{ROOMS}:course_room_teachers_changed": SYSTEM + "a course's teachers changed",
    f"{COURSES}:course_teachers_changed_announce": SYSTEM + "announces a change its caller "
    "(course_teachers_set, Django's admin form) already made",
    f"{ROOMS}:course_room_student_remove": SYSTEM + "an enrolment ended",
}

# Services that take an `actor` but have nobody to refuse, so no row can be written: each acts on
# the actor's own part only, or `actor` names who caused an event rather than who asks.
ACTOR_WITHOUT_REFUSAL = {
    # Reviewed (issue 13's leftovers): room_leave has a row now (a non-member is refused with
    # NotFound). These two stay, because no actor can be refused without breaking what they are:
    # - user_unblock filters by `blocker=actor`, so whoever calls it can only lift their own block;
    #   another person's block is out of its reach by construction, and lifting nothing is the
    #   documented idempotent answer (the API's DELETE finds the block first: 404 for anyone
    #   else's, tests/inbox/test_safety_api.py::test_another_persons_block_answers_404).
    f"{SAFETY}:user_unblock": "deletes the actor's own block only (`blocker=actor`; lifting "
    "nothing is fine): tests/inbox/test_safety_api.py::test_another_persons_block_answers_404",
    # - notify's `actor` is who caused the event (named in the notification), not who asks: the
    #   receivers that call it run after their own service checked the person who acted.
    f"{NOTIFY}:notify": SYSTEM + "`actor` is who caused the event (shown in the notification), "
    "not who asks; called by the inbox's signal receivers after their services checked",
}
NO_ROW.update(ACTOR_WITHOUT_REFUSAL)
NO_ROW.update(POLICY_NO_ROW)  # billing (policy)


# --- dashboards: the weekly summary subscription (dashboards/admin/services.py) --------------------
DASH = "dashboards.admin.services"
SNAPSHOT_APPS.add("dashboards")
ROWS.append(
    Row(
        f"{DASH}:report_subscribe",
        "admin",
        lambda w, actor, fn: fn(actor=actor, language="es"),
        insiders=dict.fromkeys(("student_a", "parent_a", "teacher"), NotFound),
    )
)
NO_ROW.update(
    {
        f"{DASH}:report_subscription_get": "reads the person's own subscription, writes nothing",
        f"{DASH}:iso_week": "computes a week's name, writes nothing",
        f"{DASH}:weekly_reports_send": SYSTEM + "the weekly summary job (admins only, checked "
        "for each subscriber as it sends)",
    }
)
ACTOR_WITHOUT_REFUSAL[f"{DASH}:report_unsubscribe"] = (
    "turns off the actor's own subscription only (nothing to turn off is fine): "
    "tests/dashboards/test_admin_dashboard_weekly.py"
)
NO_ROW.update(ACTOR_WITHOUT_REFUSAL)


def test_every_service_is_declared():
    services = public_services()
    with_rows = {row.service for row in ROWS}
    undeclared = sorted(set(services) - with_rows - NO_ROW.keys())
    assert not undeclared, f"give these services rows in ROWS (or a reason in NO_ROW): {undeclared}"
    stale = sorted((with_rows | NO_ROW.keys()) - set(services))
    assert not stale, f"these rows name services that no longer exist: {stale}"
    both = sorted(with_rows & NO_ROW.keys())
    assert not both, f"declared twice: {both}"
    acting = sorted(
        name
        for name, fn in services.items()
        if "actor" in inspect.signature(fn).parameters
        and name not in with_rows
        and name not in ACTOR_WITHOUT_REFUSAL
    )
    assert not acting, f"services that act for someone need rows, not a NO_ROW reason: {acting}"
    assert len({row.id for row in ROWS}) == len(ROWS), "two rows with the same id: add a label"


def _outcome(row: Row, world: World, principal: str):
    try:
        row.call(world, world.user(principal), service(row.service))
    except DomainError as exc:
        return type(exc)
    return None


@pytest.mark.django_db
@pytest.mark.parametrize("row", ROWS, ids=[row.id for row in ROWS])
def test_only_the_person_who_may_act_gets_the_service_done(row):
    world = World()
    expected = {**dict.fromkeys(row.outsiders, row.refusal), **row.insiders}
    problems = []
    for principal, error in expected.items():
        before = snapshot()
        outcome = _outcome(row, world, principal)
        if outcome is not error:
            got = outcome.__name__ if outcome else "done"
            problems.append(f"{principal}: {got}, expected {error.__name__}")
        changed = sorted(label for label, rows in snapshot().items() if before[label] != rows)
        if changed:
            problems.append(f"{principal} wrote {changed}")
    assert not problems, problems

    before = snapshot()
    outcome = _outcome(row, world, row.legit)
    assert outcome is None, f"{row.legit} was refused: {outcome.__name__}"
    if row.writes:
        assert snapshot() != before, f"{row.legit}'s call wrote nothing: the row tests nothing"


# --- billing papers (billing/papers/services.py): the admins' money actions ------------------------
_world_without_papers = World.__init__


def _world_with_papers(self):
    """Student A's paid course order (its payment) and an outstanding manual invoice of theirs."""
    _world_without_papers(self)
    from tests.billing.factories_papers import course_order, paid_course_order

    student = User.objects.get(pk=self.user_ids["student_a"])
    admin = User.objects.get(pk=self.user_ids["admin"])
    self.papers_payment = paid_course_order(student=student, admin=admin).payments.get()
    self.papers_invoice = course_order(student=student).invoices.get()


World.__init__ = _world_with_papers
NO_ROW.update(
    {
        f"{PAPERS}:enqueue_invoice_email": "queues a task, writes nothing",
        f"{PAPERS}:enqueue_pdf": "queues a task, writes nothing",
        f"{PAPERS}:parse_amount": "parses a number, writes nothing",
        f"{PAPERS}:manual_invoice_issue": SYSTEM + "checkout's step after `order_create` checked "
        "the payer (the order's invoice, once)",
    }
)
SNAPSHOT_APPS.add("billing")  # a refused money action writes no billing row either

CORE_CALLERS_CHECKED = "`actor` is recorded as who caused it; every caller checked first "
ACTOR_WITHOUT_REFUSAL.update(
    {
        f"{CORE}:refund_create": CORE_CALLERS_CHECKED
        + "(admin_refund_create for admins, the policy's receivers, an undeliverable payment)",
        f"{CORE}:ledger_add": CORE_CALLERS_CHECKED
        + "(the package and policy receivers, lesson_pay_with_credit's payer check)",
    }
)
NO_ROW.update(
    {
        f"{CORE}:refund_create": ACTOR_WITHOUT_REFUSAL[f"{CORE}:refund_create"],
        f"{CORE}:ledger_add": ACTOR_WITHOUT_REFUSAL[f"{CORE}:ledger_add"],
        f"{CORE}:money": "rounds a number, writes nothing",
        f"{CORE}:order_get_locked": "locks and reads an order, writes nothing",
        f"{CORE}:order_fulfil": SYSTEM + "money arrived (a Stripe event, manual_payment_record, "
        "a credit payment whose service checked the payer)",
        f"{CORE}:next_number": SYSTEM + "an invoice's number inside its issuing transaction",
        f"{CORE}:invoice_for_order": SYSTEM + "an order's paper, issued by checkout or fulfilment",
        f"{CORE}:credit_note_for_refund": SYSTEM + "the paper of a refund refund_create wrote",
        f"{CORE}:credit_balance": "reads a balance, writes nothing",
        f"{CORE}:earning_record": SYSTEM + "a teacher's share of a payment or delivered lesson",
        f"{CORE}:earning_reverse": SYSTEM + "a refund takes back its share of the earnings",
        f"{CORE}:order_expiry": "computes a time, writes nothing",
    }
)


# --- billing, front (issue 14): checkout ------------------------------------------------------------
# Only the student or their parent places an order for the student's pending enrolment or held
# lesson; a teacher (A's own) or an admin does not pay for A and meets a missing one, like outsiders.

SNAPSHOT_APPS.add("billing")
CHECKOUT = "billing.checkout.services"
_world_init_before_billing = World.__init__


def _world_with_a_held_lesson(self):
    from decimal import Decimal

    _world_init_before_billing(self)
    a = self.user("student_a")
    held = lesson_book(
        actor=a,
        teacher=self.teacher_profile(),
        student=a,
        start=days_ahead(40),
        length=60,
        hold=True,
    )
    Lesson.objects.filter(pk=held.pk).update(price=Decimal("40.00"), currency="EUR")
    self.held_lesson_id = held.pk


World.__init__ = _world_with_a_held_lesson
_NOT_PAYERS = {"teacher": NotFound, "admin": NotFound}

BILLING_ROWS = [
    Row(
        f"{CHECKOUT}:checkout_course",
        "student_a",
        lambda w, actor, fn: fn(actor=actor, enrollment=w.enrollment("pending_enrollment_id")),
        insiders=_NOT_PAYERS,
    ),
    Row(
        f"{CHECKOUT}:checkout_course",
        "parent_a",
        lambda w, actor, fn: fn(actor=actor, enrollment=w.enrollment("pending_enrollment_id")),
        insiders=_NOT_PAYERS,
    ),
    Row(
        f"{CHECKOUT}:checkout_lessons",
        "student_a",
        lambda w, actor, fn: fn(actor=actor, lessons=[w.lesson("held_lesson_id")]),
        insiders=_NOT_PAYERS,
    ),
]
ROWS = [*ROWS, *BILLING_ROWS]  # declared; run below (the parametrized test above took its list)


@pytest.mark.django_db
@pytest.mark.parametrize("row", BILLING_ROWS, ids=[row.id for row in BILLING_ROWS])
def test_only_the_payer_gets_checkout_done(row):
    test_only_the_person_who_may_act_gets_the_service_done(row)


NO_ROW.update(
    {
        f"{CHECKOUT}:methods_available": "reads a setting, writes nothing",
        f"{CHECKOUT}:method_choose": "checks a choice against the settings, writes nothing",
        f"{CHECKOUT}:coupon_apply": "reads a coupon, writes nothing (checkout counts it when paid)",
        f"{CHECKOUT}:coupon_redeemed": "billing's receiver of a payment it recorded (no person)",
        f"{CHECKOUT}:checkout_redirect": "starts the payment of an order its caller found through "
        "order_get_for_user (the payer's); it writes only the order's Stripe session id",
        f"{CHECKOUT}:held_lessons_booked_with": "reads lessons the caller found for the payer",
    }
)


# --- homework marked done (classroom/teaching/services.py, issue 15) ------------------------------
# A's 1:1 lesson and started lesson get homework; A already marked the started one's done (undo has
# something to take back). Only the lesson's student marks it: its teacher and A's parent see the
# lesson (403), the rest meet a 404.
_world_before_homework = World.__init__


def _world_with_homework(self):
    _world_before_homework(self)
    from classroom.models import HomeworkDone

    Lesson.objects.filter(pk__in=[self.lesson_id, self.started_lesson_id]).update(
        homework="Page 12"
    )
    HomeworkDone.objects.create(
        lesson_id=self.started_lesson_id, student_id=self.user_ids["student_a"]
    )


World.__init__ = _world_with_homework
HOMEWORK_INSIDERS = {"teacher": PermissionDenied, "parent_a": PermissionDenied}
HOMEWORK_ROWS = [
    Row(
        f"{TEACH}:homework_done_mark",
        "student_a",
        lambda w, actor, fn: fn(actor=actor, lesson=w.lesson()),
        insiders=HOMEWORK_INSIDERS,
    ),
    Row(
        f"{TEACH}:homework_done_undo",
        "student_a",
        lambda w, actor, fn: fn(actor=actor, lesson=w.lesson("started_lesson_id")),
        insiders=HOMEWORK_INSIDERS,
    ),
]
ROWS = [*ROWS, *HOMEWORK_ROWS]  # declared; run below (the parametrized test above took its list)


@pytest.mark.django_db
@pytest.mark.parametrize("row", HOMEWORK_ROWS, ids=[row.id for row in HOMEWORK_ROWS])
def test_only_the_lessons_student_marks_its_homework(row):
    test_only_the_person_who_may_act_gets_the_service_done(row)
