"""A teacher opens their course page in the Wagtail admin: it says how it is published, shows what
comes from the course (read-only) and the fixed address; the action menu leads to the teacher
area, whose Publish puts the page live. axe-core on every page, screenshots of the edit screen."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from courses.choices import CourseStatus
from courses.models import Course
from courses.page_services import course_index_ensure, course_page_create
from tests.classroom.conftest import people  # noqa: F401 - the fixture
from tests.courses.factories import CourseFactory, ModuleFactory
from tests.e2e.conftest import ARTIFACTS, AXE_OPTIONS, BLOCKING_IMPACTS, DESKTOP, PHONE, _axe
from tests.e2e.test_editor_journeys import _wagtail_owned

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ADMIN_TIMEOUT_MS = 30_000  # the admin's editor loads a lot of JavaScript
# Wagtail's own editor markup, not ours: none so far. A rule id listed here must say why.
WAGTAIL_OWNED_RULES: set[str] = set()


def check_admin_page(journey) -> None:
    """axe on an admin page: the journey's own check, but tolerating the Wagtail-owned rules."""
    journey.page.wait_for_load_state("load")
    results = _axe.run(journey.page, options=AXE_OPTIONS)
    blocking = [
        f"{v['id']}: {v['help']} {[n['target'] for n in nodes[:3]]}"
        for v in results.response["violations"]
        if v.get("impact") in BLOCKING_IMPACTS and v["id"] not in WAGTAIL_OWNED_RULES
        # Wagtail's own success banner (and the other Wagtail-owned findings the editor journeys
        # list) after an action; anything of ours still fails.
        if (nodes := [n for n in v["nodes"] if not _wagtail_owned(journey.page, v["id"], n)])
    ]
    assert not blocking, "\n".join(blocking)
    journey.checked.add(journey._path(journey.page.url))


def test_a_teacher_reads_how_their_course_page_is_published_and_publishes_it(
    journey,
    people,  # noqa: F811 - the fixture imported above
):
    course_index_ensure()
    course = CourseFactory(
        owner=people.teacher,
        title="Spanish for travellers",
        summary="Order food, ask the way and make friends.",
        status=CourseStatus.DRAFT,
        starts_on=date(2027, 1, 11),
        capacity=8,
    )
    ModuleFactory(course=course, title="Greetings")
    ModuleFactory(course=course, title="At the market")
    page = course_page_create(course=course)
    browser_page = journey.page
    browser_page.set_default_timeout(ADMIN_TIMEOUT_MS)

    journey.login(people.teacher.email)
    browser_page.goto(journey.url(f"/admin/pages/{page.pk}/edit/"))
    check_admin_page(journey)
    help_panel = browser_page.get_by_test_id("course-publishing-help")
    expect(help_panel).to_contain_text("press “Publish” on the course's page in the teacher area")
    record = browser_page.get_by_test_id("course-record")
    expect(record).to_contain_text("Order food, ask the way and make friends.")
    expect(record).to_contain_text("Monday, 11 January 2027")
    expect(record).to_contain_text("0 of 8 taken")
    expect(record.locator("ol li")).to_have_text(["Greetings", "At the market"])
    expect(browser_page.locator("#id_course")).to_have_text("Spanish for travellers")
    ARTIFACTS.mkdir(exist_ok=True)
    browser_page.screenshot(path=ARTIFACTS / "course-page-admin-desktop.png", full_page=True)
    browser_page.set_viewport_size(PHONE)
    check_admin_page(journey)
    browser_page.screenshot(path=ARTIFACTS / "course-page-admin-phone.png", full_page=True)
    browser_page.set_viewport_size(DESKTOP)

    browser_page.get_by_role("button", name="More actions").click()
    with browser_page.expect_navigation():
        browser_page.get_by_role("navigation", name="Actions (footer)").get_by_role(
            "link", name="Publish in the teacher area"
        ).click()
    journey.check_a11y()
    journey.submit(re.compile("^Publish$"))
    expect(browser_page.locator("main")).to_contain_text("The course is published.")
    course.refresh_from_db()
    assert course.status == CourseStatus.PUBLISHED
    assert Course.objects.get(pk=course.pk).pages.get().live
