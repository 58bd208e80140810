"""The two API documentation pages in a real browser: ours at /api/v1/docs links to allauth's (sign-up
and login), which links back; both render Swagger UI from the site's static files under the strict
Content-Security-Policy, with no request to another host and no policy violation.
tests/api/test_docs.py checks the same pages' markup and guard without a browser."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.test_content_security import ADMIN_TIMEOUT_MS, strict_policy

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_api_docs_link_to_allauths_document_and_both_render_from_the_site(journey):
    docs = journey.page.context.new_page()  # Swagger UI is not one of our pages: no axe run here
    elsewhere: list[str] = []
    docs.on(
        "request",
        lambda request: (
            None
            if request.url.startswith((journey.base_url, "data:"))
            else elsewhere.append(request.url)
        ),
    )

    strict_policy(docs.goto(journey.url("/api/v1/docs")))
    expect(docs.get_by_role("heading", level=1)).to_contain_text(
        "cplatform API", timeout=ADMIN_TIMEOUT_MS
    )
    link = docs.locator('.info a[href="/_allauth/openapi.html"]')
    expect(link).to_be_visible()

    strict_policy(docs.goto(journey.url(link.get_attribute("href"))))
    expect(docs.locator(".opblock").first).to_be_visible(timeout=ADMIN_TIMEOUT_MS)
    expect(docs.locator(".opblock-summary-path", has_text="/auth/signup").first).to_be_visible()
    expect(docs.get_by_role("link", name="cplatform API")).to_have_attribute("href", "/api/v1/docs")

    assert journey.violations.take() == []
    assert elsewhere == []
    docs.close()
