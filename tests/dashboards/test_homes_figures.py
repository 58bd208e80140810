"""The figures on the role homes (dashboards/homes_figures.py) against hand-computed expectations on
the fixed data set of analytics_data.py (school in Madrid, November 2026): each learner's progress,
attendance and credits, each child's on a parent's home and nobody else's; a teacher's students,
courses, utilisation and earnings, never another teacher's. The pages show them, and cost the same
number of queries with 2 and 20 of everything."""

import itertools
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest

from authentication.choices import GuardianLinkStatus
from authentication.models import GuardianLink
from billing.choices import LedgerCause
from billing.models import CreditEntry, EarningEntry
from classroom.choices import AttendanceStatus, LessonStatus
from classroom.models import Attendance, Lesson
from courses.models import ModuleCompletion
from dashboards.homes_figures import learner_figures, sparkline, teacher_figures
from tests.authentication.factories import StudentFactory
from tests.classroom.conftest import as_user
from tests.courses.factories import CourseFactory, EnrollmentFactory, ModuleFactory
from tests.dashboards.analytics_data import NOVEMBER, build, utc
from tests.query_budget import assert_constant_queries, count_queries, html_rows

pytestmark = pytest.mark.django_db

D = Decimal
_seq = itertools.count(1)


@pytest.fixture
def data(settings):
    settings.SCHOOL_TIME_ZONE = "Europe/Madrid"
    return build()


# --- learners -------------------------------------------------------------------------------------


def test_a_parent_sees_their_childs_progress_attendance_and_credits(data):
    figures = learner_figures(
        viewer=data.parent, student_ids=[data.s1.pk, data.s2.pk, data.s3.pk], period=NOVEMBER
    )
    # Tom and Uma are not the parent's children: dropped, not shown.
    assert set(figures) == {data.s1.pk}
    sara = figures[data.s1.pk]
    # Algebra: both modules done. Biology is not hers.
    assert [(c.title, c.done, c.modules, c.percent) for c in sara.courses] == [
        ("Algebra", 2, 2, 100)
    ]
    # Present in L1 (23:30 Madrid, 5 Nov) and in the group session L7 (20 Nov).
    a = sara.attendance
    assert (a.present, a.late, a.absent, a.excused, sara.attendance_rate) == (2, 0, 0, 0, 1.0)
    # Weeks counted back from 30 Nov: 24–30, 17–23, 10–16, 3–9 and the two days 1–2 Nov.
    assert sara.weekly_attended == [
        (date(2026, 11, 1), 0),
        (date(2026, 11, 3), 1),
        (date(2026, 11, 10), 0),
        (date(2026, 11, 17), 1),
        (date(2026, 11, 24), 0),
    ]
    # 5 bought − 1 booked − 1 booked + 1 returned = 4 with Ana, in euros.
    assert [(c.teacher_name, c.currency, c.left) for c in sara.credits] == [
        ("Ana Teacher", "EUR", 4)
    ]


def test_a_student_sees_only_themself(data):
    figures = learner_figures(viewer=data.s3, student_ids=[data.s3.pk, data.s1.pk], period=NOVEMBER)
    assert set(figures) == {data.s3.pk}
    uma = figures[data.s3.pk]
    # Her Algebra enrolment was withdrawn: only Biology, no module done.
    assert [(c.title, c.done, c.modules, c.percent) for c in uma.courses] == [("Biology", 0, 1, 0)]
    # The no-show L5 (absent); L6 was in October.
    assert (uma.attendance.recorded, uma.attendance_rate) == (1, 0.0)
    assert [(c.teacher_name, c.currency, c.left) for c in uma.credits] == [
        ("Bob Teacher", "USD", 3)
    ]
    # Someone else's child is nobody's business: a teacher asking as a learner gets nothing.
    assert learner_figures(viewer=data.t1, student_ids=[data.s1.pk], period=NOVEMBER) == {}


def test_credits_used_up_are_not_listed_and_in_utc_the_late_lesson_moves_week(data, settings):
    CreditEntry.objects.create(
        student=data.s3,
        teacher=data.t2,
        currency="USD",
        delta=-3,
        cause=LedgerCause.LESSON_BOOKED,
        cause_key="test:used-up",
    )
    settings.SCHOOL_TIME_ZONE = "UTC"
    figures = learner_figures(
        viewer=data.admin, student_ids=[data.s3.pk, data.s1.pk], period=NOVEMBER
    )
    assert figures[data.s3.pk].credits == []
    # L1 is at 22:30 UTC on 5 Nov either way; still in the week of 3 Nov.
    assert dict(figures[data.s1.pk].weekly_attended)[date(2026, 11, 3)] == 1


# --- teachers -------------------------------------------------------------------------------------


def test_a_teachers_figures_are_their_own(data):
    ana = teacher_figures(viewer=data.t1, period=NOVEMBER)
    # 5 Mondays × 3 h less 3 h off = 12 h offered; L1, L2, L7 booked (cancelled ones not).
    assert (ana.capacity.offered_hours, ana.capacity.booked_hours) == (D("12.00"), D("3.00"))
    assert ana.utilisation_percent == 25
    # Earned 80 − 16 in November, paid out 50; owed overall 80 − 16 + 30 − 50 − 20 = 24.
    assert [(e.currency, e.earned, e.paid_out, e.balance) for e in ana.earnings] == [
        ("EUR", D("64"), D("50"), D("24"))
    ]
    # Sara (3 Nov), Tom (10 Nov) and Uma's withdrawn enrolment (12 Nov), all in Algebra.
    assert ana.enrolments_total == 3
    assert [(c.title, c.enrolled, c.completed, c.progress) for c in ana.courses] == [
        ("Algebra", 2, 1, 0.75)
    ]
    # The least attended first: Tom (late in L2, absent in L7), then Sara (present twice).
    assert [(s.name, s.recorded, s.rate) for s in ana.students] == [
        ("Tom Two", 2, 0.5),
        ("Sara One", 2, 1.0),
    ]
    bob = teacher_figures(viewer=data.t2, period=NOVEMBER)
    assert [(e.currency, e.earned) for e in bob.earnings] == [("USD", D("64"))]
    assert [s.name for s in bob.students] == ["Uma Three"]
    assert bob.utilisation_percent == 10
    # Neither a learner nor an admin has a teacher's figures.
    assert teacher_figures(viewer=data.parent) is None
    assert teacher_figures(viewer=data.admin) is None
    # A teacher who is an admin too still has their own figures on their home.
    from authentication.services import user_add_role

    user_add_role(user=data.t2, role="Admin")
    data.t2.refresh_from_db()
    assert [s.name for s in teacher_figures(viewer=data.t2, period=NOVEMBER).students] == [
        "Uma Three"
    ]


def test_a_teacher_never_sees_another_teachers_money_on_their_home(data, client, clock):
    EarningEntry.objects.create(
        teacher=data.t2,
        currency="USD",
        gross=D("777.77"),
        commission=D("0"),
        net=D("777.77"),
        description="test",
        cause_key="test:bob-secret",
        earned_at=utc(2026, 11, 29, 12),
    )
    clock.move_to(utc(2026, 11, 30, 12))
    page = as_user(client, data.t1).get("/dashboard/").content.decode()
    assert 'data-testid="teacher-figures"' in page
    assert "64.00 EUR" in page
    assert "777.77" not in page and "USD" not in page
    assert "25%" in page  # utilisation


# --- the pages ------------------------------------------------------------------------------------


def test_a_parents_home_shows_each_childs_figures_and_no_one_elses(data, client, clock):
    clock.move_to(utc(2026, 11, 30, 12))  # the last 30 days: November in Madrid
    page = as_user(client, data.parent).get("/dashboard/").content.decode()
    sections = re.findall(r'data-testid="learner-figures" data-student="(\d+)"', page)
    assert sections == [str(data.s1.pk)]
    assert "2 of 2 lessons attended" in page
    assert "with Ana Teacher (EUR)" in page
    assert 'value="100"' in page  # Algebra's progress bar
    # Its chart says its figures (the text alternative).
    assert 'aria-label="Lessons attended per week, oldest first: 0, 1, 0, 1, 0"' in page
    assert "Bob Teacher" not in page


def test_a_students_home_shows_their_figures(data, client, clock):
    clock.move_to(utc(2026, 11, 30, 12))
    page = as_user(client, data.s3).get("/dashboard/").content.decode()
    assert re.findall(r'data-student="(\d+)"', page) == [str(data.s3.pk)]
    assert "Your figures, last 30 days" in page
    assert "with Bob Teacher (USD)" in page
    assert "0 of 1 lesson attended" in page


def test_the_sparkline_is_an_image_named_by_its_figures():
    svg = str(sparkline([0, 2, 1], label="Enrolments: 0, 2, 1"))
    assert svg.startswith('<svg class="sparkline" role="img" aria-label="Enrolments: 0, 2, 1"')
    assert "<title>Enrolments: 0, 2, 1</title>" in svg
    assert svg.count("<rect") == 3
    assert str(sparkline([], label="x")) == ""
    # A label is escaped like any text.
    assert "&lt;b&gt;" in str(sparkline([1], label="<b>"))


# --- query counts: 2 and 20 of everything --------------------------------------------------------


def _grow_children(data, n):
    """n more children of the parent, each with an enrolment (a module done), a lesson attended
    and credits."""
    for _ in range(n):
        child = StudentFactory()
        GuardianLink.objects.create(
            guardian=data.parent,
            child=child,
            invited_email=child.email,
            initiated_by=data.parent,
            status=GuardianLinkStatus.ACTIVE,
        )
        _learning(data, child)


def _learning(data, student):
    i = next(_seq)
    course = CourseFactory(owner=data.t1, title=f"Course {i}")
    enrolment = EnrollmentFactory(course=course, student=student)
    ModuleCompletion.objects.create(enrollment=enrolment, module=ModuleFactory(course=course))
    start = utc(2026, 11, 20, 10) + timedelta(hours=2 * i)
    lesson = Lesson.objects.create(
        teacher=data.t1.teacher_profile,
        student=student,
        booked_by=student,
        start=start,
        end=start + timedelta(hours=1),
        status=LessonStatus.COMPLETED,
    )
    Attendance.objects.create(lesson=lesson, student=student, status=AttendanceStatus.PRESENT)
    CreditEntry.objects.create(
        student=student,
        teacher=data.t1,
        currency="EUR",
        delta=3,
        cause=LedgerCause.PACKAGE_BOUGHT,
        cause_key=f"test:grow-{i}",
    )


def test_learner_figures_cost_five_queries_for_2_and_20_children(data):
    GuardianLink.objects.filter(guardian=data.parent).delete()
    _grow_children(data, 2)

    def ids():
        return list(
            GuardianLink.objects.filter(guardian=data.parent).values_list("child_id", flat=True)
        )

    learner_figures(viewer=data.parent, student_ids=ids(), period=NOVEMBER)  # roles, cached
    small, figures = count_queries(
        lambda: learner_figures(viewer=data.parent, student_ids=ids(), period=NOVEMBER)
    )
    _grow_children(data, 18)
    large, more = count_queries(
        lambda: learner_figures(viewer=data.parent, student_ids=ids(), period=NOVEMBER)
    )
    assert (len(figures), len(more)) == (2, 20)
    assert all(f.credits and f.courses and f.attendance for f in more.values())
    assert small == large == 5  # children, progress, attendance, credits; and the ids


def test_a_parents_page_costs_the_same_with_2_and_20_children(data, client, clock):
    clock.move_to(utc(2026, 11, 30, 12))
    GuardianLink.objects.filter(guardian=data.parent).delete()
    _grow_children(data, 2)
    as_user(client, data.parent)
    assert_constant_queries(
        lambda: client.get("/dashboard/"),
        grow=lambda: _grow_children(data, 18),
        rows=html_rows('data-testid="learner-figures"'),
    )


def test_a_teachers_page_costs_the_same_with_2_and_20_students(data, client, clock):
    clock.move_to(utc(2026, 11, 30, 12))
    as_user(client, data.t1)

    def grow():
        for _ in range(18):
            _learning(data, StudentFactory())

    assert_constant_queries(
        lambda: client.get("/dashboard/"),
        grow=grow,
        rows=html_rows('<tr><th scope="row" data-label='),
    )
