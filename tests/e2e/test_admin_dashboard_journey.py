"""An admin opens the School dashboard in the Wagtail admin, changes the date range, sees the revenue
chart change, opens the revenue report and downloads its XLSX (it opens with openpyxl). axe-core on
each page; screenshots at 1366 and 375 px."""

import io
import re

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.dashboards.analytics_data import build
from tests.e2e.conftest import ARTIFACTS, DESKTOP, PHONE
from tests.e2e.test_course_page_admin_journey import ADMIN_TIMEOUT_MS, check_admin_page

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _revenue_chart(page) -> str:
    return page.locator("svg#chart-revenue").inner_html()


def test_an_admin_changes_the_range_sees_the_chart_change_and_downloads_the_xlsx(
    journey, settings
):
    settings.SCHOOL_TIME_ZONE = "Europe/Madrid"
    data = build()
    page = journey.page
    page.set_default_timeout(ADMIN_TIMEOUT_MS)
    journey.login(data.admin.email)

    page.goto(journey.url("/admin/"))
    check_admin_page(journey)
    with page.expect_navigation():
        page.get_by_role("link", name="School dashboard").first.click()
    check_admin_page(journey)
    expect(page.locator("h1")).to_contain_text("School dashboard")

    form = page.locator("form.school-dash-filters")
    form.get_by_label("Date range").select_option("custom")
    form.get_by_label("From").fill("2026-10-02")
    form.get_by_label("To").fill("2026-10-31")
    with page.expect_navigation():
        form.get_by_role("button", name="Apply").click()
    check_admin_page(journey)
    expect(page.locator("main")).to_contain_text("Showing 2026-10-02 – 2026-10-31.")
    october = _revenue_chart(page)
    expect(page.locator('[data-kpi="net_EUR"] .value')).to_have_text("40.00 EUR")

    form = page.locator("form.school-dash-filters")
    form.get_by_label("From").fill("2026-11-01")
    form.get_by_label("To").fill("2026-11-30")
    with page.expect_navigation():
        form.get_by_role("button", name="Apply").click()
    check_admin_page(journey)
    november = _revenue_chart(page)
    assert november != october
    expect(page.locator('[data-kpi="net_EUR"] .value')).to_have_text("110.00 EUR")
    expect(page.locator('[data-kpi="net_USD"] .value')).to_have_text("50.00 USD")

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "admin-dashboard-desktop.png", full_page=True)
    page.set_viewport_size(PHONE)
    check_admin_page(journey)
    page.screenshot(path=ARTIFACTS / "admin-dashboard-phone.png", full_page=True)
    page.set_viewport_size(DESKTOP)

    with page.expect_navigation():
        page.get_by_role("link", name="Revenue by course").click()
    check_admin_page(journey)
    expect(page.locator("#report-table")).to_contain_text("Algebra")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download XLSX").click()
    download = download_info.value
    assert re.fullmatch(r"revenue-course-2026-11-01-2026-11-30\.xlsx", download.suggested_filename)
    with open(download.path(), "rb") as handle:
        sheet = load_workbook(io.BytesIO(handle.read())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("Currency", "Course")
    assert ("EUR", "Algebra") in [r[:2] for r in rows[1:]]
