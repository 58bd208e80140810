"""The search page in Chromium, checked by axe-core (0 serious or critical violations)."""

import re

import pytest
from playwright.sync_api import expect, sync_playwright

from tests.e2e import conftest as e2e
from tests.faq.factories import FAQPageFactory, spanish_faq_page

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


def test_a_visitor_searches_the_site_and_opens_a_result(journey):
    spanish_faq_page(FAQPageFactory())
    journey.goto("/search/")
    page = journey.page

    page.locator("main").get_by_role("searchbox").fill("refund")
    journey.submit(re.compile("^Search$"))

    result = page.locator(".search-result").first
    expect(result.locator("mark").first).to_have_text(re.compile("refund", re.I))
    journey.screenshot("search")
    with page.expect_navigation():
        result.get_by_role("link").click()
    journey.check_a11y()
    expect(page.locator("h1")).to_have_text("Frequently asked questions")


def test_the_spanish_search_page_passes_axe(journey):
    spanish_faq_page(FAQPageFactory())

    journey.goto("/es/search/?q=pagos")

    expect(journey.page.locator(".search-result h3")).to_have_text(["Preguntas frecuentes"])
