"""The earnings statement page, its CSV and GET /api/v1/earnings: a teacher's own month per currency;
another teacher's id answers 404; students and parents are refused; admins read anyone's; the page
and the API make the same number of queries for 3 and 300 lessons."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from itertools import count

import pytest
from django.urls import reverse

from billing.services import earning_record
from tests.authentication.factories import AdminFactory, ParentFactory, StudentFactory
from tests.booking.factories import bookable_teacher
from tests.conftest import login_token
from tests.query_budget import assert_constant_queries, html_rows

pytestmark = pytest.mark.django_db
_keys = count()


def _earn(teacher, n=1, currency="EUR", gross="50.00", day=10):
    for _ in range(n):
        earning_record(
            teacher=teacher,
            currency=currency,
            gross=Decimal(gross),
            description="Lesson with Ana",
            cause_key=f"test:{next(_keys)}",
            earned_at=datetime(2026, 11, day, 12, tzinfo=UTC),
        )


def _api(client, user):
    return {"HTTP_X_SESSION_TOKEN": login_token(client, user.email)}


def test_the_api_gives_a_teacher_their_month_in_each_currency(client):
    teacher = bookable_teacher(tz="UTC").user
    _earn(teacher, 2, "EUR")
    _earn(teacher, 1, "USD", gross="40.00")
    response = client.get("/api/v1/earnings", {"month": "2026-11"}, **_api(client, teacher))
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["month"] == "2026-11" and len(body["entries"]) == 3
    totals = {t["currency"]: t for t in body["totals"]}
    assert Decimal(totals["EUR"]["net"]) == Decimal("80.00")
    assert Decimal(totals["USD"]["gross"]) == Decimal("40.00")
    empty = client.get("/api/v1/earnings", {"month": "2026-10"}, **_api(client, teacher))
    assert empty.json()["entries"] == []


def test_a_teacher_never_sees_another_teachers_money(client):
    teacher, other = bookable_teacher().user, bookable_teacher().user
    _earn(teacher)
    response = client.get(
        "/api/v1/earnings", {"month": "2026-11", "teacher_id": teacher.pk}, **_api(client, other)
    )
    assert response.status_code == 404
    own = client.get("/api/v1/earnings", {"month": "2026-11"}, **_api(client, other))
    assert own.json()["entries"] == []
    client.force_login(other)
    page = client.get(reverse("billing-earnings"), {"month": "2026-11", "teacher": teacher.pk})
    assert page.status_code == 404


def test_students_and_parents_are_refused_and_an_admin_reads_any_teacher(client):
    teacher = bookable_teacher().user
    _earn(teacher)
    for outsider in (StudentFactory(), ParentFactory()):
        answer = client.get("/api/v1/earnings", **_api(client, outsider))
        assert answer.status_code == 403
    admin = AdminFactory()
    answer = client.get(
        "/api/v1/earnings", {"month": "2026-11", "teacher_id": teacher.pk}, **_api(client, admin)
    )
    assert answer.status_code == 200 and answer.json()["teacher_id"] == teacher.pk
    bad = client.get("/api/v1/earnings", {"month": "2026-13"}, **_api(client, admin))
    assert bad.status_code == 422


def test_the_statement_page_and_its_csv(client):
    teacher = bookable_teacher(tz="UTC").user
    _earn(teacher, 2)
    earning_record(
        teacher=teacher,
        currency="EUR",
        gross=Decimal("10.00"),
        description="=HYPERLINK(evil)",
        cause_key="test:formula",
        earned_at=datetime(2026, 11, 3, 12, tzinfo=UTC),
    )
    client.force_login(teacher)
    page = client.get(reverse("billing-earnings"), {"month": "2026-11"})
    assert page.status_code == 200
    assert page.content.count(b"Lesson with Ana") == 2
    csv = client.get(reverse("billing-earnings-csv"), {"month": "2026-11"})
    assert csv["Content-Type"].startswith("text/csv")
    text = csv.content.decode()
    assert "'=HYPERLINK(evil)" in text and "Balance" in text
    assert text.count("Lesson with Ana") == 2


def test_the_statement_page_runs_the_same_queries_for_3_and_300_lessons(client):
    teacher = bookable_teacher(tz="UTC").user
    _earn(teacher, 3)
    client.force_login(teacher)
    assert_constant_queries(
        lambda: client.get(reverse("billing-earnings"), {"month": "2026-11"}),
        grow=lambda: _earn(teacher, 297),
        rows=lambda r: r.content.count(b"Lesson with Ana"),
    )
    assert html_rows  # the shared helpers stay imported for the next list
