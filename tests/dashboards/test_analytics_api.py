"""`/api/v1/analytics/…` against hand-computed figures on the fixed data set of analytics_data.py
(school in Madrid, November 2026): admins any scope, teachers their own only (another teacher's
figures answer 404, like a missing teacher, and their money never shows), learners refused, bad
ranges answered 422 naming the field; a fixed number of queries with 2 and 20 of everything."""

import itertools
from datetime import date, timedelta
from decimal import Decimal

import pytest

from billing.choices import OrderKind, PaymentMethod
from classroom.choices import AttendanceStatus, LessonStatus
from classroom.models import Attendance, Lesson
from dashboards.analytics.rollups import rollup_range
from tests.authentication.factories import StudentFactory
from tests.classroom.conftest import as_user
from tests.courses.factories import EnrollmentFactory
from tests.dashboards.analytics_data import _order, _pay, build, utc
from tests.query_budget import assert_constant_queries

pytestmark = pytest.mark.django_db

NOV = {"from": "2026-11-01", "to": "2026-11-30"}
_seq = itertools.count(1)


@pytest.fixture
def data(settings):
    settings.SCHOOL_TIME_ZONE = "Europe/Madrid"
    settings.ANALYTICS_AT_RISK_DAYS = 14
    built = build()
    # The admin's past engagement days come from the rollups (the scheduled task's work).
    rollup_range(start=date(2026, 9, 1), end=date(2026, 11, 30))
    return built


def get(client, user, path, **params):
    return as_user(client, user).get(f"/api/v1/analytics/{path}", {**NOV, **params})


def money(body):
    return {m["currency"]: (m["gross"], m["refunds"], m["net"], m["previous_net"]) for m in body}


def test_admin_kpis_hold_money_per_currency_and_the_previous_period(data, client):
    response = get(client, data.admin, "kpis")
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["from"], body["to"]) == ("2026-11-01", "2026-11-30")
    assert (body["previous_from"], body["previous_to"]) == ("2026-10-02", "2026-10-31")
    assert money(body["money"]) == {
        "EUR": ("130.00", "20.00", "110.00", "40.00"),
        "USD": ("80.00", "30.00", "50.00", "0.00"),
    }
    kpis = {k["key"]: (k["value"], k["previous"]) for k in body["kpis"]}
    assert kpis["lessons_delivered"] == (3, 1)
    assert kpis["enrolments"] == (3, 1)
    assert kpis["no_shows"] == (1, 0)
    # Ana 3 of 12 h, Bob 1 of 10 h.
    assert body["utilisation"] == pytest.approx(4 / 22)
    usd = get(client, data.admin, "kpis", currency="USD").json()
    assert list(money(usd["money"])) == ["USD"]


def test_a_teacher_sees_their_own_figures_and_never_another_teachers_money(data, client):
    body = get(client, data.t1, "kpis").json()
    assert money(body["money"]) == {"EUR": ("130.00", "20.00", "110.00", "40.00")}
    assert body["utilisation"] == 0.25
    earnings = get(client, data.t1, "tables/earnings").json()
    assert earnings["items"] == [
        {
            "id": data.t1.pk,
            "name": "Ana Teacher",
            "currency": "EUR",
            "earned": "64.00",
            "paid_out": "50.00",
            "balance": "24.00",
        }
    ]
    by_teacher = get(client, data.t1, "tables/revenue_by_teacher").json()["items"]
    assert [(r["key"], r["currency"], r["net"]) for r in by_teacher] == [
        (data.t1.pk, "EUR", "110.00")
    ]
    # Naming Bob (or his course) answers exactly like naming nobody.
    nosy = get(client, data.t1, "tables/earnings", teacher_id=data.t2.pk)
    missing = get(client, data.t1, "tables/earnings", teacher_id=987654321)
    assert nosy.status_code == missing.status_code == 404
    assert nosy.json() == missing.json()
    assert get(client, data.t1, "kpis", course_id=data.c2.pk).status_code == 404
    assert b"64.00" not in get(client, data.t1, "kpis", teacher_id=data.t2.pk).content
    # Their own id and course are fine.
    assert get(client, data.t1, "kpis", teacher_id=data.t1.pk).status_code == 200
    assert get(client, data.t1, "kpis", course_id=data.c1.pk).status_code == 200


def test_admins_filter_by_teacher_course_and_currency(data, client):
    bob = get(client, data.admin, "tables/earnings", teacher_id=data.t2.pk).json()["items"]
    assert [(e["name"], e["currency"], e["earned"]) for e in bob] == [
        ("Bob Teacher", "USD", "64.00")
    ]
    biology = get(client, data.admin, "tables/course_progress", course_id=data.c2.pk).json()
    assert [(c["title"], c["enrolled"], c["modules"]) for c in biology["items"]] == [
        ("Biology", 1, 1)
    ]
    methods = get(client, data.admin, "tables/revenue_by_method", currency="EUR").json()["items"]
    assert {(r["key"], r["net"]) for r in methods} == {("stripe", "80.00"), ("manual", "30.00")}
    # An admin naming someone who is not a teacher, or no course, gets 404.
    assert get(client, data.admin, "kpis", teacher_id=data.s1.pk).status_code == 404
    assert get(client, data.admin, "kpis", course_id=987654321).status_code == 404


def test_tables_match_the_hand_computed_figures(data, client):
    students = get(client, data.admin, "tables/attendance_students").json()
    assert students["count"] == 3
    assert {r["name"]: (r["present"], r["late"], r["absent"]) for r in students["items"]} == {
        "Sara One": (2, 0, 0),
        "Tom Two": (0, 1, 1),
        "Uma Three": (0, 0, 1),
    }
    capacity = get(client, data.admin, "tables/capacity").json()["items"]
    assert {(c["name"], c["offered_hours"], c["booked_hours"]) for c in capacity} == {
        ("Ana Teacher", "12.00", "3.00"),
        ("Bob Teacher", "10.00", "1.00"),
    }
    outstanding = get(client, data.admin, "tables/outstanding_invoices").json()["items"]
    assert outstanding == [
        {"currency": "EUR", "count": 1, "total": "45.00"},
        {"currency": "USD", "count": 1, "total": "60.00"},
    ]
    credits = get(client, data.admin, "tables/credits").json()["items"]
    assert credits == [
        {"currency": "EUR", "sold": 5, "used": 1},
        {"currency": "USD", "sold": 4, "used": 1},
    ]
    at_risk = get(client, data.admin, "tables/at_risk").json()["items"]
    assert {r["name"]: (r["inactive"], r["falling_attendance"]) for r in at_risk} == {
        "Uma Three": (True, False),
        "Tom Two": (False, True),
    }
    seats = get(client, data.t1, "tables/course_seats").json()["items"]
    assert [(s["title"], s["capacity"], s["filled"]) for s in seats] == [("Algebra", 10, 2)]


def test_series_are_per_school_day_and_money_per_currency(data, client):
    lessons = get(client, data.admin, "series/lessons_delivered").json()
    assert len(lessons["points"]) == 30
    # L1 (23:30 Madrid, 5 Nov) and L2 (00:30 Madrid, 6 Nov) on two Madrid days.
    assert {p["day"]: p["value"] for p in lessons["points"] if p["value"]} == {
        "2026-11-05": 1,
        "2026-11-06": 1,
        "2026-11-20": 1,
    }
    net = get(client, data.admin, "series/net", currency="USD").json()["points"]
    assert {p["day"]: p["value"] for p in net if p["value"]} == {
        "2026-11-14": 80.0,
        "2026-11-16": -30.0,
    }
    assert {p["currency"] for p in net} == {"USD"}
    ana = get(client, data.t1, "series/gross").json()["points"]
    assert {p["currency"] for p in ana} == {"EUR"}


def test_learners_and_people_without_a_role_are_refused(data, client):
    for user in (data.s1, data.parent):
        response = get(client, user, "kpis")
        assert response.status_code == 403
        assert response.json()["code"] == "permission_denied"
    client.logout()
    assert client.get("/api/v1/analytics/kpis").status_code == 401


def test_bad_ranges_and_names_are_answered_with_the_field_at_fault(data, client):
    backwards = get(client, data.admin, "kpis", **{"from": "2026-11-30", "to": "2026-11-01"})
    assert backwards.status_code == 422
    assert set(backwards.json()["errors"]) == {"to"}
    too_long = get(client, data.admin, "kpis", **{"from": "2024-01-01", "to": "2026-11-01"})
    assert too_long.status_code == 422
    assert set(too_long.json()["errors"]) == {"from"}
    far = get(client, data.admin, "kpis", **{"from": "1990-01-01", "to": "1990-01-02"})
    assert far.status_code == 422 and "from" in far.json()["errors"]
    assert get(client, data.admin, "kpis", **{"from": "yesterday"}).status_code == 422
    assert get(client, data.admin, "kpis", currency="XXX").status_code == 422
    assert get(client, data.admin, "kpis", week="1").status_code == 422  # unknown filter
    assert get(client, data.admin, "tables/nothing").status_code == 404
    assert get(client, data.admin, "series/nothing").status_code == 404
    # Only `to`: the 30 days up to it.
    only_to = as_user(client, data.admin).get("/api/v1/analytics/kpis", {"to": "2026-11-30"})
    assert (only_to.json()["from"], only_to.json()["to"]) == ("2026-11-01", "2026-11-30")


def _grow(data, n):
    """n more students of Ana's, each enrolled, taught and paying (in both currencies)."""
    for _ in range(n):
        i = next(_seq)
        student = StudentFactory()
        EnrollmentFactory(course=data.c1, student=student, created_at=utc(2026, 11, 20, 10))
        start = utc(2026, 11, 21, 8) + timedelta(hours=i)
        lesson = Lesson.objects.create(
            teacher=data.t1.teacher_profile,
            student=student,
            booked_by=student,
            start=start,
            end=start + timedelta(hours=1),
            status=LessonStatus.COMPLETED,
        )
        Attendance.objects.create(lesson=lesson, student=student, status=AttendanceStatus.PRESENT)
        for currency in ("EUR", "USD"):
            order = _order(
                student,
                student,
                data.t1,
                currency,
                Decimal("10"),
                kind=OrderKind.LESSON,
                method=PaymentMethod.STRIPE,
            )
            _pay(order, start)


def _figures(response) -> float:
    """What grows with the data in each answer: money in, points' total, a table's rows."""
    body = response.json()
    if "money" in body:
        return sum(float(m["gross"]) for m in body["money"])
    if "points" in body:
        return sum(p["value"] for p in body["points"])
    if body["items"] and "gross" in body["items"][0]:
        return sum(float(r["gross"]) for r in body["items"])
    return body["count"]


@pytest.mark.parametrize(
    "path", ["kpis", "series/net", "tables/attendance_students", "tables/revenue_by_day"]
)
def test_each_operation_costs_the_same_for_2_and_20_students(data, client, path):
    as_user(client, data.admin)

    def grow(n):
        _grow(data, n)
        # November is rolled up: redo it, as backfill_analytics would after late facts.
        rollup_range(start=date(2026, 9, 1), end=date(2026, 11, 30))

    grow(2)
    assert_constant_queries(
        lambda: client.get(f"/api/v1/analytics/{path}", NOV),
        grow=lambda: grow(18),
        rows=_figures,
    )
