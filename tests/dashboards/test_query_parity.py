"""Issue 15's scale rule in the suite: the admin dashboard, the revenue report, a teacher's home and
the analytics API run the same number of SQL queries with 2 and with 20 of everything (teachers,
students, courses, enrolments, lessons with attendance, orders paid in two currencies with refunds and
invoices, room messages). The bench (`bench/run.py`, `bench/large_seed.py`) times the same four at
50,000 people; this keeps their query count from growing with the data between bench runs.

Each request's answer is checked to hold the new rows (a 403 or an empty table runs few queries and
would prove nothing)."""

from __future__ import annotations

import io
import json
from datetime import timedelta
from decimal import Decimal
from itertools import count

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from billing.choices import InvoiceStatus, OrderKind, PaymentMethod
from classroom.choices import AttendanceStatus, LessonStatus
from classroom.models import Attendance
from dashboards.admin.reports import REPORTS
from inbox.models import Room, RoomKind, RoomMessage
from tests.authentication.factories import PASSWORD, AdminFactory, StudentFactory, TeacherFactory
from tests.classroom.conftest import as_user
from tests.conftest import login_token
from tests.courses.factories import CourseFactory, EnrollmentFactory
from tests.dashboards.analytics_data import _invoice, _lesson, _order, _pay, _refund, utc

pytestmark = pytest.mark.django_db

NOV = {"preset": "custom", "start": "2026-11-01", "end": "2026-11-30"}
API_NOV = {"from": "2026-11-01", "to": "2026-11-30"}
REVENUE_REPORTS = [slug for slug in REPORTS if slug.startswith("revenue")]
API_TABLES = ["revenue_by_day", "revenue_by_course", "revenue_by_teacher", "attendance_students"]
API_SERIES = ["gross", "lessons_delivered", "enrolments"]


class School:
    """Grows by n of everything: n other teachers and n students of the watched teacher, each with a
    course, an enrolment, a completed 1:1 lesson with attendance, a paid order (EUR and USD in turn)
    with its invoice (every third one outstanding) and a refund every other one, and a room message."""

    def __init__(self):
        self.admin = AdminFactory()
        self.teacher = TeacherFactory(first_name="Watched", timezone="Europe/Madrid")
        self.hours = count(0)
        self.n = 0

    def grow(self, n: int) -> None:
        for _ in range(n):
            self.n += 1
            other = TeacherFactory()
            for teacher in (self.teacher, other):
                student = StudentFactory()
                course = CourseFactory(owner=teacher, title=f"Parity course {self.n}-{teacher.pk}")
                start = utc(2026, 11, 2, 8) + timedelta(hours=next(self.hours))
                EnrollmentFactory(course=course, student=student, created_at=start)
                lesson = _lesson(teacher, student, start, status=LessonStatus.COMPLETED)
                Attendance.objects.create(
                    lesson=lesson, student=student, status=AttendanceStatus.PRESENT
                )
                currency = "EUR" if self.n % 2 else "USD"
                order = _order(
                    student,
                    student,
                    teacher,
                    currency,
                    Decimal("40.00"),
                    course=course,
                    kind=OrderKind.COURSE,
                    method=PaymentMethod.STRIPE if self.n % 2 else PaymentMethod.MANUAL,
                )
                payment = _pay(order, start)
                if self.n % 2 == 0:
                    _refund(payment, "10.00", start + timedelta(hours=1))
                status = InvoiceStatus.OPEN if self.n % 3 == 0 else InvoiceStatus.PAID
                _invoice(order, status, "40.00")
                room = Room.objects.create(kind=RoomKind.COURSE, course=course)
                RoomMessage.objects.create(room=room, author=teacher, body="Hello")
        # Past days are read from the rollups (today is computed live): keep them as the nightly
        # task would.
        call_command("backfill_analytics", since="2026-10-01", stdout=io.StringIO())


@pytest.fixture
def school():
    return School()


def run(client, target, params=None, **headers):
    """(number of queries, response) of one GET; a streamed answer is read to its end."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(target, params or {}, **headers)
        if getattr(response, "streaming", False):
            response.content_bytes = b"".join(response.streaming_content)
    assert response.status_code == 200, (target, params, response.status_code)
    return len(captured.captured_queries), response


def body_of(response) -> str:
    if getattr(response, "streaming", False):
        return response.content_bytes.decode()
    return response.content.decode()


def parity(client, school, targets, rows):
    """Run every target with 2 of everything and again with 20: the same query count each, and
    `rows(response)` grew."""
    school.grow(2)
    run(client, *targets[0][:2], **targets[0][2])  # warm the session and caches
    small = [run(client, target, params, **headers) for target, params, headers in targets]
    school.grow(18)
    large = [run(client, target, params, **headers) for target, params, headers in targets]
    for (target, params, _h), (q_small, r_small), (q_large, r_large) in zip(
        targets, small, large, strict=True
    ):
        assert q_large == q_small, f"{target} {params}: {q_small} queries with 2, {q_large} with 20"
        assert rows(r_large) > rows(r_small), f"{target} {params}: the answer did not grow"


def test_the_admin_dashboard_costs_the_same_with_2_and_20_of_everything(client, school):
    as_user(client, school.admin)
    target = reverse("school_dashboard:index")
    # The teacher filter lists every teacher: one <option> per teacher.
    parity(client, school, [(target, NOV, {})], rows=lambda r: body_of(r).count("<option"))


def test_the_revenue_reports_and_their_exports_cost_the_same_with_2_and_20(client, school):
    as_user(client, school.admin)
    report, export = reverse("school_dashboard:report"), reverse("school_dashboard:export")
    targets = [(report, {**NOV, "report": slug}, {}) for slug in REVENUE_REPORTS]
    targets += [
        (export, {**NOV, "report": "revenue-course", "format": "csv"}, {}),
        (export, {**NOV, "report": "revenue-teacher", "format": "csv"}, {}),
    ]
    # Rows: the course / teacher reports grow one line per course / teacher; the day and
    # method reports hold more money (their total's digits change), so count the money cells.
    parity(
        client,
        school,
        targets,
        rows=lambda r: (
            body_of(r).count("Parity course") + body_of(r).count("40.00") + len(body_of(r))
        ),
    )


def test_a_teachers_home_costs_the_same_with_2_and_20_students_courses_and_lessons(client, school):
    as_user(client, school.teacher)
    parity(
        client,
        school,
        [("/dashboard/", {}, {})],
        rows=lambda r: len(body_of(r)),
    )


@pytest.mark.parametrize("who", ["admin", "teacher"])
def test_the_analytics_api_costs_the_same_with_2_and_20_of_everything(client, school, who):
    user = school.admin if who == "admin" else school.teacher
    token = login_token(client, user.email, PASSWORD)
    headers = {"HTTP_X_SESSION_TOKEN": token}
    targets = [("/api/v1/analytics/kpis", API_NOV, headers)]
    targets += [(f"/api/v1/analytics/series/{m}", API_NOV, headers) for m in API_SERIES]
    targets += [(f"/api/v1/analytics/tables/{t}", API_NOV, headers) for t in API_TABLES]
    parity(client, school, targets, rows=lambda r: figures(json.loads(r.content)))


def figures(node) -> float:
    """The sum of every number in a JSON answer (money comes as decimal strings): counts and money
    grow with the data."""
    if isinstance(node, dict):
        return sum(figures(v) for v in node.values())
    if isinstance(node, list):
        return sum(figures(v) for v in node)
    if isinstance(node, bool) or node is None:
        return 0
    if isinstance(node, int | float):
        return node
    try:
        return float(node)
    except ValueError:
        return 0
