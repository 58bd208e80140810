"""Recording what was not recorded before, cheaply: activity once per person and day (a cache key
guards the insert), downloads as a daily counter, page views counted in the cache and flushed by a
schedule; rollups kept by a task, `backfill_analytics`, and today computed live."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_q.models import Schedule

from courses.services import material_file_open
from dashboards.analytics.periods import Period, day_start, school_today
from dashboards.analytics.recording import (
    activity_record,
    page_view_count,
    page_views_flush,
    page_views_pending,
)
from dashboards.analytics.rollups import rollup_range
from dashboards.analytics.schedule import (
    FLUSH_SCHEDULE,
    ROLLUP_SCHEDULE,
    analytics_schedule_ensure,
)
from dashboards.analytics.selectors import engagement_summary
from dashboards.analytics.tasks import analytics_flush, analytics_rollup
from dashboards.models import DailyActive, DailyCounter, DailyRollup
from tests.authentication.factories import PASSWORD, AdminFactory, StudentFactory
from tests.classroom.factories import TeacherProfileFactory
from tests.courses.factories import MaterialFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def inserts(captured) -> list[str]:
    return [q["sql"] for q in captured.captured_queries if "dashboards_dailyactive" in q["sql"]]


def test_a_person_is_recorded_active_once_a_day_whatever_the_number_of_requests(client):
    student = StudentFactory()
    client.login(email=student.email, password=PASSWORD)  # signing in notes the day too
    DailyActive.objects.all().delete()
    cache.clear()
    with CaptureQueriesContext(connection) as first:
        assert client.get("/dashboard/").status_code in (200, 302)
    with CaptureQueriesContext(connection) as later:
        for _ in range(3):
            client.get("/dashboard/")
    assert len(inserts(first)) == 1
    assert inserts(later) == []  # no database write on the hot path once the day is noted
    assert list(DailyActive.objects.values_list("user_id", "day")) == [(student.pk, school_today())]


def test_signing_in_records_the_day_and_a_lost_cache_does_not_duplicate_it(client):
    student = StudentFactory()
    assert (
        client.post("/auth/login/", {"login": student.email, "password": PASSWORD}).status_code
        == 302
    )
    assert DailyActive.objects.filter(user=student).count() == 1
    cache.clear()  # a restarted cache: the insert runs again and the unique row absorbs it
    assert activity_record(user=student) is True
    assert activity_record(user=student) is False
    assert DailyActive.objects.filter(user=student).count() == 1


def test_the_next_school_day_is_a_new_row(settings):
    settings.SCHOOL_TIME_ZONE = "Europe/Madrid"
    student = StudentFactory()
    day = school_today()
    activity_record(user=student, day=day)
    activity_record(user=student, day=day + timedelta(days=1))
    assert DailyActive.objects.filter(user=student).count() == 2


def test_anonymous_requests_record_no_activity(client):
    client.get("/")
    assert DailyActive.objects.count() == 0


def test_a_download_adds_one_to_the_days_counter_after_it_commits(
    django_capture_on_commit_callbacks,
):
    material = MaterialFactory()
    student = StudentFactory()
    with django_capture_on_commit_callbacks(execute=True):
        material_file_open(user=student, material=material).close()
        material_file_open(user=student, material=material).close()
    assert DailyCounter.objects.get(key="download", day=school_today()).value == 2


def test_public_page_views_are_counted_in_the_cache_then_flushed(client):
    with CaptureQueriesContext(connection) as captured:
        for _ in range(3):
            assert client.get("/").status_code == 200
    assert not [q for q in captured.captured_queries if "dailycounter" in q["sql"]]
    assert client.get("/no-such-page/").status_code == 404  # not a view
    assert client.get("/api/v1/teachers").status_code == 200  # not a page
    today = school_today()
    assert page_views_pending(today) == 3
    assert DailyCounter.objects.filter(key="pageview").count() == 0

    assert analytics_flush() == 3
    assert DailyCounter.objects.get(key="pageview", day=today).value == 3
    assert page_views_pending(today) == 0
    page_view_count()
    assert page_views_flush() == 1
    assert analytics_flush() == 0  # nothing new: nothing written
    assert DailyCounter.objects.get(key="pageview", day=today).value == 4


def test_the_schedules_exist_once_and_run_the_tasks():
    Schedule.objects.filter(name__in=(FLUSH_SCHEDULE, ROLLUP_SCHEDULE)).delete()
    analytics_schedule_ensure(Schedule)
    analytics_schedule_ensure(Schedule)
    flush = Schedule.objects.get(name=FLUSH_SCHEDULE)
    assert (flush.func, flush.schedule_type, flush.minutes) == (
        "dashboards.analytics.tasks.analytics_flush",
        Schedule.MINUTES,
        5,
    )
    assert Schedule.objects.get(name=ROLLUP_SCHEDULE).func == (
        "dashboards.analytics.tasks.analytics_rollup"
    )


def _lesson_on(profile, student, day, hour=10):
    from datetime import UTC, datetime, time

    from classroom.choices import LessonStatus
    from classroom.models import Lesson

    start = datetime.combine(day, time(hour), tzinfo=UTC)
    return Lesson.objects.create(
        teacher=profile,
        student=student,
        booked_by=student,
        start=start,
        end=start + timedelta(hours=1),
        status=LessonStatus.COMPLETED,
    )


def test_past_days_come_from_the_rollup_and_today_is_live():
    admin = AdminFactory()
    profile = TeacherProfileFactory()
    student = StudentFactory()
    today = school_today()
    yesterday = today - timedelta(days=1)
    period = Period(yesterday, today)
    _lesson_on(profile, student, yesterday)
    _lesson_on(profile, StudentFactory(), today)

    def delivered():
        e = engagement_summary(viewer=admin, period=period)
        return {p.day: p.value for p in e.lessons_delivered.points}

    # Not rolled up yet: a day the rollups do not hold is computed live, as today is.
    assert delivered() == {yesterday: 1, today: 1}
    assert analytics_rollup() > 0
    assert DailyRollup.objects.filter(day=today).count() == 0  # today is never rolled up
    assert delivered() == {yesterday: 1, today: 1}
    # Rolled up, yesterday is read from the rollup: a lesson added to it later shows once the
    # rollup runs again (the task redoes 7 days).
    _lesson_on(profile, StudentFactory(), yesterday, hour=14)
    assert delivered()[yesterday] == 1
    analytics_rollup()
    assert delivered()[yesterday] == 2


def test_the_schools_money_comes_from_the_rollups_and_any_day_they_lack_is_live():
    from dashboards.analytics.selectors import money_summary
    from tests.dashboards.analytics_data import _order, _pay, _refund

    admin = AdminFactory()
    teacher = TeacherProfileFactory().user
    student = StudentFactory()
    today = school_today()
    period = Period(today - timedelta(days=9), today)
    days = [today - timedelta(days=n) for n in (8, 5, 2, 0)]
    for n, day in enumerate(days):
        order = _order(student, student, teacher, "EUR", Decimal(10 * (n + 1)))
        payment = _pay(order, day_start(day) + timedelta(hours=10))
        if n == 1:
            _refund(payment, "5.00", day_start(day) + timedelta(hours=12))
    usd = _order(student, student, teacher, "USD", Decimal("7.00"))
    _pay(usd, day_start(days[2]) + timedelta(hours=9))

    def figures():
        money = money_summary(viewer=admin, period=period, details=False)
        per_day = {
            (r.key, r.currency): (r.gross, r.refunds) for r in money.by_day if r.gross or r.refunds
        }
        courses = {(r.key, r.currency): (r.gross, r.refunds) for r in money.by_course}
        return per_day, courses, {r.currency: r.net for r in money.totals}

    live = figures()
    assert live[2] == {"EUR": Decimal("95.00"), "USD": Decimal("7.00")}  # 10+20+30+40 − 5
    assert live[0][(days[1], "EUR")] == (Decimal("20.00"), Decimal("5.00"))
    assert DailyRollup.objects.count() == 0

    rollup_range(start=today - timedelta(days=30), end=today)  # the period and the one before
    assert figures() == live  # the same figures, read from the rollups (today live)
    # A day the rollups do not hold (never rolled up) is computed live, and so is what follows it.
    DailyRollup.objects.filter(day=days[1]).delete()
    assert figures() == live
    rollup_range(start=today - timedelta(days=30), end=today)  # the period and the one before
    # Rolled up, past days are the rollups': a payment written into the past without a rollup run
    # shows once the rollups are redone; today's shows at once.
    late = _order(student, student, teacher, "EUR", Decimal("1.00"))
    _pay(late, day_start(days[2]) + timedelta(hours=15))
    now = _order(student, student, teacher, "EUR", Decimal("2.00"))
    _pay(now, day_start(today) + timedelta(minutes=1))
    assert figures()[2]["EUR"] == Decimal("97.00")
    rollup_range(start=today - timedelta(days=30), end=today)  # the period and the one before
    assert figures()[2]["EUR"] == Decimal("98.00")


def test_backfill_rolls_up_a_range_and_rejects_bad_dates():
    profile = TeacherProfileFactory()
    student = StudentFactory()
    old = school_today() - timedelta(days=100)
    _lesson_on(profile, student, old)
    call_command("backfill_analytics", since=(old - timedelta(days=5)).isoformat())
    row = DailyRollup.objects.get(metric="lessons_delivered", day=old)
    assert row.value == 1
    call_command("backfill_analytics", since=(old - timedelta(days=5)).isoformat())
    assert DailyRollup.objects.filter(metric="lessons_delivered", day=old).count() == 1
    with pytest.raises(CommandError):
        call_command("backfill_analytics", since="yesterday")
    with pytest.raises(CommandError):
        call_command("backfill_analytics", since="2026-12-05", until="2026-12-01")


def test_a_rollup_of_a_long_range_runs_a_fixed_number_of_queries():
    profile = TeacherProfileFactory()
    for n in range(5):
        _lesson_on(profile, StudentFactory(), school_today() - timedelta(days=3 + n))
    rollup_range(start=date(2026, 1, 1), end=school_today())  # rows to replace from now on
    with CaptureQueriesContext(connection) as small:
        rollup_range(start=date(2026, 1, 1), end=school_today())
    for n in range(15):
        _lesson_on(profile, StudentFactory(), school_today() - timedelta(days=20 + n))
    with CaptureQueriesContext(connection) as large:
        rollup_range(start=date(2026, 1, 1), end=school_today())
    assert len(small.captured_queries) == len(large.captured_queries), [
        q["sql"][:80] for q in large.captured_queries
    ]


def test_activity_late_in_the_utc_evening_counts_on_the_next_madrid_day(settings, clock):
    from datetime import UTC, datetime

    settings.SCHOOL_TIME_ZONE = "Europe/Madrid"
    clock.move_to(datetime(2026, 12, 6, 23, 30, tzinfo=UTC))  # 00:30 on 7 Dec in Madrid
    student = StudentFactory()
    assert activity_record(user=student) is True
    assert list(DailyActive.objects.filter(user=student).values_list("day", flat=True)) == [
        date(2026, 12, 7)
    ]
    page_view_count()
    assert page_views_pending(date(2026, 12, 7)) == 1
