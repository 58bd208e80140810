"""The parts that keep the admin dashboard fast at a real school's scale, each shown to give the
same answer as the slow way: today's students-at-risk snapshot (taken by a schedule, read while
fresh, counted live otherwise), the dashboard's money and capacity without the parts it does not
show, and the filters' option lists written in one pass (escaped like any text)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_q.models import Schedule

from dashboards.admin.filters import FilterForm
from dashboards.analytics.periods import Period, school_today
from dashboards.analytics.schedule import SNAPSHOT_SCHEDULE, analytics_schedule_ensure
from dashboards.analytics.selectors import (
    capacity_summary,
    count_students_at_risk,
    money_summary,
)
from dashboards.analytics.snapshots import AT_RISK, at_risk_count
from dashboards.analytics.tasks import analytics_snapshot
from dashboards.models import DailyRollup
from tests.classroom.conftest import as_user
from tests.courses.factories import CourseFactory
from tests.dashboards.analytics_data import NOVEMBER, build

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(settings):
    settings.SCHOOL_TIME_ZONE = "Europe/Madrid"
    return build()


def tiles_of(response) -> dict:
    return {tile.key: tile for _group, tiles in response.context["tile_groups"] for tile in tiles}


def _snapshot(value: int, *, age_minutes: float = 0, day=None):
    row = DailyRollup.objects.create(day=day or school_today(), metric=AT_RISK, value=value)
    if age_minutes:
        DailyRollup.objects.filter(pk=row.pk).update(
            computed_at=timezone.now() - timedelta(minutes=age_minutes)
        )
    return row


# Today's students at risk -----------------------------------------------------------------------


def test_the_schedule_takes_todays_snapshot_once_per_day_row(data, settings):
    Schedule.objects.all().delete()
    analytics_schedule_ensure(Schedule)
    schedule = Schedule.objects.get(name=SNAPSHOT_SCHEDULE)
    assert schedule.func == "dashboards.analytics.tasks.analytics_snapshot"
    assert (schedule.schedule_type, schedule.minutes) == ("I", settings.ANALYTICS_SNAPSHOT_MINUTES)

    today = school_today()
    live = count_students_at_risk(viewer=data.admin, today=today)
    assert analytics_snapshot() == live
    assert analytics_snapshot() == live  # run twice: still one row of today
    (row,) = DailyRollup.objects.filter(metric=AT_RISK)
    assert (row.day, int(row.value)) == (today, live)


def test_the_dashboard_shows_a_fresh_snapshot_as_of_its_time(client, data):
    _snapshot(777, age_minutes=5)
    response = as_user(client, data.admin).get(reverse("school_dashboard:index"))
    tile = tiles_of(response)["at_risk"]
    assert tile.value == 777
    assert tile.as_of is not None
    assert 'data-testid="as-of"' in response.content.decode()


def test_a_stale_snapshot_or_none_is_counted_live(client, data, settings):
    live = count_students_at_risk(viewer=data.admin, today=school_today())
    _snapshot(live + 500, age_minutes=2 * settings.ANALYTICS_SNAPSHOT_MINUTES + 1)
    client = as_user(client, data.admin)
    tile = tiles_of(client.get(reverse("school_dashboard:index")))["at_risk"]
    assert (tile.value, tile.as_of) == (live, None)
    DailyRollup.objects.all().delete()
    response = client.get(reverse("school_dashboard:index"))
    assert tiles_of(response)["at_risk"].value == live
    assert 'data-testid="as-of"' not in response.content.decode()


def test_a_snapshot_serves_only_the_admin_and_only_today(data):
    today = school_today()
    _snapshot(777)
    _snapshot(888, day=today - timedelta(days=1))
    assert at_risk_count(viewer=data.admin, today=today)[0] == 777
    # Another day, or a teacher (their own students): counted live.
    yesterday = today - timedelta(days=1)
    assert at_risk_count(viewer=data.admin, today=yesterday) == (
        count_students_at_risk(viewer=data.admin, today=yesterday),
        None,
    )
    assert at_risk_count(viewer=data.t1, today=today) == (
        count_students_at_risk(viewer=data.t1, today=today),
        None,
    )


# The dashboard's money and capacity: the shown parts only, the same figures --------------------


@pytest.mark.parametrize("scoped", [{}, {"teacher_id": "t1"}, {"course_id": "c1"}])
def test_the_dashboards_money_is_the_full_summarys_without_the_unshown_parts(data, scoped):
    kw = {k: getattr(data, v).pk for k, v in scoped.items()}
    full = money_summary(viewer=data.admin, period=NOVEMBER, **kw)
    short = money_summary(viewer=data.admin, period=NOVEMBER, details=False, **kw)
    assert full.totals  # the data set has money in November
    for name in ("totals", "previous_totals", "by_day", "by_month", "by_course", "outstanding"):
        assert getattr(short, name) == getattr(full, name), name
    assert (short.by_teacher, short.by_method, short.credits, short.earnings) == ((), (), (), ())
    assert short.subscriptions is None


def test_the_dashboards_capacity_is_the_full_summarys_without_seats(data):
    for period in (NOVEMBER, NOVEMBER.previous(), Period(school_today(), school_today())):
        full = capacity_summary(viewer=data.admin, period=period)
        short = capacity_summary(viewer=data.admin, period=period, courses=False)
        assert short.teachers == full.teachers
        assert short.courses == ()
    assert any(
        t.offered_hours for t in capacity_summary(viewer=data.admin, period=NOVEMBER).teachers
    )


# The filters' option lists ---------------------------------------------------------------------


def test_the_filters_list_every_course_escaped_and_keep_the_choice(data):
    course = CourseFactory(title='<b>Maths & "more"</b>')
    html = str(FilterForm({"course": str(course.pk)})["course"])
    assert (
        f'<option value="{course.pk}" selected>&lt;b&gt;Maths &amp; &quot;more&quot;&lt;/b&gt;</option>'
        in html
    )
    assert "<b>" not in html
    assert html.count("<option") == len(FilterForm({}).fields["course"].widget.options)


def test_an_unknown_course_or_teacher_is_refused_and_the_default_shown(data):
    form = FilterForm({"course": "987654", "teacher": str(data.t1.pk)})
    assert not form.is_valid()
    assert "course" in form.errors and "teacher" not in form.errors
    assert form.filters().course_id is None
    assert FilterForm({"teacher": str(data.t1.pk)}).filters().teacher_id == data.t1.pk
