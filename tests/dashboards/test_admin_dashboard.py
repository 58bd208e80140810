"""The School dashboard in the Wagtail admin: the figures on screen are the analytics selectors'
(on the fixed data set of tests/dashboards/analytics_data.py: November 2026 in Madrid), the charts
carry a title, a description and a table, the filters change what is shown, the reports' CSV and
XLSX exports open with csv and openpyxl and hold the rows on screen, only admins get in, and the
pages run the same number of queries with more data."""

import csv
import io
import re
from datetime import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from dashboards.admin.reports import REPORTS
from dashboards.analytics.selectors import engagement_summary, learning_summary, money_summary
from tests.classroom.conftest import as_user
from tests.dashboards.analytics_data import NOVEMBER, build

pytestmark = pytest.mark.django_db

D = Decimal
NOV = {"preset": "custom", "start": "2026-11-01", "end": "2026-11-30"}


@pytest.fixture
def data(settings):
    settings.SCHOOL_TIME_ZONE = "Europe/Madrid"
    return build()


def url(name):
    return reverse(f"school_dashboard:{name}")


def tiles_of(response) -> dict:
    return {tile.key: tile for _group, tiles in response.context["tile_groups"] for tile in tiles}


def test_the_tiles_show_the_selectors_figures_with_the_previous_period(client, data):
    response = as_user(client, data.admin).get(url("index"), NOV)
    assert response.status_code == 200
    tiles = tiles_of(response)
    # Money per currency, never summed across currencies (see test_analytics_selectors.py).
    assert (tiles["net_EUR"].value, tiles["net_EUR"].previous) == (D("110"), D("40"))
    assert (tiles["net_USD"].value, tiles["net_USD"].previous) == (D("50"), None)
    assert tiles["refunds_USD"].value == D("30")
    assert tiles["outstanding_EUR"].value == D("45")
    engagement = engagement_summary(viewer=data.admin, period=NOVEMBER)
    learning = learning_summary(viewer=data.admin, period=NOVEMBER)
    for key in ("lessons_delivered", "messages_sent", "signups", "attendance_rate"):
        assert tiles[key].value == engagement.kpis[key].value, key
        assert tiles[key].previous == engagement.kpis[key].previous, key
    for key in ("enrolments", "late_cancellations", "no_shows"):
        assert (tiles[key].value, tiles[key].previous) == (
            learning.kpis[key].value,
            learning.kpis[key].previous,
        ), key
    html = response.content.decode()
    assert "110.00 EUR" in html and "50.00 USD" in html
    assert "40.00 EUR" in html  # the previous period beside it
    assert "2026-10-02 – 2026-10-31" in html


def test_each_chart_is_an_svg_with_a_title_a_description_and_a_table_of_its_figures(client, data):
    response = as_user(client, data.admin).get(url("index"), NOV)
    html = response.content.decode()
    charts = response.context["charts"]
    assert {c["id"] for c in charts} >= {
        "chart-activity",
        "chart-revenue",
        "chart-utilisation",
        "chart-course-eur",
        "chart-course-usd",
    }
    for chart in charts:
        svg = re.search(rf'<svg[^>]*id="{chart["id"]}".*?</svg>', html, re.S).group(0)
        assert 'role="img"' in svg
        assert f'<title id="{chart["id"]}-title">' in svg
        assert f'<desc id="{chart["id"]}-desc">' in svg
        assert f'data-chart="{chart["id"]}"' in html
    revenue = next(c for c in charts if c["id"] == "chart-revenue")
    by_day = {row[0]: row[1:] for row in revenue["rows"]}
    assert len(by_day) == 30
    assert by_day["2026-11-03"] == [D("100"), 0]  # EUR, USD
    assert by_day["2026-11-16"] == [0, D("-30")]


def test_changing_the_date_range_changes_the_figures_and_the_chart(client, data):
    client = as_user(client, data.admin)
    november = client.get(url("index"), NOV)
    october = client.get(
        url("index"), {"preset": "custom", "start": "2026-10-02", "end": "2026-10-31"}
    )
    assert tiles_of(october)["net_EUR"].value == D("40")
    assert tiles_of(october)["net_EUR"].previous is None
    svg = lambda r: re.search(r'<svg[^>]*id="chart-revenue".*?</svg>', r.content.decode(), re.S)[0]  # noqa: E731
    assert svg(november) != svg(october)
    # A preset counts back from today.
    week = client.get(url("index"), {"preset": "7"})
    assert week.context["period"].days == 7


def test_a_bad_range_is_refused_with_a_message_and_the_default_range_is_shown(client, data):
    response = as_user(client, data.admin).get(
        url("index"), {"preset": "custom", "start": "2026-11-30", "end": "2026-11-01"}
    )
    assert response.status_code == 200
    assert "The range ends on or after its first day." in response.content.decode()
    assert response.context["period"].days == 30
    response = as_user(client, data.admin).get(url("index"), {"course": "nope", "start": "x"})
    assert response.status_code == 200
    assert response.context["form"].errors


def test_the_course_and_teacher_filters_narrow_the_money(client, data):
    client = as_user(client, data.admin)
    by_course = tiles_of(client.get(url("index"), {**NOV, "course": data.c2.pk}))
    assert "net_EUR" not in by_course
    assert by_course["net_USD"].value == D("50")
    by_teacher = tiles_of(client.get(url("index"), {**NOV, "teacher": data.t1.pk}))
    assert by_teacher["net_EUR"].value == D("110")
    assert "net_USD" not in by_teacher


def _screen_rows(response) -> list[list[str]]:
    return response.context["rows"]


@pytest.mark.parametrize("slug", list(REPORTS))
def test_each_report_exports_csv_and_xlsx_that_hold_the_rows_on_screen(client, data, slug):
    client = as_user(client, data.admin)
    page = client.get(url("report"), {**NOV, "report": slug})
    assert page.status_code == 200
    screen = _screen_rows(page)
    columns = page.context["columns"]

    exported = client.get(url("export"), {**NOV, "report": slug, "format": "csv"})
    assert exported.status_code == 200
    assert exported.streaming
    assert exported["Content-Type"].startswith("text/csv")
    text = b"".join(exported.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == columns
    assert rows[1:] == screen

    exported = client.get(url("export"), {**NOV, "report": slug, "format": "xlsx"})
    assert exported.status_code == 200
    assert exported.streaming  # a FileResponse
    sheet = load_workbook(io.BytesIO(b"".join(exported.streaming_content))).active
    cells = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert [str(c) for c in cells[0]] == columns
    assert len(cells) - 1 == len(screen)
    for row, shown in zip(cells[1:], screen, strict=True):
        assert [_same(v, text) for v, text in zip(row, shown, strict=True)] == [True] * len(row), (
            row,
            shown,
        )


def _same(value, text: str) -> bool:
    """A cell openpyxl read back holds what the screen shows: numbers as numbers (30.00 comes back
    as 30), dates as dates (read back as midnight datetimes), text as text."""
    if value is None:
        return text == ""
    if isinstance(value, datetime):
        return value.date().isoformat() == text
    if isinstance(value, int | float) and not isinstance(value, bool):
        return D(str(value)) == D(text)
    return str(value) == text


def test_the_revenue_report_shows_the_selectors_rows(client, data):
    page = as_user(client, data.admin).get(url("report"), {**NOV, "report": "revenue-method"})
    money = money_summary(viewer=data.admin, period=NOVEMBER)
    assert page.context["rows"] == [
        [row.currency, row.label, str(row.gross), str(row.refunds), str(row.net)]
        for row in money.by_method
    ]
    assert ["EUR", "Card (Stripe)", "100.00", "20.00", "80.00"] in page.context["rows"]


def test_an_unknown_report_is_missing(client, data):
    assert as_user(client, data.admin).get(url("report"), {"report": "nope"}).status_code == 404
    assert as_user(client, data.admin).get(url("export"), {"report": "nope"}).status_code == 404


def test_a_text_that_looks_like_a_formula_is_exported_as_text(client, data):
    data.c1.title = "=HYPERLINK(1)"
    data.c1.save()
    client = as_user(client, data.admin)
    exported = client.get(url("export"), {**NOV, "report": "revenue-course", "format": "csv"})
    text = b"".join(exported.streaming_content).decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in text


PAGES = ("index", "report", "export", "subscribe", "unsubscribe")


@pytest.mark.parametrize("name", PAGES)
def test_only_admins_open_the_dashboard_its_reports_and_exports(client, people, name):
    target = url(name)
    assert as_user(client, people.admin).get(target).status_code == 200
    for user in (people.teacher, people.student_a, people.parent_of_a):
        response = as_user(client, user).get(target)
        # Refused: 403, or Wagtail's way, back to the admin's home (a teacher, who may enter the
        # admin) or to its login (who may not).
        assert response.status_code in (302, 403), user
        if response.status_code == 302:
            assert response["Location"].split("?")[0] in ("/admin/", "/admin/login/"), user
    anonymous = as_user(client, None).get(target)
    assert anonymous.status_code == 302 and "/admin/login/" in anonymous["Location"]


def test_the_menu_item_is_shown_to_admins_only(client, people):
    admin_home = as_user(client, people.admin).get("/admin/")
    assert url("index") in admin_home.content.decode()


def _count(client, target, params) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(target, params)
        if getattr(response, "streaming", False):
            b"".join(response.streaming_content)
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_the_dashboard_and_reports_run_the_same_number_of_queries_with_more_data(client, data):
    client = as_user(client, data.admin)
    targets = [
        (url("index"), NOV),
        *[(url("report"), {**NOV, "report": slug}) for slug in REPORTS],
        (url("export"), {**NOV, "report": "revenue-day", "format": "csv"}),
        (url("export"), {**NOV, "report": "revenue-course", "format": "xlsx"}),
    ]
    _count(client, *targets[0])  # warm the session and caches
    small = [_count(client, t, p) for t, p in targets]
    for _ in range(3):
        build()
    larger = [_count(client, t, p) for t, p in targets]
    assert larger == small
