"""The FAQ page in Chromium: the search box filters as the visitor types, and without JavaScript
the same form filters on the server. axe-core checks the page (0 serious or critical violations)."""

import re

import pytest
from playwright.sync_api import expect, sync_playwright

from tests.e2e import conftest as e2e
from tests.faq.factories import SECTIONS_EN, FAQPageFactory

journey = e2e.journey  # the e2e package's journey: axe on every page, screenshots


@pytest.fixture(scope="module")
def browser():
    """Chromium for this module only: the e2e package's browser is package-scoped, and a second
    sync Playwright cannot start while another package's is still open."""
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=e2e.CHROMIUM, headless=True, args=e2e.CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

QUESTION_COUNT = sum(len(questions) for _heading, questions in SECTIONS_EN)


def test_a_visitor_narrows_the_faq_as_they_type(journey):
    faq = FAQPageFactory()
    journey.goto(faq.url)
    page = journey.page
    box = page.get_by_role("searchbox", name=re.compile("Search the questions"))
    visible = page.locator("[data-faq-question]:visible")
    expect(visible).to_have_count(QUESTION_COUNT)

    box.fill("REFUND")

    expect(visible).to_have_count(1)
    expect(visible.first).to_contain_text("Can I get a refund?")
    expect(page.locator("[data-faq-status]")).to_have_text("1 question matches.")
    expect(page.locator("[data-faq-section]:visible h2")).to_have_text(["Payments"])
    assert page.url.endswith("?q=REFUND")  # the filtered list can be shared
    journey.check_a11y()

    box.fill("submarine")
    expect(visible).to_have_count(0)
    expect(page.locator("[data-faq-empty]")).to_be_visible()
    journey.check_a11y()

    box.fill("")
    expect(visible).to_have_count(QUESTION_COUNT)
    expect(page.locator("[data-faq-empty]")).to_be_hidden()
    journey.check_a11y()
    journey.screenshot("faq")


def test_a_link_with_a_query_opens_filtered_and_the_visitor_can_widen_it(journey):
    faq = FAQPageFactory()
    journey.goto(f"{faq.url}?q=refund")
    page = journey.page
    visible = page.locator("[data-faq-question]:visible")
    expect(visible).to_have_count(1)
    expect(page.get_by_role("searchbox")).to_have_value("refund")

    page.get_by_role("searchbox").fill("")

    expect(visible).to_have_count(QUESTION_COUNT)
    journey.check_a11y()


def test_without_javascript_the_search_form_filters_on_the_server(browser, live_server):
    faq = FAQPageFactory()
    context = e2e.new_context(browser, viewport=e2e.DESKTOP, java_script_enabled=False)
    context.set_default_timeout(e2e.TIMEOUT_MS)
    page = context.new_page()
    try:
        page.goto(live_server.url + faq.url)
        page.get_by_role("searchbox").fill("change lesson")
        with page.expect_navigation():
            page.get_by_role("searchbox").press("Enter")

        assert "q=change+lesson" in page.url
        visible = page.locator("[data-faq-question]:visible")
        expect(visible).to_have_count(1)
        expect(visible.first).to_contain_text("Can I change the time of a lesson?")

        with page.expect_navigation():
            page.get_by_role("link", name="Show all questions").click()
        expect(page.locator("[data-faq-question]:visible")).to_have_count(QUESTION_COUNT)
    finally:
        context.close()
