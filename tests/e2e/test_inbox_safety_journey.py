"""A student reports a message (a form, then a summary to confirm); an admin reads it in its thread
in the moderation queue and dismisses it with a note; the parent of a child under 16 reads their
child's thread with the teacher. axe on every page (admin pages tolerate only the Wagtail-owned
rules listed), screenshots at both widths."""

import re

import pytest
from playwright.sync_api import expect

from inbox.safety.models import MessageReport, ReportStatus
from tests.e2e.test_course_page_admin_journey import check_admin_page
from tests.inbox.safety_people import people, write

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_report_goes_from_the_student_to_the_admin_who_dismisses_it(journey):
    folks = people()
    question = write(folks.student, folks.teacher, "Can you explain question 3?")
    unkind = write(folks.teacher, folks.student, "Read the book again.", reply_to=question)
    write(folks.teacher, folks.minor, "Great work on fractions today!", subject="Fractions")

    journey.login(folks.student.email)
    journey.goto(f"/inbox/messages/{unkind.pk}/report/")
    journey.page.get_by_label("Harassment or bullying").check()
    journey.page.get_by_label(re.compile("What happened")).fill("It felt dismissive.")
    journey.screenshot("inbox-report-form")
    journey.submit("Continue")
    expect(journey.page.get_by_test_id("confirm")).to_contain_text("Harassment or bullying")
    journey.screenshot("inbox-report-confirm")
    journey.submit("Send the report")
    expect(journey.page.locator("h1")).to_have_text("Report sent")
    journey.goto("/inbox/blocked/")
    journey.screenshot("inbox-blocked-people")
    journey.logout()

    journey.login(folks.admin.email)
    report = MessageReport.objects.get()
    journey.page.goto(journey.url("/admin/reported_messages/"))
    check_admin_page(journey)
    journey.page.locator(f"main a[href='/admin/reported_messages/{report.pk}/']").click()
    journey.page.wait_for_load_state("load")
    check_admin_page(journey)
    expect(journey.page.locator("main")).to_contain_text("Can you explain question 3?")
    expect(journey.page.locator("main")).to_contain_text("It felt dismissive.")
    journey.page.screenshot(path="test-artifacts/inbox-admin-report-desktop.png", full_page=True)
    journey.page.get_by_role("link", name="Dismiss").click()
    journey.page.wait_for_load_state("load")
    check_admin_page(journey)
    journey.page.get_by_label(re.compile("Note")).fill("Firm but fair.")
    journey.page.get_by_role("button", name="Dismiss the report").click()
    journey.page.wait_for_load_state("load")
    check_admin_page(journey)
    report.refresh_from_db()
    assert report.status == ReportStatus.DISMISSED and report.note == "Firm but fair."
    assert report.handled_by == folks.admin
    journey.page.goto(journey.url("/"))
    journey.check_a11y()
    journey.logout()

    journey.login(folks.parent.email)
    journey.goto("/inbox/children/")
    expect(journey.page.get_by_test_id("guardian-reads")).to_be_visible()
    journey.screenshot("inbox-children-messages")
    journey.page.get_by_role("link", name="Fractions").click()
    journey.page.wait_for_load_state("load")
    journey.check_a11y()
    expect(journey.page.locator("main")).to_contain_text("Great work on fractions today!")
    journey.screenshot("inbox-child-thread")
