"""Every analytics figure against hand-computed expectations on the fixed data set of
analytics_data.py (school in Madrid, period November 2026). The admin's past days come from the
rollups, so each test rolls up first (as the scheduled task does)."""

from datetime import date
from decimal import Decimal

import pytest

from dashboards.analytics.periods import Period
from dashboards.analytics.rollups import rollup_range
from dashboards.analytics.selectors import (
    capacity_summary,
    engagement_summary,
    learning_summary,
    money_summary,
    students_at_risk,
)
from tests.dashboards.analytics_data import NOVEMBER, build

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.fixture
def data(settings):
    settings.SCHOOL_TIME_ZONE = "Europe/Madrid"
    built = build()
    rollup_range(start=date(2026, 9, 1), end=date(2026, 11, 30))
    return built


def by_day(series):
    return {p.day: p.value for p in series.points if p.value}


def money_rows(rows):
    return {(r.currency, r.key): (r.gross, r.refunds, r.net) for r in rows}


# Engagement -----------------------------------------------------------------------------------------


def test_admin_engagement_counts_each_figure_on_its_madrid_day(data):
    e = engagement_summary(viewer=data.admin, period=NOVEMBER)
    assert {role: s.total for role, s in e.signups.items()} == {
        "Student": 2,
        "Teacher": 0,  # Bob joined at 00:30 Madrid on 1 December
        "Parent": 1,
        "Admin": 0,
    }
    assert by_day(e.signups["Student"]) == {date(2026, 11, 2): 1, date(2026, 11, 10): 1}
    # L1 (23:30 Madrid, 5 Nov) and L2 (00:30 Madrid, 6 Nov) fall on two Madrid days; L7 on 20 Nov.
    assert by_day(e.lessons_delivered) == {
        date(2026, 11, 5): 1,
        date(2026, 11, 6): 1,
        date(2026, 11, 20): 1,
    }
    assert (e.dau, e.wau, e.mau) == (3, 3, 4)
    assert by_day(e.active) == {
        date(2026, 11, 10): 1,
        date(2026, 11, 28): 1,
        date(2026, 11, 29): 1,
        date(2026, 11, 30): 3,
    }
    assert e.attendance_rate == pytest.approx(3 / 5)
    assert e.messages_sent.total == 3
    assert by_day(e.downloads) == {date(2026, 11, 5): 2}
    assert by_day(e.page_views) == {date(2026, 11, 30): 10}
    kpis = {k: (v.value, v.previous) for k, v in e.kpis.items()}
    assert kpis == {
        "lessons_delivered": (3, 1),
        "messages_sent": (3, 0),
        "attendance_rate": (pytest.approx(0.6), 1.0),
        "signups": (3, 1),
        "downloads": (2, 1),
        "page_views": (10, 0),
    }
    assert e.kpis["lessons_delivered"].change == pytest.approx(2.0)
    assert len(e.active.points) == 30


def test_in_utc_the_boundary_lessons_share_a_day(data, settings):
    settings.SCHOOL_TIME_ZONE = "UTC"
    e = engagement_summary(viewer=data.t1, period=NOVEMBER)  # a teacher's figures are live
    assert by_day(e.lessons_delivered) == {date(2026, 11, 5): 2, date(2026, 11, 20): 1}


def test_a_teacher_sees_engagement_of_their_own_lessons_and_students(data):
    e = engagement_summary(viewer=data.t1, period=NOVEMBER)
    assert e.signups == {}
    assert e.downloads is None and e.page_views is None
    assert e.lessons_delivered.total == 3
    assert e.attendance_rate == pytest.approx(3 / 4)
    assert e.messages_sent.total == 1  # what Ana sent
    # Her students: Sara, Tom (lessons) and Uma (once enrolled in Algebra).
    assert (e.dau, e.mau) == (2, 3)

    bob = engagement_summary(viewer=data.t2, period=NOVEMBER)
    assert bob.lessons_delivered.total == 0
    assert bob.attendance_rate == 0.0


def test_a_parent_sees_their_child_and_a_student_themself(data):
    e = engagement_summary(viewer=data.parent, period=NOVEMBER)
    assert e.lessons_delivered.total == 2  # Sara's L1 and the group session L7
    assert e.attendance_rate == 1.0  # Sara came both times; Tom's absence in L7 is not theirs
    assert e.mau == 1
    tom = engagement_summary(viewer=data.s2, period=NOVEMBER)
    assert tom.attendance_rate == pytest.approx(1 / 2)
    assert tom.messages_sent.total == 1


# Learning -------------------------------------------------------------------------------------------


def test_admin_learning_figures(data):
    learning = learning_summary(viewer=data.admin, period=NOVEMBER)
    assert learning.enrolments.total == 3
    assert learning.kpis["enrolments"].previous == 1
    courses = {c.title: (c.enrolled, c.modules, c.completed, c.progress) for c in learning.courses}
    assert courses == {"Algebra": (2, 2, 1, 0.75), "Biology": (1, 1, 0, 0.0)}
    students = {
        r.name: (r.present, r.late, r.absent, r.excused) for r in learning.attendance_by_student
    }
    assert students == {
        "Sara One": (2, 0, 0, 0),
        "Tom Two": (0, 1, 1, 0),
        "Uma Three": (0, 0, 1, 0),
    }
    teachers = {r.name: (r.recorded, r.rate) for r in learning.attendance_by_teacher}
    assert teachers == {"Ana Teacher": (4, 0.75), "Bob Teacher": (1, 0.0)}
    assert {r.name: r.recorded for r in learning.attendance_by_course} == {"Algebra": 2}
    assert (learning.late_cancellations, learning.cancellations, learning.no_shows) == (1, 2, 1)
    assert learning.homework_set == 1


def test_learning_filters_and_teacher_scope(data):
    only_bob = learning_summary(viewer=data.admin, period=NOVEMBER, teacher_id=data.t2.pk)
    assert [r.name for r in only_bob.attendance_by_teacher] == ["Bob Teacher"]
    assert only_bob.no_shows == 1 and only_bob.late_cancellations == 0
    algebra = learning_summary(viewer=data.admin, period=NOVEMBER, course_id=data.c1.pk)
    assert [c.title for c in algebra.courses] == ["Algebra"]
    ana = learning_summary(viewer=data.t1, period=NOVEMBER)
    assert [c.title for c in ana.courses] == ["Algebra"]
    assert {r.name for r in ana.attendance_by_teacher} == {"Ana Teacher"}
    assert ana.no_shows == 0 and ana.late_cancellations == 1


def at_risk(viewer, today):
    return {
        s.name: (s.inactive, s.falling_attendance)
        for s in students_at_risk(viewer=viewer, today=today)
    }


def test_students_at_risk_by_inactivity_and_by_falling_attendance(data, settings):
    settings.ANALYTICS_AT_RISK_DAYS = 14
    # On 30 Nov, looking back 14 days (from 17 Nov): Uma's last completed lesson was 20 Oct and she
    # was last seen on 10 Nov → inactive. Tom came late on 6 Nov (the 14 days before) and was absent
    # on 20 Nov → falling attendance (100 % → 0 %). Sara came both times.
    assert at_risk(data.admin, date(2026, 11, 30)) == {
        "Uma Three": (True, False),
        "Tom Two": (False, True),
    }
    # Looking back 30 days: Uma was seen on 10 Nov (not inactive) but her attendance fell (present
    # on 20 Oct, absent on 14 Nov); Tom's two lessons are both in the last 30 days (nothing before).
    settings.ANALYTICS_AT_RISK_DAYS = 30
    assert at_risk(data.admin, date(2026, 11, 30)) == {"Uma Three": (False, True)}
    # A teacher only hears about their own students; a parent about their child.
    settings.ANALYTICS_AT_RISK_DAYS = 14
    assert at_risk(data.t2, date(2026, 11, 30)) == {"Uma Three": (True, False)}
    assert at_risk(data.parent, date(2026, 11, 30)) == {}


# Money ----------------------------------------------------------------------------------------------


def test_admin_money_is_per_currency_with_refunds_on_their_day(data):
    money = money_summary(viewer=data.admin, period=NOVEMBER)
    assert money_rows(money.totals) == {
        ("EUR", "EUR"): (D("130"), D("20"), D("110")),  # P3 (00:30 Madrid, 1 Dec) is December's
        ("USD", "USD"): (D("80"), D("30"), D("50")),  # the pending refund is not counted
    }
    assert money_rows(money.previous_totals) == {("EUR", "EUR"): (D("40"), D("0"), D("40"))}
    days = {k: v for k, v in money_rows(money.by_day).items() if v != (0, 0, 0)}
    assert days == {
        ("EUR", date(2026, 11, 3)): (D("100"), D("0"), D("100")),
        ("EUR", date(2026, 11, 4)): (D("0"), D("20"), D("-20")),
        ("EUR", date(2026, 11, 30)): (D("30"), D("0"), D("30")),
        ("USD", date(2026, 11, 14)): (D("80"), D("0"), D("80")),
        ("USD", date(2026, 11, 16)): (D("0"), D("30"), D("-30")),
    }
    assert len(money.by_day) == 60  # 30 days × 2 currencies
    assert money_rows(money.by_month) == {
        ("EUR", date(2026, 11, 1)): (D("130"), D("20"), D("110")),
        ("USD", date(2026, 11, 1)): (D("80"), D("30"), D("50")),
    }
    assert money_rows(money.by_course) == {
        ("EUR", data.c1.pk): (D("100"), D("20"), D("80")),
        ("EUR", None): (D("30"), D("0"), D("30")),
        ("USD", data.c2.pk): (D("80"), D("30"), D("50")),
    }
    assert money_rows(money.by_teacher) == {
        ("EUR", data.t1.pk): (D("130"), D("20"), D("110")),
        ("USD", data.t2.pk): (D("80"), D("30"), D("50")),
    }
    assert money_rows(money.by_method) == {
        ("EUR", "stripe"): (D("100"), D("20"), D("80")),
        ("EUR", "manual"): (D("30"), D("0"), D("30")),
        ("USD", "stripe"): (D("80"), D("30"), D("50")),
    }
    assert [(o.currency, o.count, o.total) for o in money.outstanding] == [
        ("EUR", 1, D("45")),
        ("USD", 1, D("60")),
    ]
    assert [(c.currency, c.sold, c.used) for c in money.credits] == [("EUR", 5, 1), ("USD", 4, 1)]
    subs = money.subscriptions
    assert (subs.active, subs.paused, subs.past_due, subs.cancelled) == (1, 1, 0, 2)
    assert (subs.cancelled_in_period, subs.live_at_start) == (1, 3)
    assert subs.churn == pytest.approx(1 / 3)
    assert [(e.name, e.currency, e.earned, e.paid_out, e.balance) for e in money.earnings] == [
        ("Ana Teacher", "EUR", D("64"), D("50"), D("24")),
        ("Bob Teacher", "USD", D("64"), D("0"), D("64")),
    ]
    assert money.currencies == ["EUR", "USD"]


def test_in_utc_the_late_payment_belongs_to_november(data, settings):
    settings.SCHOOL_TIME_ZONE = "UTC"
    money = money_summary(viewer=data.admin, period=NOVEMBER)
    assert money_rows(money.totals)[("EUR", "EUR")] == (D("230"), D("20"), D("210"))


def test_a_teacher_never_sees_another_teachers_money(data):
    ana = money_summary(viewer=data.t1, period=NOVEMBER)
    assert money_rows(ana.totals) == {("EUR", "EUR"): (D("130"), D("20"), D("110"))}
    assert [(e.teacher_id, e.currency) for e in ana.earnings] == [(data.t1.pk, "EUR")]
    assert ana.subscriptions is None
    assert [(o.currency, o.total) for o in ana.outstanding] == [("EUR", D("45"))]
    assert [(c.currency, c.sold) for c in ana.credits] == [("EUR", 5)]
    # Asking for Bob's figures through the filter still gives only Ana's own (nothing).
    nosy = money_summary(viewer=data.t1, period=NOVEMBER, teacher_id=data.t2.pk)
    assert nosy.totals == () and nosy.earnings == () and nosy.credits == ()
    bob = money_summary(viewer=data.t2, period=NOVEMBER)
    assert money_rows(bob.totals) == {("USD", "USD"): (D("80"), D("30"), D("50"))}


def test_learners_see_what_they_paid_or_was_paid_for_them(data):
    sara = money_summary(viewer=data.s1, period=NOVEMBER)
    assert money_rows(sara.totals) == {("EUR", "EUR"): (D("130"), D("20"), D("110"))}
    assert sara.earnings == () and sara.subscriptions is None
    parent = money_summary(viewer=data.parent, period=NOVEMBER)
    assert money_rows(parent.totals) == {("EUR", "EUR"): (D("130"), D("20"), D("110"))}
    tom = money_summary(viewer=data.s2, period=NOVEMBER)
    assert tom.totals == ()  # his payment was on 1 December (Madrid)
    assert [(o.currency, o.total) for o in tom.outstanding] == [("EUR", D("45"))]


def test_money_filters_by_course(data):
    money = money_summary(viewer=data.admin, period=NOVEMBER, course_id=data.c2.pk)
    assert money_rows(money.totals) == {("USD", "USD"): (D("80"), D("30"), D("50"))}


# Capacity -------------------------------------------------------------------------------------------


def test_offered_hours_follow_each_teachers_zone_and_time_off(data):
    cap = capacity_summary(viewer=data.admin, period=NOVEMBER)
    teachers = {t.name: (t.offered_hours, t.booked_hours, t.utilisation) for t in cap.teachers}
    # Ana: 5 Mondays × 3 h, less the 3 h off on 16 Nov; booked L1, L2, L7 (cancelled ones not).
    # Bob: 5 Sundays 22:00–24:00 New York (03:00–05:00 UTC on Mondays); booked L5 (a no-show).
    assert teachers == {
        "Ana Teacher": (D("12.00"), D("3.00"), 0.25),
        "Bob Teacher": (D("10.00"), D("1.00"), 0.1),
    }
    assert {c.title: (c.capacity, c.filled) for c in cap.courses} == {
        "Algebra": (10, 2),
        "Biology": (5, 1),
    }
    ana = capacity_summary(viewer=data.t1, period=NOVEMBER)
    assert [t.name for t in ana.teachers] == ["Ana Teacher"]
    assert [c.title for c in ana.courses] == ["Algebra"]
    learner = capacity_summary(viewer=data.s1, period=NOVEMBER)
    assert learner.teachers == () and learner.courses == ()


def test_nobody_signed_in_sees_nothing(data):
    from django.contrib.auth.models import AnonymousUser

    anon = AnonymousUser()
    assert engagement_summary(viewer=anon, period=NOVEMBER).lessons_delivered.total == 0
    assert money_summary(viewer=anon, period=NOVEMBER).totals == ()
    assert learning_summary(viewer=anon, period=NOVEMBER).courses == ()


def test_period_defaults_to_the_last_30_school_days_and_compares_with_the_30_before():
    period = Period.last_days(today=date(2026, 12, 6))
    assert (period.start, period.end, period.days) == (date(2026, 11, 7), date(2026, 12, 6), 30)
    previous = period.previous()
    assert (previous.start, previous.end) == (date(2026, 10, 8), date(2026, 11, 6))
    with pytest.raises(ValueError):
        Period(date(2026, 12, 2), date(2026, 12, 1))


def test_a_period_from_request_input_defaults_and_refuses_bad_dates_clearly():
    from cplatform.exceptions import ValidationFailed

    today = date(2026, 12, 6)
    assert Period.parse(None, None, today=today) == Period(date(2026, 11, 7), today)
    assert Period.parse("2026-11-01", "2026-11-30") == NOVEMBER
    assert Period.parse(None, "2026-11-30") == Period(date(2026, 11, 1), date(2026, 11, 30))
    for start, end, field_name in (
        ("yesterday", None, "start"),
        ("2026-11-30", "2026-11-01", "end"),
        ("2020-01-01", "2026-11-30", "start"),
        ("2026-11-01", "2026-13-01", "end"),
    ):
        with pytest.raises(ValidationFailed) as refused:
            Period.parse(start, end, today=today)
        assert list(refused.value.errors) == [field_name]


# At scale (issue 15): the dashboard's count and KPIs-only learning summary -------------------------


def test_count_of_students_at_risk_is_the_length_of_the_list(data, settings):
    from dashboards.analytics.selectors import count_students_at_risk

    # Inactive only, falling only, both kinds, a teacher's and a parent's share: the count (the
    # dashboard's tile, set-based) always matches the list.
    for days in (7, 14, 30, 60):
        settings.ANALYTICS_AT_RISK_DAYS = days
        for viewer in (data.admin, data.t1, data.t2, data.parent):
            for today in (date(2026, 11, 16), date(2026, 11, 30), date(2026, 12, 31)):
                listed = students_at_risk(viewer=viewer, today=today)
                assert count_students_at_risk(viewer=viewer, today=today) == len(listed)
    settings.ANALYTICS_AT_RISK_DAYS = 14
    assert count_students_at_risk(viewer=data.admin, today=date(2026, 11, 30)) == 2


def test_learning_summary_without_tables_keeps_the_kpis(data):
    full = learning_summary(viewer=data.admin, period=NOVEMBER, include_at_risk=False)
    kpis = learning_summary(viewer=data.admin, period=NOVEMBER, include_at_risk=False, tables=False)
    assert full.courses and full.attendance_by_student
    assert kpis.courses == () and kpis.attendance_by_student == kpis.attendance_by_teacher == ()
    assert kpis.kpis == full.kpis and kpis.enrolments == full.enrolments
    assert (kpis.no_shows, kpis.late_cancellations, kpis.homework_set) == (
        full.no_shows,
        full.late_cancellations,
        full.homework_set,
    )
