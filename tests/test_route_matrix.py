"""Every HTML route × seven principals, each with a declared answer (the API has its own matrix in
tests/api/test_permission_matrix.py; the admin sites are the security matrix's).

The routes come from the URL resolver: a new route without a row in ROUTES fails
`test_every_route_has_a_row`. Left out, because they are not this project's pages or have a matrix of
their own: the Django and Wagtail admins, the API, allauth's account views and headless API, Stripe's
webhooks, Wagtail's document serving, password-protected pages and its page-serving catch-all (the
CMS pages, covered by the page tests).

Each row addresses student A's objects (their 1:1 lesson with the teacher, their enrolment in the
teacher's group course and its session, material, module and progress note, their guardian link with
their parent, the teacher's time off …). Expected answers: 200, "login" (302 to the login page), 302
(a redirect elsewhere: after a form is sent), 404 (missing, and just as well forbidden: an object
someone may not see answers like one that does not exist), 405 (GET on a POST-only address), 403
(a role refused the whole route, whatever the id: the same for a missing object). A POST row also
says whether the action happened: "done" (302, and the object changed) or "kept" (302 back with an
error message, the object unchanged). Every request runs in a savepoint that is rolled back, so each
meets the World as built.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver

PRINCIPALS = [
    "anonymous",
    "student_a",
    "student_b",  # an unrelated student
    "teacher",  # teaches student A
    "other_teacher",
    "parent_of_a",
    "admin",
]
LOGIN = "login"
DONE = "done"
KEPT = "kept"

# Route prefixes and view modules outside this matrix (see the docstring).
EXCLUDED_PREFIXES = (
    "django-admin/",
    "admin/",
    "api/",
    "_allauth/",
    "stripe/",
    "documents/",
    "_util/",
)
EXCLUDED_MODULES = ("allauth.", "wagtail.", "djstripe.", "ninja.", "django.contrib.")


def expect(base: dict[str, int | str] | int | str, **changes: int | str) -> dict[str, int | str]:
    """Every principal's answer: `base` (a dict, or one answer for all) with some changed."""
    answers = dict(base) if isinstance(base, dict) else dict.fromkeys(PRINCIPALS, base)
    unknown = set(changes) - set(PRINCIPALS)
    assert not unknown, f"not principals: {unknown}"
    return {**answers, **changes}


EVERYONE = expect(200)
SIGNED_IN_ONLY = expect(200, anonymous=LOGIN)
# A page about one of student A's objects: A, their parent, their teacher and admins see it.
OWN = expect(404, anonymous=LOGIN, student_a=200, parent_of_a=200, teacher=200, admin=200)
# A POST-only address, asked with GET (require_POST comes first: anonymous people get 405 too).
POST_ONLY = expect(405)
LOGIN_THEN_POST_ONLY = expect(405, anonymous=LOGIN)  # login_required comes first
TEACHERS = expect(403, anonymous=LOGIN, teacher=200, other_teacher=200)
LEARNERS = expect(403, anonymous=LOGIN, student_a=200, student_b=200, parent_of_a=200)
# A direct message between student A and the teacher (A is an adult: their parent does not read it).
IN_THREAD = expect(404, anonymous=LOGIN, student_a=200, teacher=200)


@dataclass
class Row:
    expect: dict[str, int | str]
    path: Callable[[World], str]
    method: str = "get"
    data: Callable[[World], dict] = field(default=lambda w: {})
    done: Callable[[World], bool] | None = None  # a POST's effect, read after it


ROUTES: dict[str, Row] = {}  # filled below, after World


class World:
    """The principals and student A's objects, built once for the module."""

    def __init__(self):
        from authentication.services import guardian_accept, guardian_invite
        from classroom.calendar.services import calendar_feed_regenerate
        from classroom.scheduling.services import lesson_book, time_off_add
        from classroom.teaching.services import lesson_material_attach
        from tests.authentication.factories import AdminFactory, ParentFactory, StudentFactory
        from tests.booking.factories import bookable_teacher, days_ahead
        from tests.calendar.factories import group_session
        from tests.courses.factories import EnrollmentFactory, MaterialFactory, ModuleFactory
        from tests.courses.page_helpers import live_course
        from tests.progress.factories import ProgressNoteFactory

        student_a = StudentFactory(email="student.a@example.com")
        parent = ParentFactory(email="parent.a@example.com")
        guardian_accept(
            link=guardian_invite(actor=parent, email=student_a.email, as_role="child"),
            actor=student_a,
        )
        teacher = bookable_teacher(email="teacher@example.com")
        self.users = {
            "student_a": student_a,
            "student_b": StudentFactory(email="student.b@example.com"),
            "teacher": teacher.user,
            "other_teacher": bookable_teacher(email="other.teacher@example.com").user,
            "parent_of_a": parent,
            "admin": AdminFactory(email="admin@example.com"),
        }
        self.link = student_a.guardian_links.get()
        self.teacher_profile = teacher
        self.course = live_course(owner=teacher.user, format="group", capacity=8)
        self.enrollment = EnrollmentFactory(course=self.course, student=student_a)
        self.module = ModuleFactory(course=self.course)
        self.material = MaterialFactory(course=self.course, module=self.module)
        self.note = ProgressNoteFactory(enrollment=self.enrollment)
        self.session = group_session(
            teacher=teacher, course=self.course, start=days_ahead(9), seats=[student_a]
        )
        # Shared in the session, so its page offers "Stop sharing" (asked first).
        lesson_material_attach(actor=teacher.user, lesson=self.session, material=self.material)
        self.lesson = lesson_book(
            actor=student_a, teacher=teacher, student=student_a, start=days_ahead(5), length=60
        )
        self.time_off = time_off_add(
            teacher=teacher, start=days_ahead(30), end=days_ahead(30) + timedelta(hours=2)
        )
        self.feed_token = calendar_feed_regenerate(user=student_a).token
        # Inbox safety: the teacher's direct message to student A, and student A's block of the
        # other teacher (made directly: they share nothing to see each other by).
        from inbox.models import UserBlock
        from tests.inbox.safety_people import write

        self.safety_message = write(teacher.user, student_a, "See you on Monday")
        self.block = UserBlock.objects.create(
            blocker=student_a, blocked=self.users["other_teacher"]
        )
        from django.core.files.uploadedfile import SimpleUploadedFile

        from inbox.messaging.services import message_send

        self.message = message_send(
            sender=student_a,
            recipient_id=teacher.user.pk,
            subject="Homework",
            body="Friday?",
            attachments=[SimpleUploadedFile("notes.txt", b"My notes\n")],
        )
        self.attachment = self.message.attachments.get()
        self._rooms(teacher.user, student_a)
        self._policy(teacher.user, student_a)  # billing (policy)

    def _policy(self, teacher, student_a):
        """billing (policy): student A's subscription (paid by A, by transfer) to a plan of the
        teacher's."""
        from decimal import Decimal

        from billing.models import Plan
        from billing.plans.services import subscription_start
        from billing.services import manual_payment_record

        plan = Plan.objects.create(
            name="Route plan", teacher=teacher, credits_per_month=4, price=Decimal("80.00")
        )
        order = subscription_start(actor=student_a, plan=plan, student=student_a, method="manual")
        manual_payment_record(actor=self.users["admin"], order=order)
        self.subscription = plan.subscriptions.get()

    def _rooms(self, teacher, student_a):
        """The course's room (the teacher and student A) with a message of A's, and a group room
        the teacher made with A."""
        from inbox.rooms.services import course_room_sync, group_room_create, room_message_post

        self.room = course_room_sync(course=self.course)
        self.room_message = room_message_post(actor=student_a, room=self.room, body="Hello")
        self.group_room = group_room_create(
            actor=teacher, name="Study group", member_ids=[student_a.pk]
        )


ROUTES.update(
    {
        # Site-wide
        "bench-ok": Row(EVERYONE, lambda w: "/bench/ok/"),
        "sitemap": Row(EVERYONE, lambda w: "/sitemap.xml"),
        "robots-txt": Row(EVERYONE, lambda w: "/robots.txt"),
        "search": Row(EVERYONE, lambda w: "/search/?q=algebra"),
        "set_language": Row(expect(302), lambda w: "/i18n/setlang/"),
        # The calendar feed answers its secret token, whoever asks.
        "calendar-feed": Row(EVERYONE, lambda w: f"/calendar/{w.feed_token}.ics"),
        # Accounts and families
        "account_signup": Row(expect(302, anonymous=200), lambda w: "/auth/register/"),
        "profile": Row(SIGNED_IN_ONLY, lambda w: "/auth/profile/"),
        "profile-edit": Row(SIGNED_IN_ONLY, lambda w: "/auth/profile/edit/"),
        "profile-timezone": Row(LOGIN_THEN_POST_ONLY, lambda w: "/auth/profile/timezone/"),
        # Asks before removing one of your own addresses (student A's second one); anyone else's
        # address is not there.
        "account-email-remove": Row(
            expect(404, anonymous=LOGIN, student_a=200), lambda w: _second_address(w)
        ),
        "guardians": Row(SIGNED_IN_ONLY, lambda w: "/auth/guardians/"),
        "guardian-accept": Row(
            LOGIN_THEN_POST_ONLY, lambda w: f"/auth/guardians/{w.link.pk}/accept/"
        ),
        # Either side of the link is asked before ending it (tests/test_confirmations.py).
        "guardian-remove": Row(
            expect(404, anonymous=LOGIN, student_a=200, parent_of_a=200),
            lambda w: f"/auth/guardians/{w.link.pk}/remove/",
        ),
        # The guardian reads what they consent to; the child sees the link but does not consent.
        "guardian-consent": Row(
            expect(404, anonymous=LOGIN, parent_of_a=200),
            lambda w: f"/auth/guardians/{w.link.pk}/consent/",
        ),
        # Teachers and students
        "teacher-directory": Row(EVERYONE, lambda w: "/teachers/"),
        "teacher-profile-edit": Row(TEACHERS, lambda w: "/teachers/me/edit/"),
        "teacher-detail": Row(EVERYONE, lambda w: f"/teachers/{w.teacher_profile.slug}/"),
        "student-profile-edit": Row(
            expect(403, anonymous=LOGIN, student_a=200, student_b=200),
            lambda w: "/students/me/edit/",
        ),
        "student-date-of-birth": Row(
            expect(403, anonymous=LOGIN, parent_of_a=200, admin=200),  # guardians' and admins'
            lambda w: f"/students/{w.users['student_a'].pk}/date-of-birth/",
        ),
        # Scheduling
        "lesson-list": Row(SIGNED_IN_ONLY, lambda w: "/lessons/"),
        "availability-edit": Row(TEACHERS, lambda w: "/lessons/availability/"),
        # An admin without a teacher profile has no week to show: 404 rather than the role's 403.
        "week-schedule": Row(expect(TEACHERS, admin=404), lambda w: "/lessons/week/"),
        "time-off": Row(TEACHERS, lambda w: "/lessons/time-off/"),
        "time-off-delete": Row(
            expect(TEACHERS, other_teacher=404),
            lambda w: f"/lessons/time-off/{w.time_off.pk}/delete/",
        ),
        "calendar-feed-page": Row(SIGNED_IN_ONLY, lambda w: "/lessons/calendar/"),
        # Asked before: only student A has a feed; anyone else is sent back to the feed page.
        "calendar-feed-regenerate": Row(
            expect(302, anonymous=LOGIN, student_a=200), lambda w: "/lessons/calendar/new-address/"
        ),
        "calendar-feed-turn-off": Row(
            expect(302, anonymous=LOGIN, student_a=200), lambda w: "/lessons/calendar/turn-off/"
        ),
        "lesson-book": Row(LEARNERS, lambda w: f"/lessons/book/{w.teacher_profile.pk}/"),
        # The review of a free time; a parent who names no child is sent back to choose one.
        "lesson-book-review": Row(
            expect(LEARNERS, parent_of_a=302),
            lambda w: (
                f"/lessons/book/{w.teacher_profile.pk}/review/?"
                + urlencode({"start": _review_start().isoformat(), "length": 60})
            ),
        ),
        # GET asks first, saying what cancelling means; the POST row below cancels.
        "lesson-cancel": Row(OWN, lambda w: f"/lessons/{w.lesson.pk}/cancel/"),
        "lesson-reschedule": Row(OWN, lambda w: f"/lessons/{w.lesson.pk}/reschedule/"),
        # Teaching
        "lesson-detail": Row(OWN, lambda w: f"/lessons/{w.session.pk}/"),
        # Asked before (tests/test_confirmations.py): the session's teacher and admins stop sharing
        # a material; student A and their parent give up A's seat.
        "lesson-material-detach": Row(
            expect(404, anonymous=LOGIN, teacher=200, admin=200),
            lambda w: f"/lessons/{w.session.pk}/materials/{w.material.pk}/stop-sharing/",
        ),
        "lesson-seat-release": Row(
            expect(404, anonymous=LOGIN, student_a=200, parent_of_a=200),
            lambda w: f"/lessons/{w.session.pk}/seats/{w.users['student_a'].pk}/release/",
        ),
        "course-sessions": Row(OWN, lambda w: f"/lessons/course/{w.course.pk}/sessions/"),
        "session-create": Row(
            expect(403, anonymous=LOGIN, teacher=200, other_teacher=404, admin=200),
            lambda w: f"/lessons/course/{w.course.pk}/sessions/new/",
        ),
        # Progress
        "progress-home": Row(SIGNED_IN_ONLY, lambda w: "/progress/"),
        "dashboard": Row(SIGNED_IN_ONLY, lambda w: "/dashboard/"),
        "progress-history": Row(
            OWN, lambda w: f"/progress/history/?student={w.users['student_a'].pk}"
        ),
        "progress-student": Row(
            expect(403, anonymous=LOGIN, teacher=200, other_teacher=404),  # a teacher's page
            lambda w: f"/progress/students/{w.users['student_a'].pk}/",
        ),
        "progress-enrollment": Row(OWN, lambda w: f"/progress/enrollments/{w.enrollment.pk}/"),
        "progress-module-mark": Row(
            POST_ONLY,
            lambda w: f"/progress/enrollments/{w.enrollment.pk}/modules/{w.module.pk}/",
        ),
        "progress-note-add": Row(
            POST_ONLY, lambda w: f"/progress/enrollments/{w.enrollment.pk}/notes/"
        ),
        # The note's author (the teacher) and admins are asked; the note's readers meet a 404.
        "progress-note-delete": Row(
            expect(404, anonymous=LOGIN, teacher=200, admin=200),
            lambda w: f"/progress/notes/{w.note.pk}/delete/",
        ),
        # Direct messages: student A's message to their teacher; only the two reach it.
        "messages-inbox": Row(SIGNED_IN_ONLY, lambda w: "/messages/"),
        "messages-sent": Row(SIGNED_IN_ONLY, lambda w: "/messages/sent/"),
        "messages-archive": Row(SIGNED_IN_ONLY, lambda w: "/messages/archive/"),
        "messages-trash": Row(SIGNED_IN_ONLY, lambda w: "/messages/trash/"),
        "message-new": Row(SIGNED_IN_ONLY, lambda w: "/messages/new/"),
        "message-thread": Row(IN_THREAD, lambda w: f"/messages/threads/{w.message.pk}/"),
        "message-reply": Row(POST_ONLY, lambda w: f"/messages/{w.message.pk}/reply/"),
        "message-archive": Row(IN_THREAD, lambda w: f"/messages/{w.message.pk}/archive/"),
        "message-unarchive": Row(POST_ONLY, lambda w: f"/messages/{w.message.pk}/unarchive/"),
        "message-delete": Row(IN_THREAD, lambda w: f"/messages/{w.message.pk}/delete/"),
        "message-restore": Row(POST_ONLY, lambda w: f"/messages/{w.message.pk}/restore/"),
        "message-attachment": Row(IN_THREAD, lambda w: f"/messages/attachments/{w.attachment.pk}/"),
        # Courses
        "course-catalog": Row(EVERYONE, lambda w: "/courses/"),
        "my-courses": Row(LEARNERS, lambda w: "/courses/mine/"),
        "teach-courses": Row(TEACHERS, lambda w: "/courses/teach/"),
        "teach-course-create": Row(TEACHERS, lambda w: "/courses/teach/new/"),
        "teach-course": Row(
            expect(403, anonymous=LOGIN, teacher=200, other_teacher=404, admin=200),
            lambda w: f"/courses/teach/{w.course.pk}/",
        ),
        "teach-course-edit": Row(
            expect(403, anonymous=LOGIN, teacher=200, other_teacher=404, admin=200),
            lambda w: f"/courses/teach/{w.course.pk}/edit/",
        ),
        "teach-course-publish": Row(POST_ONLY, lambda w: f"/courses/teach/{w.course.pk}/publish/"),
        "material-download": Row(OWN, lambda w: f"/courses/materials/{w.material.pk}/download/"),
        # Asked before: the student and their parent withdraw; the course's teacher and admins
        # remove (the role's 403 for learners, 404 for a teacher of another course).
        "enrollment-withdraw": Row(
            expect(404, anonymous=LOGIN, student_a=200, parent_of_a=200),
            lambda w: f"/courses/enrollments/{w.enrollment.pk}/withdraw/",
        ),
        "enrollment-remove": Row(
            expect(403, anonymous=LOGIN, teacher=200, other_teacher=404, admin=200),
            lambda w: f"/courses/enrollments/{w.enrollment.pk}/remove/",
        ),
        "course-detail": Row(EVERYONE, lambda w: f"/courses/{w.course.slug}/"),
        "course-enrol": Row(POST_ONLY, lambda w: f"/courses/{w.course.slug}/enrol/"),
    }
)

# Inbox safety (inbox/safety/urls.py).
ROUTES.update(
    {
        "inbox-blocks": Row(SIGNED_IN_ONLY, lambda w: "/inbox/blocked/"),
        # Blocking the teacher asks first: whoever may write to them (their student, that
        # student's parent, a fellow teacher, admins); the teacher themself meets an unknown id.
        "inbox-block": Row(
            expect(
                404, anonymous=LOGIN, student_a=200, parent_of_a=200, other_teacher=200, admin=200
            ),
            lambda w: f"/inbox/people/{w.users['teacher'].pk}/block/",
        ),
        "inbox-block #post": Row(
            expect(
                404,
                anonymous=LOGIN,
                student_a=DONE,
                parent_of_a=DONE,
                other_teacher=DONE,
                admin=DONE,
            ),
            lambda w: f"/inbox/people/{w.users['teacher'].pk}/block/",
            method="post",
            done=lambda w: _blocked(w, w.users["teacher"]),
        ),
        "inbox-unblock": Row(
            expect(404, anonymous=LOGIN, student_a=200),
            lambda w: f"/inbox/blocked/{w.block.pk}/unblock/",
        ),
        "inbox-unblock #post": Row(
            expect(404, anonymous=LOGIN, student_a=DONE),
            lambda w: f"/inbox/blocked/{w.block.pk}/unblock/",
            method="post",
            done=lambda w: not type(w.block).objects.filter(pk=w.block.pk).exists(),
        ),
        # Only the recipient reports (the sender and everyone else: 404; student A is an adult,
        # so their parent does not read it).
        "inbox-report": Row(
            expect(404, anonymous=LOGIN, student_a=200),
            lambda w: f"/inbox/messages/{w.safety_message.pk}/report/",
        ),
        "inbox-report-sent": Row(SIGNED_IN_ONLY, lambda w: "/inbox/reports/sent/"),
        "inbox-children-messages": Row(
            expect(403, anonymous=LOGIN, parent_of_a=200), lambda w: "/inbox/children/"
        ),
        # Student A is an adult: their parent reads none of their threads.
        "inbox-child-thread": Row(
            expect(403, anonymous=LOGIN, parent_of_a=404),
            lambda w: f"/inbox/children/{w.safety_message.pk}/",
        ),
    }
)


def _blocked(world, person) -> bool:
    from inbox.models import UserBlock

    return UserBlock.objects.filter(blocked=person).exists()


# notifications: the feed and the settings are everyone's own; a notification is its recipient's
# (the teacher's "lesson booked" from the World's booking), anyone else meets a missing one.
def _teachers_notification(w) -> int:
    from inbox.notifications.models import Notification

    teachers = Notification.objects.filter(recipient=w.users["teacher"]).order_by("pk")
    return teachers.values_list("pk", flat=True)[0]


ROUTES.update(
    {
        "inbox:notifications": Row(SIGNED_IN_ONLY, lambda w: "/notifications/"),
        "inbox:notification-settings": Row(SIGNED_IN_ONLY, lambda w: "/notifications/settings/"),
        "inbox:notifications-read-all": Row(
            LOGIN_THEN_POST_ONLY, lambda w: "/notifications/read-all/"
        ),
        "inbox:notification-open": Row(
            expect(404, anonymous=LOGIN, teacher=302),
            lambda w: f"/notifications/{_teachers_notification(w)}/",
        ),
        "inbox:notification-read": Row(
            LOGIN_THEN_POST_ONLY, lambda w: f"/notifications/{_teachers_notification(w)}/read/"
        ),
        "inbox:notification-read #post": Row(
            expect(404, anonymous=LOGIN, teacher=DONE),
            lambda w: f"/notifications/{_teachers_notification(w)}/read/",
            method="post",
            done=lambda w: _notification_read(w),
        ),
    }
)


def _notification_read(w) -> bool:
    from inbox.notifications.models import Notification

    return Notification.objects.get(pk=_teachers_notification(w)).read_at is not None


# Chat rooms: a room answers its members only (404 for anyone else, admins included).
ROOM = expect(404, anonymous=LOGIN, student_a=200, teacher=200)
GROUP_MANAGER = expect(404, anonymous=LOGIN, teacher=200)
ROUTES.update(
    {
        "room-list": Row(SIGNED_IN_ONLY, lambda w: "/rooms/"),
        "room-create": Row(
            expect(403, anonymous=LOGIN, teacher=200, other_teacher=200, admin=200),
            lambda w: "/rooms/new/",
        ),
        "course-room-open": Row(
            LOGIN_THEN_POST_ONLY, lambda w: f"/rooms/courses/{w.course.pk}/open/"
        ),
        "room-detail": Row(ROOM, lambda w: f"/rooms/{w.room.pk}/"),
        "room-messages": Row(ROOM, lambda w: f"/rooms/{w.room.pk}/messages/?after=0"),
        "room-post": Row(LOGIN_THEN_POST_ONLY, lambda w: f"/rooms/{w.room.pk}/post/"),
        # Its author edits a message; its author and the room's teacher delete it (asked first).
        "room-message-edit": Row(
            expect(404, anonymous=LOGIN, student_a=200),
            lambda w: f"/rooms/{w.room.pk}/messages/{w.room_message.pk}/edit/",
        ),
        "room-message-delete": Row(
            ROOM, lambda w: f"/rooms/{w.room.pk}/messages/{w.room_message.pk}/delete/"
        ),
        "room-members": Row(ROOM, lambda w: f"/rooms/{w.room.pk}/members/"),
        # A group room's teacher renames, deletes and removes members; members leave.
        "room-edit": Row(GROUP_MANAGER, lambda w: f"/rooms/{w.group_room.pk}/edit/"),
        "room-delete": Row(GROUP_MANAGER, lambda w: f"/rooms/{w.group_room.pk}/delete/"),
        "room-member-remove": Row(
            GROUP_MANAGER,
            lambda w: f"/rooms/{w.group_room.pk}/members/{w.users['student_a'].pk}/remove/",
        ),
        "room-leave": Row(ROOM, lambda w: f"/rooms/{w.group_room.pk}/leave/"),
    }
)

# billing (policy): plans, subscriptions (managed by their payer: student A), teachers' earnings.
PAYER = expect(404, anonymous=LOGIN, student_a=200, admin=200)
ROUTES.update(
    {
        "billing-plans": Row(SIGNED_IN_ONLY, lambda w: "/billing/plans/"),
        "billing-plan-subscribe": Row(
            LOGIN_THEN_POST_ONLY, lambda w: f"/billing/plans/{w.subscription.plan_id}/subscribe/"
        ),
        "billing-subscriptions": Row(SIGNED_IN_ONLY, lambda w: "/billing/subscriptions/"),
        "billing-subscription-pause": Row(
            PAYER, lambda w: f"/billing/subscriptions/{w.subscription.pk}/pause/"
        ),
        "billing-subscription-resume": Row(
            PAYER, lambda w: f"/billing/subscriptions/{w.subscription.pk}/resume/"
        ),
        "billing-subscription-cancel": Row(
            PAYER, lambda w: f"/billing/subscriptions/{w.subscription.pk}/cancel/"
        ),
        "billing-earnings": Row(expect(TEACHERS, admin=200), lambda w: "/billing/earnings/"),
        "billing-earnings-csv": Row(
            expect(TEACHERS, admin=200), lambda w: "/billing/earnings/statement.csv"
        ),
    }
)

# Second rows of a route (" #variant"): the POSTs that act on student A's objects.
ROUTES.update(
    {
        "room-post #post": Row(
            expect(404, anonymous=LOGIN, student_a=DONE, teacher=DONE),
            lambda w: f"/rooms/{w.room.pk}/post/",
            method="post",
            data=lambda w: {"body": "Posted through the page"},
            done=lambda w: w.room.messages.filter(body="Posted through the page").exists(),
        ),
        "room-message-delete #post": Row(
            expect(404, anonymous=LOGIN, student_a=DONE, teacher=DONE),
            lambda w: f"/rooms/{w.room.pk}/messages/{w.room_message.pk}/delete/",
            method="post",
            done=lambda w: (
                type(w.room_message)
                .objects.filter(pk=w.room_message.pk, deleted_at__isnull=False)
                .exists()
            ),
        ),
        # The course's teacher and admins remove an enrolment; A and their parent withdraw instead
        # (their own enrolment: refused, 403); anyone else meets a missing one.
        # Teachers and admins only (a role's 403 for anyone else, whatever the id); another
        # teacher meets a missing enrolment.
        "enrollment-remove #post": Row(
            expect(403, anonymous=LOGIN, teacher=DONE, other_teacher=404, admin=DONE),
            lambda w: f"/courses/enrollments/{w.enrollment.pk}/remove/",
            method="post",
            done=lambda w: _enrollment_ended(w),
        ),
        # The student and their parent withdraw; the teacher and admins see the enrolment but
        # remove it instead (sent back with the service's refusal).
        "enrollment-withdraw #post": Row(
            expect(OWN, student_a=DONE, parent_of_a=DONE, teacher=KEPT, admin=KEPT),
            lambda w: f"/courses/enrollments/{w.enrollment.pk}/withdraw/",
            method="post",
            done=lambda w: _enrollment_ended(w),
        ),
        "lesson-cancel #post": Row(
            expect(OWN, student_a=DONE, parent_of_a=DONE, teacher=DONE, admin=DONE),
            lambda w: f"/lessons/{w.lesson.pk}/cancel/",
            method="post",
            done=lambda w: type(w.lesson).objects.get(pk=w.lesson.pk).status == "cancelled",
        ),
        "lesson-material-detach #post": Row(
            expect(404, anonymous=LOGIN, teacher=DONE, admin=DONE),
            lambda w: f"/lessons/{w.session.pk}/materials/{w.material.pk}/stop-sharing/",
            method="post",
            done=lambda w: not w.session.materials.filter(pk=w.material.pk).exists(),
        ),
        "lesson-seat-release #post": Row(
            expect(404, anonymous=LOGIN, student_a=DONE, parent_of_a=DONE),
            lambda w: f"/lessons/{w.session.pk}/seats/{w.users['student_a'].pk}/release/",
            method="post",
            done=lambda w: (
                not w.session.seats.filter(
                    student=w.users["student_a"], cancelled_at__isnull=True
                ).exists()
            ),
        ),
        "time-off-delete #post": Row(
            expect(TEACHERS, teacher=DONE, other_teacher=404),
            lambda w: f"/lessons/time-off/{w.time_off.pk}/delete/",
            method="post",
            done=lambda w: not type(w.time_off).objects.filter(pk=w.time_off.pk).exists(),
        ),
        # The author (the teacher) and admins delete a note; the student and parent read it but
        # are sent back with the refusal.
        # Either person moves the message to their own trash; nobody else reaches it.
        "message-delete #post": Row(
            expect(IN_THREAD, student_a=DONE, teacher=DONE),
            lambda w: f"/messages/{w.message.pk}/delete/",
            method="post",
            done=lambda w: (
                type(w.message)
                .objects.filter(pk=w.message.pk)
                .exclude(sender_deleted_at=None, recipient_deleted_at=None)
                .exists()
            ),
        ),
        "progress-note-delete #post": Row(
            expect(OWN, teacher=DONE, admin=DONE, student_a=KEPT, parent_of_a=KEPT),
            lambda w: f"/progress/notes/{w.note.pk}/delete/",
            method="post",
            done=lambda w: not type(w.note).objects.filter(pk=w.note.pk).exists(),
        ),
        "guardian-consent #post": Row(
            expect(404, anonymous=LOGIN, parent_of_a=DONE, student_a=KEPT),
            lambda w: f"/auth/guardians/{w.link.pk}/consent/",
            method="post",
            done=lambda w: type(w.link).objects.get(pk=w.link.pk).consent_given_at is not None,
        ),
        "calendar-feed-turn-off #post": Row(
            expect(KEPT, anonymous=LOGIN, student_a=DONE),
            lambda w: "/lessons/calendar/turn-off/",
            method="post",
            done=lambda w: _feed_token(w) is None,
        ),
        "calendar-feed-regenerate #post": Row(
            expect(KEPT, anonymous=LOGIN, student_a=DONE),
            lambda w: "/lessons/calendar/new-address/",
            method="post",
            done=lambda w: _feed_token(w) != w.feed_token,
        ),
        "guardian-remove #post": Row(
            expect(404, anonymous=LOGIN, student_a=DONE, parent_of_a=DONE),
            lambda w: f"/auth/guardians/{w.link.pk}/remove/",
            method="post",
            done=lambda w: type(w.link).objects.get(pk=w.link.pk).status == "removed",
        ),
    }
)


def _second_address(world) -> str:
    from allauth.account.models import EmailAddress

    student = world.users["student_a"]
    address, _ = EmailAddress.objects.get_or_create(
        user=student, email=f"second-{student.pk}@example.com", defaults={"verified": True}
    )
    return "/auth/email/remove/?" + urlencode({"email": address.email})


def _feed_token(world) -> str | None:
    from classroom.models import CalendarFeed

    feed = CalendarFeed.objects.filter(user=world.users["student_a"]).first()
    return feed.token if feed else None


def _review_start():
    from tests.booking.factories import days_ahead

    return days_ahead(6)


def _enrollment_ended(world) -> bool:
    return type(world.enrollment).objects.get(pk=world.enrollment.pk).status != "active"


# --- billing papers: the PDF of student A's invoice (the payer, their guardian and admins) ---------
_world_without_papers = World.__init__


def _world_with_papers(self):
    _world_without_papers(self)
    from tests.billing.factories_papers import invoice_only_order

    self.invoice = invoice_only_order(student=self.users["student_a"]).invoices.get()


World.__init__ = _world_with_papers
ROUTES.update(
    {
        "billing-invoice-pdf": Row(
            expect(404, anonymous=LOGIN, student_a=200, parent_of_a=200, admin=200),
            lambda w: f"/billing/invoices/{w.invoice.pk}/pdf/",
        ),
    }
)


def route(key: str) -> str:
    return key.split(" #", 1)[0]


def resolver_routes() -> dict[str, str]:
    """Route name → pattern of every URL route this matrix covers, walking the resolver."""
    found: dict[str, str] = {}

    def walk(patterns, prefix: str, namespace: str | None) -> None:
        for pattern in patterns:
            text = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                inner = pattern.namespace
                walk(
                    pattern.url_patterns,
                    text,
                    f"{namespace}:{inner}" if namespace and inner else inner or namespace,
                )
                continue
            assert isinstance(pattern, URLPattern)
            module = getattr(pattern.callback, "__module__", "")
            if text.lstrip("^").startswith(EXCLUDED_PREFIXES) or module.startswith(
                EXCLUDED_MODULES
            ):
                continue
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            assert name, f"an unnamed route cannot have a row: {text} ({module})"
            found[name] = text

    walk(get_resolver().url_patterns, "", None)
    return found


def test_every_route_has_a_row():
    routes = resolver_routes()
    declared = {route(key) for key in ROUTES}
    assert not sorted(set(routes) - declared), (
        "declare who may open these routes in ROUTES: "
        f"{ {name: routes[name] for name in sorted(set(routes) - declared)} }"
    )
    assert not sorted(declared - set(routes)), "rows for routes that no longer exist"
    for key, row in ROUTES.items():
        assert set(row.expect) == set(PRINCIPALS), f"{key} must declare every principal"


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        built = World()
        yield built
        transaction.set_rollback(True)


def request(client, world: World, key: str, principal: str, path: str | None = None):
    """The row's request as `principal`, in a savepoint rolled back; its answer (see the docstring)."""
    row = ROUTES[key]
    client.logout()
    if principal != "anonymous":
        client.force_login(world.users[principal])
    with transaction.atomic():
        response = getattr(client, row.method)(path or row.path(world), row.data(world))
        result = _answer(response)
        if result == 302 and row.done is not None:
            result = DONE if row.done(world) else KEPT
        transaction.set_rollback(True)
    return result, response


def _answer(response) -> int | str:
    if response.status_code == 302 and response["Location"].startswith("/auth/login/"):
        return LOGIN
    return response.status_code


def pytest_generate_tests(metafunc):
    """The two tests below run once per row: parametrized when the module is collected, after every
    `ROUTES.update` of the file has run (a `parametrize` mark would freeze the rows written above it
    and silently skip those added further down)."""
    if metafunc.function is test_each_route_answers_each_principal_as_declared:
        metafunc.parametrize("key", sorted(ROUTES))
    elif metafunc.function is test_a_forbidden_object_answers_like_a_missing_one:
        refused = [k for k, row in ROUTES.items() if set(row.expect.values()) & set(REFUSALS)]
        metafunc.parametrize("key", sorted(refused))


@pytest.mark.django_db
def test_each_route_answers_each_principal_as_declared(world, client, key):
    expected = ROUTES[key].expect
    got = {principal: request(client, world, key, principal)[0] for principal in PRINCIPALS}
    wrong = {p: f"{got[p]} (expected {expected[p]})" for p in PRINCIPALS if got[p] != expected[p]}
    assert not wrong, (key, wrong)


REFUSALS = (403, 404)


@pytest.mark.django_db
def test_a_forbidden_object_answers_like_a_missing_one(world, client, key):
    """Whoever is refused student A's object (404, or a role's 403) gets the same answer, and the
    same page, for an id that does not exist: a refusal never tells that the object exists."""
    row = ROUTES[key]
    real = row.path(world)
    missing = "/".join("987654321" if part.isdigit() else part for part in real.split("/"))
    missing = missing.replace(f"student={world.users['student_a'].pk}", "student=987654321")
    if missing == real:
        pytest.skip("the route addresses no object by id")
    for principal in [p for p, status in row.expect.items() if status in REFUSALS]:
        forbidden, forbidden_response = request(client, world, key, principal)
        gone, gone_response = request(client, world, key, principal, path=missing)
        assert forbidden == gone, (key, principal, forbidden, gone)
        assert _title(forbidden_response) == _title(gone_response), (key, principal)


def _title(response) -> str:
    html = response.content.decode()
    return html[html.find("<title>") : html.find("</title>")]


# --- billing, front (issue 14): the payer's pages -------------------------------------------------
# The pay pages are the payer's (student A or their parent): a teacher or an admin does not pay for
# A, so they meet a missing page. An order is seen by its payer side and admins. The order is made
# in the request's savepoint (rolled back with it).


def _a_order(world) -> int:
    from billing.choices import OrderKind, PaymentMethod
    from billing.services import Line, order_create

    child = world.users["student_a"]
    return order_create(
        actor=child,
        student=child,
        kind=OrderKind.COURSE,
        method=PaymentMethod.MANUAL,
        currency="EUR",
        lines=[Line(description="Algebra", unit_price=30)],
    ).pk


PAYER = expect(404, anonymous=LOGIN, student_a=200, parent_of_a=200)
PAYER_SIDE = expect(404, anonymous=LOGIN, student_a=200, parent_of_a=200, admin=200)
ROUTES.update(
    {
        "billing-course-pay": Row(PAYER, lambda w: f"/billing/courses/{w.enrollment.pk}/pay/"),
        "billing-lesson-pay": Row(PAYER, lambda w: f"/billing/lessons/{w.lesson.pk}/pay/"),
        "billing-order": Row(PAYER_SIDE, lambda w: f"/billing/orders/{_a_order(w)}/"),
        "billing-return": Row(PAYER_SIDE, lambda w: f"/billing/orders/{_a_order(w)}/return/"),
        "billing-history": Row(SIGNED_IN_ONLY, lambda w: "/billing/history/"),
    }
)
# Issue 13's leftovers: admins read and moderate every chat room (inbox.rules.rooms_readable_by),
# member or not — but do not write in one they are not in (the page's form error, 422) — and an
# admin's block is refused with its reason (422 admin_cannot_block).
ROOM_OR_ADMIN = expect(ROOM, admin=200)
ROUTES.update(
    {
        key: Row(ROOM_OR_ADMIN, ROUTES[key].path)
        for key in ("room-detail", "room-messages", "room-message-delete", "room-members")
    }
)
ROUTES["room-post #post"].expect = expect(ROUTES["room-post #post"].expect, admin=422)
ROUTES["room-message-delete #post"].expect = expect(
    ROUTES["room-message-delete #post"].expect, admin=DONE
)
ROUTES["inbox-block"].expect = expect(ROUTES["inbox-block"].expect, admin=422)
ROUTES["inbox-block #post"].expect = expect(ROUTES["inbox-block #post"].expect, admin=422)
# billing, front (issue 14): the payer (student A, who placed the order) or an admin cancels an open
# order: GET asks, POST cancels; A's parent sees the order but did not place it (404, as everyone
# else). The order is made in the request's savepoint, as billing-order's.


def _a_order_cancelled(world) -> bool:
    from billing.models import Order

    latest = Order.objects.filter(payer=world.users["student_a"]).order_by("-pk").first()
    return latest is not None and latest.status == "cancelled"


ROUTES.update(
    {
        "billing-order-cancel": Row(
            expect(404, anonymous=LOGIN, student_a=200, admin=200),
            lambda w: f"/billing/orders/{_a_order(w)}/cancel/",
        ),
        "billing-order-cancel #post": Row(
            expect(404, anonymous=LOGIN, student_a=DONE, admin=DONE),
            lambda w: f"/billing/orders/{_a_order(w)}/cancel/",
            method="post",
            done=_a_order_cancelled,
        ),
    }
)
